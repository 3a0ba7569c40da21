/**
 * Demo data, built from the seeds (DOMAIN.md): benchmark rates (§3), the Qingdao risk-compensation pool
 * (R8, seed 004 Art. (27)), banks, guarantors with their R6 figures (E3 among them), an investor, a
 * government fund and an authority, their products (R12), and a few hundred enterprises (R1–R3) with
 * qualifications and financing needs (R11). Institutions carry real names marked "(demo)" with
 * illustrative figures. Every enterprise is SYNTHETIC: generated, flagged `synthetic`, named
 * "… (synthetic)", with fake contacts. A seeded generator makes every load draw the same firms; only
 * ids and dates relative to today differ.
 */
import { checkParams } from '../policy/params';
import { calculatorFor } from '../policy/registry';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { coverageRatio, RiskParty } from '../policy/risk-sharing';
import { randomUUID } from 'node:crypto';
import type { EntityManager, EntityTarget, ObjectLiteral, QueryDeepPartialEntity } from 'typeorm';
import { dec, Decimal, money } from '../common/decimal';
import { addDays, todayInShanghai } from '../common/dates';
import { CREDIT_CODE_ALPHABET, withCheckCharacter } from '../enterprises/credit-code';
import { EnterpriseEntity, EnterpriseQualificationEntity } from '../enterprises/enterprise.entity';
import { ListingReserveEntryEntity } from '../reviews/review.entity';
import { Sector, SIZE_STANDARD_ID, SizeClass, sizeClassFromYuan } from '../enterprises/size-class';
import { GuarantorProfileEntity, InstitutionEntity } from '../institutions/institution.entity';
import { defaultCapMultiple, InstitutionKind, ProductKind } from '../institutions/institution.rules';
import { ProductEntity } from '../institutions/product.entity';
import { FinancingNeedEntity } from '../needs/need.entity';
import { CHANNELS, CollateralType, EquityStage, LOAN_PURPOSES } from '../needs/need.rules';
import { BenchmarkRateEntity, RiskCompensationPoolEntity } from '../policy/policy.entity';
import { CreditRecordDraft, writeImport } from '../credit/credit.service';
import { CREDIT_RATINGS, TAX_GRADES } from '../credit/grades';
import { EntryDraft, writeBatch } from '../whitelists/whitelist.service';
import { QualificationTier } from '../whitelists/tier';

export interface DemoSummary {
  enterprises: number;
  needs: number;
  institutions: number;
  products: number;
  whitelistEntries: number;
  creditRecords: number;
  policyRules: number;
  agreements: number;
}

const CHUNK = 500;
const DAY_MS = 86_400_000;
const POSTED_BY = 'demo-data';

/** mulberry32: a small seeded generator (never Math.random), so every load is the same. */
class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[this.int(0, items.length - 1)]; }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [value, w] of entries) if ((roll -= w) < 0) return value;
    return entries[entries.length - 1][0];
  }
}

/** Whole yuan → money. Integer arithmetic upstream keeps every figure exact. */
const yuan = (amount: number): Decimal => dec(`${amount}.00`);
/** Basis points → a rate: 435 → 0.0435. */
const basisPoints = (points: number): Decimal => dec(points).div(10_000);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

async function insertInChunks<T extends ObjectLiteral>(em: EntityManager, entity: EntityTarget<T>, rows: QueryDeepPartialEntity<T>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await em.insert(entity, rows.slice(i, i + CHUNK));
}

// ---- Institutions and products -------------------------------------------------------------------

type ProductRow = Omit<ProductEntity, 'id' | 'institutionId' | 'createdAt' | 'updatedAt'>;
type Criteria = Partial<ProductRow>;

const OPEN_CRITERIA: Omit<ProductRow, 'name' | 'kind' | 'needKind' | 'minAmount' | 'maxAmount'> = {
  minTermMonths: null, maxTermMonths: null, minAnnualRate: null, maxAnnualRate: null, collateralAccepted: [], requiresGuarantee: false,
  regionPrefixes: [], sectors: [], industryChains: [], sizeClasses: [], minYearsInBusiness: null, whitelistTierAtLeast: null,
  qualifications: [], minRating: null, minTaxGrade: null, noActiveDishonesty: false, maxOverdueCount12m: null, maxCreditDataAgeDays: null,
  firstLoanOnly: false, minAnnualRevenue: null, equityStages: [], minTicket: null, maxTicket: null, maxPreMoneyValuation: null,
  activeFrom: '2025-01-01', activeTo: null, enabled: true, version: 1,
};

function loanProduct(name: string, kind: ProductKind, amount: [string, string], term: [number, number], rates: [string, string], criteria: Criteria): ProductRow {
  return {
    ...OPEN_CRITERIA, name, kind, needKind: 'LOAN', minAmount: dec(amount[0]), maxAmount: dec(amount[1]),
    minTermMonths: term[0], maxTermMonths: term[1], minAnnualRate: dec(rates[0]), maxAnnualRate: dec(rates[1]), ...criteria,
  };
}

