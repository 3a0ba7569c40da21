/** Shared documents and helpers for the end-to-end tests (STYLE.md habit 9: shared query documents). */
import { checkCreditCode, withCheckCharacter } from '../../src/enterprises/credit-code';
import { TestApp } from '../support/harness';

let serial = 0;
/** A fresh valid credit code (R1) for each call. */
export function newCreditCode(region = '110108'): string {
  serial += 1;
  const body = `91${region}${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(6, '0')}`;
  return withCheckCharacter(body.slice(0, 17));
}

export const USER_ERRORS = 'userErrors { field code message params }';

export const ENTERPRISE_FIELDS = 'id creditCode name sector sizeClass sizeStandard regionCode employees revenue totalAssets industryChains sectorTags declaredSectorTags claimed claimStatus synthetic qualifications { code validFrom validTo source } contact { person phone email }';

export const REGISTER = `mutation($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { ${ENTERPRISE_FIELDS} } ${USER_ERRORS} } }`;

export const NEED_FIELDS = 'id kind status channel amount termMonths purpose collateralOffered maxAnnualRate acceptGuarantee neededBy statusReason equity { stage preMoneyValuation maxShareOffered useOfProceeds } enterprise { creditCode }';

export const POST_NEED = `mutation($input: PostFinancingNeedInput!) { postFinancingNeed(input: $input) { need { ${NEED_FIELDS} } ${USER_ERRORS} } }`;

export const WITHDRAW_NEED = `mutation($input: WithdrawFinancingNeedInput!) { withdrawFinancingNeed(input: $input) { need { ${NEED_FIELDS} } ${USER_ERRORS} } }`;

export const CREATE_INSTITUTION = `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { institution { id kind name regionCode coverageRegions guarantee { netAssets liability amplificationMultiple capMultiple targetMultiple remainingCapacity singleBorrowerLimit status feeRate smallMicroFocused } } ${USER_ERRORS} } }`;

export const PRODUCT_FIELDS = 'id name kind needKind minAmount maxAmount minTermMonths maxTermMonths minAnnualRate maxAnnualRate collateralAccepted requiresGuarantee activeFrom activeTo enabled version institution { id name } eligibility { regionPrefixes sectors industryChains sizeClasses minYearsInBusiness whitelistTierAtLeast qualifications minRating minTaxGrade noActiveDishonesty maxOverdueCount12m maxCreditDataAgeDays firstLoanOnly } equity { stages minTicket maxTicket maxPreMoneyValuation }';

export const CREATE_PRODUCT = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { ${PRODUCT_FIELDS} } ${USER_ERRORS} } }`;
export const UPDATE_PRODUCT = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { ${PRODUCT_FIELDS} } ${USER_ERRORS} } }`;

export interface Actors {
  admin: string;
  authority: string;
  analyst: string;
}

export function staff(app: TestApp): Actors {
  return {
    admin: app.token({ sub: 'admin-1', role: 'ADMIN' }),
    authority: app.token({ sub: 'authority-1', role: 'AUTHORITY' }),
    analyst: app.token({ sub: 'analyst-1', role: 'ANALYST' }),
  };
}

/**
 * An ENTERPRISE token whose login service verified `creditCode` (issue 11 §6): registering that code makes
 * a VERIFIED claim. Without a code, a plain token: registering makes a PENDING claim.
 */
export function enterpriseToken(app: TestApp, sub: string, creditCode?: string): string {
  const check = creditCode ? checkCreditCode(creditCode) : null;
  return check?.valid ? app.token({ sub, role: 'ENTERPRISE', creditCode: check.code, creditCodeVerified: true }) : app.token({ sub, role: 'ENTERPRISE' });
}

/**
 * Registers an enterprise for a new `sub` and returns its token and record. The token is verified for the
 * code (the firm is who it says it is, so its needs are matched) unless `verified: false`.
 */
