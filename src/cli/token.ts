/**
 * Prints a development token (API.md): npm run token -- --role BANK --institution <id> [--sub <id>] [--expires 12h]
 * An ENTERPRISE token takes `--credit-code <code>`: the claim a login service that checked the business
 * licence would add (`creditCode` + `creditCodeVerified: true`), so registerEnterprise verifies the claim.
 * Signs with JWT_SECRET, or the development secret when NODE_ENV is not production. `--expires` (s, m, h
 * or d) may not pass the server's maximum lifetime (JWT_MAX_LIFETIME_MINUTES, 12 h by default): the
 * server would refuse a longer-lived token. An AUTHORITY token takes `--region <code>` (a GB/T 2260 code or a
 * 2-, 4- or 6-digit prefix, e.g. 3702 for Qingdao): the `regionCode` claim of a regional authority, which
 * sees and acts within that region only; without it the authority is national (docs/AUTHORITIES.md).
 */
import { parseArgs } from 'node:util';
import { signToken } from '../auth/jwt';
import { regionClaimOf } from '../auth/authority-region';
import { INSTITUTION_ROLES, isRole, ROLES } from '../auth/roles';
import { toGlobalId, uuidOf } from '../common/ids';
import { loadConfig } from '../config';
import { checkCreditCode } from '../enterprises/credit-code';

function fail(message: string): never {
  process.stderr.write(`${message}\nusage: npm run token -- --role <${ROLES.join('|')}> [--institution <id>] [--sub <id>] [--credit-code <code>] [--region <code>] [--expires 12h]\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    institution: { type: 'string' },
    sub: { type: 'string' },
    'credit-code': { type: 'string' },
    region: { type: 'string' },
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
let regionCode: string | undefined;
if (values.region !== undefined) {
  if (role !== 'AUTHORITY') fail('--region is for AUTHORITY tokens');
  regionCode = regionClaimOf(values.region) || fail(`--region: not a region code or a 2-, 4- or 6-digit prefix (GB/T 2260): ${values.region}`);
}
const sub = values.sub ?? `dev-${role.toLowerCase()}`;
const { jwtSecret, auth } = loadConfig();
const lifetime = /^(\d+)([smhd])$/.exec(values.expires ?? '');
if (!lifetime) fail(`--expires: a number and a unit (s, m, h or d), e.g. 12h; got ${values.expires}`);
const seconds = Number(lifetime[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[lifetime[2] as 's' | 'm' | 'h' | 'd'];
if (seconds < 1 || seconds > auth.maxTokenLifetimeSeconds) fail(`--expires: at most ${auth.maxTokenLifetimeSeconds / 60} minutes (JWT_MAX_LIFETIME_MINUTES), got ${values.expires}`);
process.stdout.write(`${signToken({ sub, role, institutionId, ...(creditCode ? { creditCode, creditCodeVerified: true } : {}), ...(regionCode ? { regionCode } : {}) }, jwtSecret, seconds)}\n`);