function equityProduct(name: string, stages: EquityStage[], ticket: [string, string], maxPreMoney: string, criteria: Criteria): ProductRow {
  return {
    ...OPEN_CRITERIA, name, kind: 'EQUITY_INVESTMENT', needKind: 'EQUITY', minAmount: dec(ticket[0]), maxAmount: dec(ticket[1]),
    equityStages: stages, minTicket: dec(ticket[0]), maxTicket: dec(ticket[1]), maxPreMoneyValuation: dec(maxPreMoney), ...criteria,
  };
}

/** A guarantor's R6 figures; the liability is carried in as its opening liability. */
type GuaranteeFigures = { netAssets: string; liability: string; feeRate: string; smallMicroFocused: boolean; targetMultiple: string | null };
type InstitutionSeed = { kind: InstitutionKind; name: string; regionCode: string; coverageRegions: string[]; guarantee?: GuaranteeFigures; products?: ProductRow[] };

const BEIJING_CREDIT_FILTERS: Criteria = { regionPrefixes: ['11'], noActiveDishonesty: true, maxOverdueCount12m: 0 };

const INSTITUTIONS: InstitutionSeed[] = [
  {
    kind: 'BANK', name: '北京银行 (demo)', regionCode: '110000', coverageRegions: ['11'],
    products: [
      loanProduct('专精特新信用贷 (demo)', 'CREDIT_LOAN', ['1000000.00', '30000000.00'], [6, 36], ['0.0310', '0.0450'],
        { ...BEIJING_CREDIT_FILTERS, whitelistTierAtLeast: 'SPECIALIZED_SME', minRating: 'A' }),
      loanProduct('首贷通 (demo)', 'FIRST_LOAN', ['300000.00', '5000000.00'], [6, 12], ['0.0345', '0.0500'],
        { ...BEIJING_CREDIT_FILTERS, firstLoanOnly: true, sizeClasses: ['SMALL', 'MICRO'] }),
      loanProduct('知识产权质押贷 (demo)', 'IP_PLEDGE_LOAN', ['1000000.00', '20000000.00'], [12, 36], ['0.0350', '0.0550'],
        { regionPrefixes: ['11'], collateralAccepted: ['IP_PLEDGE'], industryChains: ['AI', 'BIOPHARMA', 'MEDICAL_ROBOTICS'] }),
    ],
  },
  {
    kind: 'BANK', name: '中国工商银行北京分行 (demo)', regionCode: '110000', coverageRegions: ['11'],
    products: [
      loanProduct('经营快贷 (demo)', 'CREDIT_LOAN', ['500000.00', '10000000.00'], [1, 12], ['0.0330', '0.0550'],
        { ...BEIJING_CREDIT_FILTERS, minTaxGrade: 'B', maxCreditDataAgeDays: 365 }),
      loanProduct('融资担保贷 (demo)', 'GUARANTEED_LOAN', ['1000000.00', '30000000.00'], [12, 36], ['0.0380', '0.0600'],
        { regionPrefixes: ['11'], requiresGuarantee: true }),
      loanProduct('上市贷 (demo)', 'LISTING_LOAN', ['5000000.00', '30000000.00'], [12, 36], ['0.0320', '0.0450'],
        { regionPrefixes: ['11'], qualifications: ['LISTING_RESERVE'], minYearsInBusiness: 3 }),
    ],
  },
  {
    kind: 'BANK', name: '上海农商银行 (demo)', regionCode: '310000', coverageRegions: ['31'],
    products: [
      loanProduct('应收账款融资 (demo)', 'RECEIVABLES_FINANCING', ['500000.00', '20000000.00'], [3, 12], ['0.0360', '0.0550'],
        { regionPrefixes: ['31'], collateralAccepted: ['RECEIVABLES'] }),
      loanProduct('科创信用贷 (demo)', 'CREDIT_LOAN', ['1000000.00', '20000000.00'], [12, 36], ['0.0340', '0.0480'],
        { regionPrefixes: ['31'], industryChains: ['HYDROGEN', 'ENERGY_STORAGE', 'AI'], qualifications: ['HIGH_TECH'], minYearsInBusiness: 2 }),
      loanProduct('政策性担保贷 (demo)', 'GUARANTEED_LOAN', ['500000.00', '10000000.00'], [12, 36], ['0.0350', '0.0550'],
        { regionPrefixes: ['31'], requiresGuarantee: true, sizeClasses: ['SMALL', 'MICRO'] }),
    ],
  },
  {
    kind: 'BANK', name: '青岛银行 (demo)', regionCode: '370200', coverageRegions: ['3702'],
    products: [
      loanProduct('转贷周转金 (demo)', 'TURNOVER_FUND', ['500000.00', '30000000.00'], [1, 6], ['0.0400', '0.0600'],
        { regionPrefixes: ['3702'], sizeClasses: ['SMALL', 'MICRO'] }),
      loanProduct('蓝色经济信用贷 (demo)', 'CREDIT_LOAN', ['500000.00', '10000000.00'], [6, 24], ['0.0380', '0.0580'],
        { regionPrefixes: ['3702'], noActiveDishonesty: true, maxOverdueCount12m: 1 }),
      // Guaranteed by Qingdao's guarantee centre: the loans seed 004's fee and risk subsidies are for.
      loanProduct('小微担保贷 (demo)', 'GUARANTEED_LOAN', ['1000000.00', '10000000.00'], [12, 36], ['0.0400', '0.0600'],
        { regionPrefixes: ['3702'], requiresGuarantee: true }),
    ],
  },
  {
    kind: 'GUARANTOR', name: '青岛市中小企业融资担保中心 (demo)', regionCode: '370200', coverageRegions: ['3702'],
    guarantee: { netAssets: '3000000000.00', liability: '12000000000.00', feeRate: '0.010', smallMicroFocused: true, targetMultiple: '5' },
  },
  {
    kind: 'GUARANTOR', name: '上海市中小微企业政策性融资担保基金 (demo)', regionCode: '310000', coverageRegions: ['31'],
    guarantee: { netAssets: '10000000000.00', liability: '32000000000.00', feeRate: '0.005', smallMicroFocused: true, targetMultiple: '5' },
  },
  {
    // DOMAIN E3: multiple 4.5, UNDER_TARGET, remaining capacity 11,000,000,000.
    kind: 'GUARANTOR', name: '北京首创融资担保 (demo)', regionCode: '110000', coverageRegions: ['11'],
    guarantee: { netAssets: '2000000000.00', liability: '9000000000.00', feeRate: '0.010', smallMicroFocused: false, targetMultiple: '5' },
  },
  {
    kind: 'RE_GUARANTOR', name: '安徽省信用融资担保集团 (demo)', regionCode: '340000', coverageRegions: ['34'],
    guarantee: { netAssets: '5000000000.00', liability: '20000000000.00', feeRate: '0.005', smallMicroFocused: false, targetMultiple: null },
  },
  {
    kind: 'INVESTOR', name: '北京中关村创投 (demo)', regionCode: '110000', coverageRegions: ['11', '31'],
    products: [
      equityProduct('硬科技早期投资 (demo)', ['ANGEL', 'SERIES_A'], ['2000000.00', '30000000.00'], '500000000.00',
        { regionPrefixes: ['11', '31'], industryChains: ['AI', 'HYDROGEN', 'ENERGY_STORAGE', 'MEDICAL_ROBOTICS'] }),
      equityProduct('成长期投资 (demo)', ['SERIES_B', 'SERIES_C_PLUS', 'PRE_IPO'], ['20000000.00', '200000000.00'], '5000000000.00',
        { regionPrefixes: ['11', '31'] }),
    ],
  },
  { kind: 'GOVERNMENT_FUND', name: '北京市中小企业发展基金 (demo)', regionCode: '110000', coverageRegions: ['11'] },
  { kind: 'AUTHORITY', name: '北京市经济和信息化局 (demo)', regionCode: '110000', coverageRegions: ['11'] },
];