export async function registeredEnterprise(
  app: TestApp, overrides: Record<string, unknown> = {}, options: { verified?: boolean; attested?: { sectorTags?: string[]; qualifications?: unknown[] } } = {},
) {
  serial += 1;
  const sub = `ent-user-${process.pid}-${serial}`;
  const creditCode = (overrides.creditCode as string | undefined) ?? newCreditCode();
  const token = enterpriseToken(app, sub, options.verified === false ? undefined : creditCode);
  const input = {
    creditCode,
    name: `测试科技有限公司 ${serial}`,
    sector: 'INDUSTRY',
    regionCode: '110108',
    employees: 500,
    revenue: '10000000.00',
    industryChains: ['AI'],
    contact: { person: '张三', phone: '010-12345678', email: 'zhang@example.invalid' },
    ...overrides,
  };
  const res = await app.gql(REGISTER, { input }, { token });
  if (res.errors || res.data.registerEnterprise.userErrors.length) throw new Error(`register failed: ${JSON.stringify(res.errors ?? res.data.registerEnterprise.userErrors)}`);
  const enterprise = options.attested ? await attest(app, creditCode, options.attested) : res.data.registerEnterprise.enterprise;
  return { sub, token, enterprise, input };
}

export const SET_QUALIFICATIONS = `mutation($input: SetEnterpriseQualificationsInput!) { setEnterpriseQualifications(input: $input) { enterprise { ${ENTERPRISE_FIELDS} } ${USER_ERRORS} } }`;

/** An authority records the firm's sector tags and qualifications (the ones pools, subsidies and products read). */
export async function attest(app: TestApp, creditCode: string, input: { sectorTags?: string[]; qualifications?: unknown[] }) {
  const res = await app.gql(SET_QUALIFICATIONS, { input: { creditCode, ...input } }, { token: staff(app).authority });
  if (res.errors || res.data.setEnterpriseQualifications.userErrors.length) throw new Error(`attest failed: ${JSON.stringify(res.errors ?? res.data.setEnterpriseQualifications.userErrors)}`);
  return res.data.setEnterpriseQualifications.enterprise;
}

export async function createInstitution(app: TestApp, token: string, input: Record<string, unknown>) {
  const res = await app.gql(CREATE_INSTITUTION, { input }, { token });
  if (res.errors || res.data.createInstitution.userErrors.length) throw new Error(`createInstitution failed: ${JSON.stringify(res.errors ?? res.data.createInstitution.userErrors)}`);
  return res.data.createInstitution.institution;
}

export async function rowCount(app: TestApp, table: string): Promise<number> {
  const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
  return row.n;
}

