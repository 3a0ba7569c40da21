/**
 * Prints a development token (API.md): npm run token -- --role BANK --institution <id> [--sub <id>] [--expires 12h]
 * An ENTERPRISE token takes `--credit-code <code>`: the claim a login service that checked the business
 * licence would add (`creditCode` + `creditCodeVerified: true`), so registerEnterprise verifies the claim.
 * Signs with JWT_SECRET, or the development secret when NODE_ENV is not production.
 */
import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { INSTITUTION_ROLES, isRole, ROLES } from '../auth/roles';
import { toGlobalId, uuidOf } from '../common/ids';
import { loadConfig } from '../config';
import { checkCreditCode } from '../enterprises/credit-code';

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- --role <${ROLES.join('|')}> [--institution <id>] [--sub <id>] [--credit-code <code>] [--expires 12h]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    institution: { type: 'string' },
    sub: { type: 'string' },
    'credit-code': { type: 'string' },
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
let creditCode: string | undefined;
if (values['credit-code'] !== undefined) {
  if (role !== 'ENTERPRISE') fail('--credit-code is for ENTERPRISE tokens');
  const check = checkCreditCode(values['credit-code']);
  creditCode = check.valid ? check.code : fail(`--credit-code: not a valid credit code (R1): ${values['credit-code']}`);
}
const sub = values.sub ?? `dev-${role.toLowerCase()}`;
const { jwtSecret } = loadConfig();
process.stdout.write(`${signToken({ sub, role, institutionId, ...(creditCode ? { creditCode, creditCodeVerified: true } : {}) }, jwtSecret, values.expires as never)}\n`);