async function loadInstitutions(em: EntityManager): Promise<{ institutions: number; products: number }> {
  const institutions: QueryDeepPartialEntity<InstitutionEntity>[] = [];
  const profiles: QueryDeepPartialEntity<GuarantorProfileEntity>[] = [];
  const products: QueryDeepPartialEntity<ProductEntity>[] = [];
  for (const seed of INSTITUTIONS) {
    const id = randomUUID();
    institutions.push({ id, kind: seed.kind, name: seed.name, regionCode: seed.regionCode, coverageRegions: seed.coverageRegions });
    const g = seed.guarantee;
    if (g) {
      profiles.push({
        institutionId: id, netAssets: dec(g.netAssets), netAssetsAsOf: '2026-06-30', feeRate: dec(g.feeRate),
        capMultiple: dec(defaultCapMultiple(g.smallMicroFocused)), targetMultiple: g.targetMultiple === null ? null : dec(g.targetMultiple),
        smallMicroFocused: g.smallMicroFocused, openingLiability: dec(g.liability), liability: dec(g.liability),
      });
    }
    for (const product of seed.products ?? []) products.push({ ...product, institutionId: id });
  }
  await insertInChunks(em, InstitutionEntity, institutions);
  await insertInChunks(em, GuarantorProfileEntity, profiles);
  await insertInChunks(em, ProductEntity, products);
  return { institutions: institutions.length, products: products.length };
}