/** A date n days from today in Asia/Shanghai. */
export function daysFromToday(n: number): string {
  const d = new Date(Date.now() + n * 86400000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
}

// ——— Whitelists (R4), credit data (R5), privacy (R10) ———

/** The same code with a wrong check character (R1: INVALID_CREDIT_CODE at position 18). */
export function withWrongCheck(code: string): string {
  const last = code[17];
  return code.slice(0, 17) + (last === '0' ? '1' : '0');
}

export const WHITELIST_ENTRY_FIELDS = 'id tier listedName batch validFrom validTo revokedOn revocationReason activeToday whitelist { id name }';

export const PUBLISH_BATCH = `mutation($input: PublishWhitelistBatchInput!) { publishWhitelistBatch(input: $input) { batch { batch entryCount source whitelist { id name publisher } } ${USER_ERRORS} } }`;
export const REVOKE_ENTRY = `mutation($input: RevokeWhitelistEntryInput!) { revokeWhitelistEntry(input: $input) { entry { ${WHITELIST_ENTRY_FIELDS} } ${USER_ERRORS} } }`;
export const QUALIFICATION_STATUS = `query($code: String!, $asOf: Date) { qualificationStatus(creditCode: $code, asOf: $asOf) { creditCode enterpriseName onWhitelist highestTier validTo asOf entries { ${WHITELIST_ENTRY_FIELDS} } } }`;
export const WHITELIST_PAGE = `query($filter: WhitelistFilter, $first: Int, $after: String) { whitelist(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id tier listedName enterprise { creditCode } } } } }`;
export const IMPORT_CREDIT = `mutation($input: ImportCreditRecordsInput!) { importCreditRecords(input: $input) { imported skipped ${USER_ERRORS} } }`;
export const GRANT_CONSENT = `mutation($input: ConsentInput!) { grantConsent(input: $input) { consent { id via active revokedAt institution { id } enterprise { creditCode } } ${USER_ERRORS} } }`;
export const REVOKE_CONSENT = `mutation($input: ConsentInput!) { revokeConsent(input: $input) { consent { id via active revokedAt institution { id } } ${USER_ERRORS} } }`;

export interface EntryDraft {
  creditCode: string;
  name: string;
  tier: 'INNOVATIVE_SME' | 'SPECIALIZED_SME' | 'LITTLE_GIANT' | 'SINGLE_CHAMPION';
  validFrom: string;
  validTo: string;
}

/** Publishes a batch (AUTHORITY token) and returns the whitelist's id; throws on any error. */
export async function publishBatch(app: TestApp, token: string, whitelistName: string, batch: string, entries: EntryDraft[]): Promise<string> {
  const res = await app.gql(PUBLISH_BATCH, { input: { whitelistName, batch, entries } }, { token });
  if (res.errors || res.data.publishWhitelistBatch.userErrors.length) throw new Error(`publish failed: ${JSON.stringify(res.errors ?? res.data.publishWhitelistBatch.userErrors)}`);
  return res.data.publishWhitelistBatch.batch.whitelist.id;
}

/** Imports credit records (AUTHORITY token); throws on any error. */
export async function importCredit(app: TestApp, token: string, input: { source: string; asOf: string; records: Record<string, unknown>[] }): Promise<{ imported: number; skipped: number }> {
  const res = await app.gql(IMPORT_CREDIT, { input }, { token });
  if (res.errors || res.data.importCreditRecords.userErrors.length) throw new Error(`import failed: ${JSON.stringify(res.errors ?? res.data.importCreditRecords.userErrors)}`);
  return { imported: res.data.importCreditRecords.imported, skipped: res.data.importCreditRecords.skipped };
}

/** Ids of a whitelist's entries, keyed by credit code (AUTHORITY token). */
export async function entryIds(app: TestApp, token: string, whitelistId: string): Promise<Map<string, string>> {
  const res = await app.gql(WHITELIST_PAGE, { filter: { whitelistId, includeInactive: true }, first: 100 }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return new Map(res.data.whitelist.edges.map((e: { node: { id: string; enterprise: { creditCode: string } } }) => [e.node.enterprise.creditCode, e.node.id]));
}

/** An institution of `kind` (with any further `createInstitution` fields) and a token of `role` acting for it. */
export async function institutionWithToken(
  app: TestApp, kind: string, name: string, role: 'BANK' | 'GUARANTOR' | 'INVESTOR' = kind as 'BANK', more: Record<string, unknown> = {},
) {
  const institution = await createInstitution(app, staff(app).authority, {
    kind,
    name,
    guarantee: kind === 'GUARANTOR' ? { netAssets: '1000000000', feeRate: '0.01' } : undefined,
    ...more,
  });
  return { institution, token: app.token({ sub: `${role.toLowerCase()}-${name}`, role, institutionId: institution.id }) };
}

/** Sends `token` and expects it refused (HTTP 401, UNAUTHENTICATED); returns the English message, which names why. */
export async function tokenRefusal(app: TestApp, token: string): Promise<string> {
  const res = await app.gql('{ viewer { sub } }', {}, { token, lang: 'en' });
  expect(res.status).toBe(401);
  expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  return res.errors![0].message;
}
