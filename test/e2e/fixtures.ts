/** Shared documents and helpers for the end-to-end tests (STYLE.md habit 9: shared query documents). */
import { withCheckCharacter } from '../../src/enterprises/credit-code';
import { TestApp } from '../support/harness';

let serial = 0;
/** A fresh valid credit code (R1) for each call. */
export function newCreditCode(region = '110108'): string {
  serial += 1;
  const body = `91${region}${String(process.pid % 1000).padStart(3, '0')}${String(serial).padStart(6, '0')}`;
  return withCheckCharacter(body.slice(0, 17));
}

export const USER_ERRORS = 'userErrors { field code message params }';

export const ENTERPRISE_FIELDS = 'id creditCode name sector sizeClass sizeStandard regionCode employees revenue totalAssets industryChains sectorTags claimed synthetic qualifications { code validFrom validTo } contact { person phone email }';

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

/** Registers an enterprise for a new `sub` and returns its token and record. */
export async function registeredEnterprise(app: TestApp, overrides: Record<string, unknown> = {}) {
  serial += 1;
  const sub = `ent-user-${process.pid}-${serial}`;
  const token = app.token({ sub, role: 'ENTERPRISE' });
  const input = {
    creditCode: newCreditCode(),
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
  return { sub, token, enterprise: res.data.registerEnterprise.enterprise, input };
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