// ---- Synthetic enterprises -----------------------------------------------------------------------

const CITIES = [
  { areaCode: '010', districts: ['110105', '110108', '110106', '110114', '110115'], coastal: false },
  { areaCode: '021', districts: ['310104', '310115', '310112'], coastal: false },
  { areaCode: '0532', districts: ['370202', '370211', '370212'], coastal: true },
];

/** The six chains of seed 003, each with a name fragment, its usual sector and the policy tag it earns (seed 004 Art. (27)). */
const CHAINS = [
  { code: 'HYDROGEN', word: '氢能科技', sector: 'INDUSTRY', tag: 'EMERGING' },
  { code: 'ENERGY_STORAGE', word: '储能技术', sector: 'INDUSTRY', tag: 'EMERGING' },
  { code: 'WIND_EQUIPMENT', word: '风电装备', sector: 'INDUSTRY', tag: 'HIGH_END' },
  { code: 'AI', word: '人工智能科技', sector: 'SOFTWARE_IT', tag: 'EMERGING' },
  { code: 'BIOPHARMA', word: '生物医药', sector: 'INDUSTRY', tag: 'EMERGING' },
  { code: 'MEDICAL_ROBOTICS', word: '医疗机器人', sector: 'INDUSTRY', tag: 'HIGH_END' },
] as const;

const GENERAL_LINES: readonly (readonly [{ word: string; sector: Sector }, number])[] = [
  [{ word: '精密机械', sector: 'INDUSTRY' }, 30],
  [{ word: '软件信息', sector: 'SOFTWARE_IT' }, 25],
  [{ word: '商贸', sector: 'WHOLESALE' }, 15],
  [{ word: '连锁零售', sector: 'RETAIL' }, 10],
  [{ word: '建设工程', sector: 'CONSTRUCTION' }, 10],
  [{ word: '企业服务', sector: 'OTHER' }, 10],
];

/** Scale bands (employees, revenue in 万元), weighted so all four size classes appear; the class itself is computed (R2). */
const SCALES: readonly (readonly [{ employees: [number, number]; revenueWan: [number, number] }, number])[] = [
  [{ employees: [3, 18], revenueWan: [20, 280] }, 30],
  [{ employees: [20, 280], revenueWan: [300, 1800] }, 40],
  [{ employees: [300, 900], revenueWan: [2000, 35000] }, 22],
  [{ employees: [1000, 2500], revenueWan: [40000, 120000] }, 8],
];

interface Firm {
  row: EnterpriseEntity & { foundedOn: string };
  chain: string | null;
}

function uniqueCreditCode(rng: Random, regionCode: string, taken: Set<string>): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < 9; i++) body += CREDIT_CODE_ALPHABET[rng.int(0, CREDIT_CODE_ALPHABET.length - 1)];
    const code = withCheckCharacter(`91${regionCode}${body}`);
    if (!taken.has(code)) {
      taken.add(code);
      return code;
    }
  }
}

function makeFirm(rng: Random, index: number, codes: Set<string>, now: Date): Firm {
  const no = pad(index + 1, 4);
  const city = rng.pick(CITIES);
  const regionCode = rng.pick(city.districts);
  const chain = rng.chance(0.7) ? rng.pick(CHAINS) : null;
  const line = chain ?? rng.weighted(GENERAL_LINES);
  const sector: Sector = line.sector;

  const scale = rng.weighted(SCALES);
  const employees = rng.int(...scale.employees);
  const revenue = rng.int(scale.revenueWan[0] * 100, scale.revenueWan[1] * 100) * 100;
  const totalAssets = (revenue / 10) * rng.int(5, 20);

  const sectorTags: string[] = [];
  if (chain && rng.chance(0.5)) sectorTags.push(chain.tag);
  if (city.coastal && (chain?.code === 'WIND_EQUIPMENT' || rng.chance(0.4))) sectorTags.push('BLUE_ECONOMY');

  const createdAt = new Date(now.getTime() - rng.int(91 * DAY_MS, 720 * DAY_MS));
  return {
    chain: chain?.code ?? null,
    row: {
      id: randomUUID(),
      creditCode: uniqueCreditCode(rng, regionCode, codes),
      name: `示例${line.word}有限公司 ${no} (synthetic)`,
      sector, industryCode: null, regionCode,
      foundedOn: `${rng.int(2005, 2024)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`,
      employees, revenue: yuan(revenue), totalAssets: yuan(totalAssets),
      sizeClass: sizeClassFromYuan(sector, employees, yuan(revenue), yuan(totalAssets)), sizeStandard: SIZE_STANDARD_ID,
      industryChains: chain ? [chain.code] : [], sectorTags, declaredSectorTags: [],
      contactPerson: `示例联系人 ${no}`, contactPhone: `${city.areaCode}-0000-${no}`, contactEmail: `contact${no}@example.invalid`,
      synthetic: true, profileKnown: true, createdAt, updatedAt: createdAt,
    },
  };
}

