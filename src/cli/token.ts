/**
 * Prints a development token (API.md): npm run token -- --role BANK --institution <id> [--sub <id>] [--expires 12h]
 * Signs with JWT_SECRET, or the development secret when NODE_ENV is not production.
 */
import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { INSTITUTION_ROLES, isRole, ROLES } from '../auth/roles';
import { toGlobalId, uuidOf } from '../common/ids';
import { loadConfig } from '../config';

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- --role <${ROLES.join('|')}> [--institution <id>] [--sub <id>] [--expires 12h]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    institution: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});

const role = values.role?.toUpperCase();
if (!isRole(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
let institutionId: string | undefined;
if (INSTITUTION_ROLES.includes(role)) {
  if (!values.institution) fail(`a ${role} token needs --institution <id> (see the institutions query)`);
  const raw = values.institution;
  // Accept the API's opaque id, or a bare uuid from the database.
  institutionId = uuidOf(raw, 'Institution') ? raw : /^[0-9a-f-]{36}$/.test(raw) ? toGlobalId('Institution', raw) : fail(`--institution: not an institution id: ${raw}`);
}
const sub = values.sub ?? `dev-${role.toLowerCase()}`;
const { jwtSecret } = loadConfig();
process.stdout.write(`${signToken({ sub, role, institutionId }, jwtSecret, values.expires as never)}\n`);