/** HIGH_TECH (3-year certificate), TECH_SME (one calendar year), LISTING_RESERVE (a two-year pool term; loaded into the reserve list). */
function qualificationsOf(rng: Random, firm: Firm, today: string): QueryDeepPartialEntity<EnterpriseQualificationEntity>[] {
  const { id: enterpriseId, sizeClass, sector, foundedOn } = firm.row;
  const year = Number(today.slice(0, 4));
  const rows: QueryDeepPartialEntity<EnterpriseQualificationEntity>[] = [];
  if (firm.chain && foundedOn < `${year - 3}-01-01` && rng.chance(0.35)) {
    const from = addDays(today, -rng.int(0, 1000));
    rows.push({ enterpriseId, code: 'HIGH_TECH', validFrom: from, validTo: addDays(`${Number(from.slice(0, 4)) + 3}${from.slice(4)}`, -1) });
  }
  if ((sizeClass === 'SMALL' || sizeClass === 'MICRO') && (firm.chain || sector === 'SOFTWARE_IT') && rng.chance(0.3)) {
    rows.push({ enterpriseId, code: 'TECH_SME', validFrom: `${year}-01-01`, validTo: `${year}-12-31` });
  }
  if ((sizeClass === 'MEDIUM' || sizeClass === 'LARGE') && rng.chance(0.25)) {
    rows.push({ enterpriseId, code: 'LISTING_RESERVE', validFrom: `${year - 1}-07-01`, validTo: `${year + 1}-06-30` });
  }
  return rows;
}

// ---- Financing needs -----------------------------------------------------------------------------

type NeedRow = QueryDeepPartialEntity<FinancingNeedEntity> & { kind: 'LOAN' | 'EQUITY'; amount: Decimal; termMonths: number | null };

/** Largest loan a firm of each size asks for, in 万元. */
const LOAN_CAP_WAN: Record<SizeClass, number> = { MICRO: 300, SMALL: 1000, MEDIUM: 2000, LARGE: 2000 };

const COLLATERAL: readonly (readonly [CollateralType[], number])[] = [
  [['NONE'], 35], [['RECEIVABLES'], 20], [['REAL_ESTATE'], 15], [['EQUIPMENT'], 10], [['IP_PLEDGE'], 10], [['WAREHOUSE_RECEIPT'], 5], [['EQUITY_PLEDGE'], 5],
];

/** Pre-money valuation range per stage, in 万元. */
const VALUATION_WAN: Record<EquityStage, [number, number]> = {
  SEED: [500, 3000], ANGEL: [2000, 8000], SERIES_A: [5000, 30000], SERIES_B: [20000, 80000], SERIES_C_PLUS: [50000, 200000], PRE_IPO: [100000, 500000],
};
const STAGE_WEIGHTS: readonly (readonly [EquityStage, number])[] = [
  ['SEED', 10], ['ANGEL', 20], ['SERIES_A', 30], ['SERIES_B', 20], ['SERIES_C_PLUS', 12], ['PRE_IPO', 8],
];
const USES_OF_PROCEEDS = ['研发投入与核心团队扩充', '新产线建设与产能扩张', '市场拓展与渠道建设', '样机验证与产品注册', '补充营运资金与数字化改造'];

function loanNeed(rng: Random, firm: Firm): Omit<NeedRow, 'enterpriseId' | 'neededBy' | 'createdAt'> {
  return {
    kind: 'LOAN', amount: yuan(rng.int(50, LOAN_CAP_WAN[firm.row.sizeClass]) * 10_000), termMonths: rng.pick([6, 12, 24, 36]),
    purpose: rng.pick(LOAN_PURPOSES), collateralOffered: rng.weighted(COLLATERAL), maxAnnualRate: basisPoints(rng.int(400, 700)),
    acceptGuarantee: rng.chance(0.7), equityStage: null, preMoneyValuation: null, maxShareOffered: null, useOfProceeds: null,
  };
}

function equityNeed(rng: Random): Omit<NeedRow, 'enterpriseId' | 'neededBy' | 'createdAt'> {
  const stage = rng.weighted(STAGE_WEIGHTS);
  const preMoneyWan = rng.int(...VALUATION_WAN[stage]);
  const shareBp = rng.int(10, 50) * 50; // 0.05–0.25
  return {
    kind: 'EQUITY', amount: yuan(Math.max(50, Math.floor((preMoneyWan * shareBp) / 10_000)) * 10_000), termMonths: null,
    purpose: null, collateralOffered: [], maxAnnualRate: null, acceptGuarantee: false,
    equityStage: stage, preMoneyValuation: yuan(preMoneyWan * 10_000), maxShareOffered: basisPoints(shareBp), useOfProceeds: rng.pick(USES_OF_PROCEEDS),
  };
}

/** 0–2 open needs; never two with the same kind, amount and term (the active-duplicate index, R11). */
function needsOf(rng: Random, firm: Firm, today: string, now: Date): NeedRow[] {
  if (!rng.chance(0.6)) return [];
  const count = rng.chance(0.3) ? 2 : 1;
  const seen = new Set<string>();
  const needs: NeedRow[] = [];
  while (needs.length < count) {
    const terms = rng.chance(0.15) ? equityNeed(rng) : loanNeed(rng, firm);
    const key = `${terms.kind}|${terms.amount.toFixed(2)}|${terms.termMonths ?? 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const createdAt = new Date(now.getTime() - rng.int(0, 90 * DAY_MS - 1));
    needs.push({
      ...terms, enterpriseId: firm.row.id, status: 'OPEN', channel: rng.pick(CHANNELS), neededBy: addDays(today, rng.int(30, 180)),
      postedBy: POSTED_BY, createdAt, updatedAt: createdAt,
    });
  }
  return needs;
}

// ---- Entry point ---------------------------------------------------------------------------------

/** Inserts the demo data with `em`; the caller owns the transaction and the "load once" guard. */
export async function loadDemoData(
  em: EntityManager,
  log: { info: (obj: object, msg?: string) => void },
  options?: { enterprises?: number; seed?: number },
): Promise<DemoSummary> {
  const rng = new Random(options?.seed ?? 20_260_101);
  const now = new Date();
  const today = todayInShanghai(now);

  await em.insert(BenchmarkRateEntity, [
    { code: 'PBOC_1Y', effectiveFrom: '2015-10-24', rate: dec('0.0435'), source: 'PBOC one-year lending benchmark' },
    { code: 'LPR_1Y', effectiveFrom: '2025-05-20', rate: dec('0.0300'), source: 'one-year LPR' },
  ]);
  await em.insert(RiskCompensationPoolEntity, {
    name: '青岛市小微企业贷款风险补偿资金池 (demo)', funder: '青岛市财政', capacity: dec('300000000.00'),
    reserved: dec('0.00'), paid: dec('0.00'), source: '青政发〔2012〕46号 (27)',
  });
  const { institutions, products } = await loadInstitutions(em);

  const codes = new Set<string>();
  const firms = Array.from({ length: options?.enterprises ?? 300 }, (_, i) => makeFirm(rng, i, codes, now));
  const qualifications = firms.flatMap((firm) => qualificationsOf(rng, firm, today));
  const needs = firms.flatMap((firm) => needsOf(rng, firm, today, now));
  await insertInChunks(em, EnterpriseEntity, firms.map((f) => f.row));
  // The demo firms come from the authority's lists: their qualifications are the authority's (issue 11 §6).
  await insertInChunks(em, EnterpriseQualificationEntity, qualifications.filter((q) => q.code !== 'LISTING_RESERVE').map((q) => ({ ...q, source: 'AUTHORITY' as const })));
  // The listing reserve pool is the authorities' list (issue 17 §3), not a qualification.
  await insertInChunks(em, ListingReserveEntryEntity, qualifications.filter((q) => q.code === 'LISTING_RESERVE').map((q) => ({
    enterpriseId: q.enterpriseId, validFrom: q.validFrom, validTo: q.validTo, addedBy: 'demo', addReason: '储备库入库 (demo)',
  })));
  await insertInChunks(em, FinancingNeedEntity, needs);

  const listsAndCredit = await loadDemoWhitelistAndCredit(em, today, (options?.seed ?? 20_260_101) + 1);
  const policy = await loadDemoPolicy(em);
  const summary: DemoSummary = { enterprises: firms.length, needs: needs.length, institutions, products, ...listsAndCredit, ...policy };
  log.info({ ...summary }, 'demo data loaded');
  return summary;
}

// ---- Whitelist and credit data (R4, R5) -----------------------------------------------------------

/** Names carry "示例" / "demo": a demo list, not an authority's real one. */
export const DEMO_WHITELIST = '专精特新企业融资白名单（示例 demo）';
const DEMO_PUBLISHER = '示例：市经济和信息化主管部门 (demo)';
const DEMO_CREDIT_SOURCE = 'DEMO-CREDIT (synthetic)';

const TIER_WEIGHTS: readonly (readonly [QualificationTier, number])[] = [
  ['INNOVATIVE_SME', 45], ['SPECIALIZED_SME', 35], ['LITTLE_GIANT', 15], ['SINGLE_CHAMPION', 5],
];

/**
 * Puts about half the synthetic firms (chain firms first) on a demo whitelist, revokes a few entries,
 * and imports two rounds of synthetic credit data (a year ago and last month) through the same paths as
 * the API, so the history, the as-of rule and dishonesty repair show. Reads the firms back in credit-code
 * order, so it can also run later on a database loaded by an earlier version.
 */
export async function loadDemoWhitelistAndCredit(em: EntityManager, today: string, seed: number): Promise<{ whitelistEntries: number; creditRecords: number }> {
  const rng = new Random(seed);
  const firms: { credit_code: string; name: string; industry_chains: string[]; size_class: SizeClass }[] = await em.query(
    'SELECT credit_code, name, industry_chains, size_class FROM enterprise WHERE synthetic ORDER BY credit_code',
  );
  if (!firms.length) return { whitelistEntries: 0, creditRecords: 0 };

  const entries: EntryDraft[] = firms
    .filter((f) => rng.chance(f.industry_chains.length ? 0.75 : 0.25))
    .map((f) => {
      const validFrom = addDays(today, -rng.int(30, 900));
      return { creditCode: f.credit_code, name: f.name, tier: rng.weighted(TIER_WEIGHTS), validFrom, validTo: addDays(`${Number(validFrom.slice(0, 4)) + 3}${validFrom.slice(4)}`, -1) };
    });
  await writeBatch(em, { whitelistName: DEMO_WHITELIST, publisher: DEMO_PUBLISHER, batch: `${today.slice(0, 4)}-1`, entries, source: 'DEMO', publishedBy: POSTED_BY });
  await em.query(
    `UPDATE whitelist_entry SET revoked_on = $1::date, revocation_reason = '示例：复核未通过 (demo: failed review)', revoked_by = $2, revoked_at = now()
      WHERE id IN (SELECT id FROM whitelist_entry ORDER BY listed_name LIMIT 3) AND valid_from <= $1::date`,
    [addDays(today, -10), POSTED_BY],
  );

  const yearAgo = addDays(today, -365);
  const lastMonth = addDays(today, -30);
  const older: CreditRecordDraft[] = [];
  const newer: CreditRecordDraft[] = [];
  for (const f of firms) {
    if (!rng.chance(0.85)) continue;
    const good = f.size_class === 'MEDIUM' || f.size_class === 'LARGE' ? 2 : 4;
    const rating = CREDIT_RATINGS[Math.min(CREDIT_RATINGS.length - 1, rng.int(good - 2 < 0 ? 0 : good - 2, good + 3))];
    const taxGrade = rng.chance(0.1) ? 'M' : TAX_GRADES[rng.weighted([[0, 50], [1, 35], [3, 10], [4, 5]] as const)];
    const hadBankLoan = rng.chance(0.7);
    const listed = rng.chance(0.06);
    const listing = listed ? { kind: rng.pick(['DISHONEST_JUDGMENT_DEBTOR', 'MAJOR_TAX_VIOLATION', 'ABNORMAL_OPERATION'] as const), listedOn: addDays(yearAgo, -rng.int(10, 300)) } : null;
    const repaired = listing && rng.chance(0.5);
    if (rng.chance(0.6)) {
      older.push({ creditCode: f.credit_code, rating: CREDIT_RATINGS[Math.min(CREDIT_RATINGS.length - 1, CREDIT_RATINGS.indexOf(rating) + rng.int(0, 1))], taxGrade, overdueCount12m: rng.int(0, 3), hadBankLoan, dishonesty: listing ? [listing] : [] });
    }
    newer.push({
      creditCode: f.credit_code, rating, taxGrade, overdueCount12m: rng.chance(0.8) ? 0 : rng.int(1, 4),
      currentOverdueAmount: money(rng.chance(0.9) ? 0 : rng.int(1, 50) * 10_000),
      socialSecurityMonths: rng.int(6, 120), hadBankLoan,
      dishonesty: listing ? [{ ...listing, repairedOn: repaired ? addDays(lastMonth, -rng.int(5, 200)) : null }] : [],
    });
  }
  for (const [asOf, records] of [[yearAgo, older], [lastMonth, newer]] as const) {
    if (records.length) await writeImport(em, { source: DEMO_CREDIT_SOURCE, asOf, records, fileName: null, importedBy: POSTED_BY });
  }
  return { whitelistEntries: entries.length, creditRecords: older.length + newer.length };
}

// ---- Policy records (R6–R9) -----------------------------------------------------------------------

const ANHUI_4321 = [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }];
const NATIONAL_FUND = [{ party: 'GUARANTOR', share: '0.40' }, { party: 'NATIONAL_FUND', share: '0.20' }, { party: 'RE_GUARANTOR', share: '0.20' }, { party: 'BANK', share: '0.20' }];

/**
 * The demo's policy records: the two risk-sharing models of R7, the banks' guarantors, and one rule of
 * each PolicyRuleKind with the figures of seed 004 (Qingdao) and DOMAIN E4–E8, so demo needs show
 * guarantees, reserves and subsidies on their matches.
 */
export async function loadDemoPolicy(em: EntityManager): Promise<{ policyRules: number; agreements: number }> {
  const id = async (sql: string, params: unknown[]) => ((await em.query(sql, params)) as { id: string }[])[0].id;
  const institution = (name: string) => id(`SELECT id FROM institution WHERE name = $1`, [name]);
  const rule = (name: string, shares: typeof ANHUI_4321) => {
    const coverage = coverageRatio(shares.map((s) => ({ party: s.party as RiskParty, share: dec(s.share) })));
    return id(`INSERT INTO risk_sharing_rule (name, shares, coverage_ratio) VALUES ($1, $2::jsonb, $3) RETURNING id`, [name, JSON.stringify(shares), coverage.toFixed()]);
  };
  const anhui = await rule('安徽“4321”模式 (demo)', ANHUI_4321);
  const national = await rule('国家融资担保基金再担保模式 (demo)', NATIONAL_FUND);
  const agreements: [string, string, string, string | null][] = [
    ['中国工商银行北京分行 (demo)', '北京首创融资担保 (demo)', national, null],
    ['上海农商银行 (demo)', '上海市中小微企业政策性融资担保基金 (demo)', anhui, '0.005'],
    ['青岛银行 (demo)', '青岛市中小企业融资担保中心 (demo)', anhui, null],
  ];
  for (const [bank, guarantor, ruleId, fee] of agreements) {
    await em.query(`INSERT INTO cooperation_agreement (bank_id, guarantor_id, risk_sharing_rule_id, fee_rate) VALUES ($1, $2, $3, $4)`,
      [await institution(bank), await institution(guarantor), ruleId, fee]);
  }
  const pool = await id(`SELECT id FROM risk_compensation_pool WHERE name = $1`, ['青岛市小微企业贷款风险补偿资金池 (demo)']);
  // Seed 004 is Qingdao's (青政发〔2012〕46号): its rules apply to Qingdao's firms only (issue 17 §1).
  const QINGDAO = { region_prefixes: ['3702'] };
  const rules: [string, PolicyRuleKind, string | null, Record<string, string>, Partial<Record<'product_kinds' | 'sector_tags' | 'region_prefixes' | 'size_classes', string[]>>, string][] = [
    ['QD-RISK-COMP', 'RISK_COMPENSATION', pool, { commitmentRatio: '0.05', lossShare: '1' }, { product_kinds: ['CREDIT_LOAN'], sector_tags: ['BLUE_ECONOMY', 'HIGH_END', 'EMERGING'], region_prefixes: ['3702'] }, '青政发〔2012〕46号 (27)'],
    ['QD-GUARANTEE-FEE', 'GUARANTEE_FEE_SUBSIDY', null, { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, QINGDAO, '青政发〔2012〕46号 (24)'],
    ['QD-GUARANTEE-RISK', 'GUARANTEE_RISK_SUBSIDY', null, { ratio: '0.015', growthRatio: '0.01' }, QINGDAO, '青政发〔2012〕46号 (24)'],
    ['QD-TURNOVER', 'TURNOVER_FUND_SUBSIDY', null, { ratio: '0.003' }, QINGDAO, '青政发〔2012〕46号 (26)'],
    ['QD-LEASING', 'LEASING_SUBSIDY', null, { ratio: '0.02' }, QINGDAO, '青政发〔2012〕46号 (30)'],
    ['BJ-SRDI-INTEREST', 'INTEREST_SUBSIDY', null, { ratio: '0.3' }, { product_kinds: ['CREDIT_LOAN'], region_prefixes: ['11'] }, '专精特新贷款贴息 (demo)'],
    ['QD-COLLECTIVE-BOND', 'COLLECTIVE_BOND', null, { supportRatio: '0.01', perEnterpriseCap: '1000000', fundRatio: '0.05', publicShare: '0.5' }, QINGDAO, '青政发〔2012〕46号 (32)'],
  ];
  for (const [code, kind, poolId, raw, e, source] of rules) {
    // The same parameter checks as createPolicyRule: a mistyped name would reach the calculators.
    const { params, failures } = checkParams(calculatorFor(kind).params, raw);
    if (failures.length) throw new Error(`demo policy rule ${code}: ${JSON.stringify(failures)}`);
    await em.query(
      `INSERT INTO policy_rule (code, version, kind, pool_id, params, product_kinds, sector_tags, region_prefixes, size_classes, source, created_by)
       VALUES ($1, 1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10)`,
      [code, kind, poolId, JSON.stringify(params), e.product_kinds ?? [], e.sector_tags ?? [], e.region_prefixes ?? [], e.size_classes ?? [], source, POSTED_BY],
    );
  }
  return { policyRules: rules.length, agreements: agreements.length };
}
