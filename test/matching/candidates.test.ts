/**
 * R13's first stage: the candidate SQL keeps exactly the pairs that pass the checks a column can answer
 * (need kind, product active, amount, term, region, sector, chain, size class), as the engine decides
 * them. Random needs, firms and products are written in a transaction that is rolled back after each run.
 */
import fc from 'fast-check';
import { QueryRunner } from 'typeorm';
import { Decimal } from '../../src/common/decimal';
import { uuidOf } from '../../src/common/ids';
import { SIZE_CLASSES } from '../../src/enterprises/size-class';
import { candidatePairsSql } from '../../src/matching/candidates';
import { MatchCheckCode, runChecks } from '../../src/matching/engine/checks';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from '../../src/matching/engine/facts';
import { createInstitution, newCreditCode, staff } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/harness';

const TODAY = '2026-06-15';
const NARROWED: MatchCheckCode[] = ['NEED_KIND', 'PRODUCT_ACTIVE', 'AMOUNT', 'TERM', 'REGION', 'SECTOR', 'CHAIN', 'SIZE_CLASS'];
const REGIONS = ['110108', '110105', '310115', '370212', '370202'];
const PREFIXES = ['11', '1101', '110108', '31', '3702', '370212'];
const SECTORS = ['INDUSTRY', 'RETAIL', 'SOFTWARE_IT'] as const;
const CHAINS = ['AI', 'HYDROGEN', 'BIOPHARMA'];
const AMOUNTS = [100_000, 1_000_000, 5_000_000, 20_000_000];

const firmArb = fc.record({
  region: fc.constantFrom(...REGIONS), sector: fc.constantFrom(...SECTORS), size: fc.constantFrom(...SIZE_CLASSES),
  chains: fc.subarray(CHAINS), kind: fc.constantFrom('LOAN' as const, 'EQUITY' as const), amount: fc.constantFrom(...AMOUNTS), term: fc.constantFrom(6, 12, 36),
});
const productArb = fc.record({
  needKind: fc.constantFrom('LOAN' as const, 'EQUITY' as const), enabled: fc.boolean(),
  activeFrom: fc.option(fc.constantFrom('2026-01-01', '2026-06-15', '2026-06-16'), { nil: null }),
  activeTo: fc.option(fc.constantFrom('2026-06-14', '2026-06-15', '2027-01-01'), { nil: null }),
  min: fc.constantFrom(...AMOUNTS), span: fc.constantFrom(0, 1_000_000, 10_000_000),
  minTerm: fc.option(fc.constantFrom(6, 12), { nil: null }), maxTerm: fc.option(fc.constantFrom(12, 36), { nil: null }),
  prefixes: fc.subarray(PREFIXES, { maxLength: 2 }), sectors: fc.subarray([...SECTORS], { maxLength: 2 }),
  sizes: fc.subarray([...SIZE_CLASSES], { maxLength: 2 }), chains: fc.subarray(CHAINS, { maxLength: 2 }),
});

let app: TestApp;
let runner: QueryRunner;
let institutionId: string;

beforeAll(async () => {
  app = await startTestApp();
  institutionId = uuidOf((await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '候选银行' })).id, 'Institution')!;
  runner = app.dataSource.createQueryRunner();
  await runner.connect();
});
afterAll(async () => {
  await runner?.release();
  await app?.close();
});

const context = { today: TODAY, guarantorsByBank: new Map(), borrowerBalance: () => new Decimal(0), rules: [], benchmarkRate: () => null,
  feeSubsidyBookedThisYear: () => new Decimal(0), poolAvailable: () => new Decimal(0) } as MatchContext;

it('selects exactly the pairs the engine passes on the checks the SQL narrows', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(firmArb, { minLength: 1, maxLength: 6 }), fc.array(productArb, { minLength: 1, maxLength: 6 }), async (firms, drafts) => {
      await runner.startTransaction();
      try {
        const needs: { need: NeedFacts; firm: EnterpriseFacts }[] = [];
        for (const f of firms) {
          const [{ id: enterpriseId }] = await runner.query(
            `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard, industry_chains) VALUES ($1, 'f', $2, $3, $4, 'MIIT-2011-300', $5) RETURNING id`,
            [newCreditCode(), f.sector, f.region, f.size, f.chains],
          );
          const term = f.kind === 'LOAN' ? f.term : null;
          const [{ id }] = await runner.query(
            `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, posted_by) VALUES ($1, $2, 'WEB', $3, $4, 'test') RETURNING id`,
            [enterpriseId, f.kind, f.amount, term],
          );
          needs.push({
            need: { id, enterpriseId, kind: f.kind, amount: new Decimal(f.amount), termMonths: term, collateralOffered: [], maxAnnualRate: null, acceptGuarantee: true, equityStage: null, preMoneyValuation: null },
            firm: { id: enterpriseId, regionCode: f.region, sector: f.sector, sizeClass: f.size, industryChains: f.chains, sectorTags: [], foundedOn: null, qualifications: [], whitelistTier: null, credit: null },
          });
        }
        const products: ProductFacts[] = [];
        for (const p of drafts) {
          const minTerm = p.minTerm !== null && p.maxTerm !== null && p.minTerm > p.maxTerm ? p.maxTerm : p.minTerm;
          const activeFrom = p.activeFrom && p.activeTo && p.activeFrom > p.activeTo ? p.activeTo : p.activeFrom;
          const [{ id }] = await runner.query(
            `INSERT INTO product (institution_id, name, kind, need_kind, enabled, active_from, active_to, min_amount, max_amount, min_term_months, max_term_months,
                                  region_prefixes, sectors, size_classes, industry_chains)
             VALUES ($1, 'p', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
            [institutionId, p.needKind === 'LOAN' ? 'CREDIT_LOAN' : 'EQUITY_INVESTMENT', p.needKind, p.enabled, activeFrom, p.activeTo, p.min, p.min + p.span, minTerm, p.maxTerm,
              p.prefixes, p.sectors, p.sizes, p.chains],
          );
          products.push({
            id, institutionId, kind: p.needKind === 'LOAN' ? 'CREDIT_LOAN' : 'EQUITY_INVESTMENT', needKind: p.needKind, enabled: p.enabled, activeFrom, activeTo: p.activeTo,
            minAmount: new Decimal(p.min), maxAmount: new Decimal(p.min + p.span), minTermMonths: minTerm, maxTermMonths: p.maxTerm, minAnnualRate: null,
            collateralAccepted: [], requiresGuarantee: false, regionPrefixes: p.prefixes, sectors: p.sectors, industryChains: p.chains, sizeClasses: p.sizes,
            minYearsInBusiness: null, whitelistTierAtLeast: null, qualifications: [], minRating: null, minTaxGrade: null, noActiveDishonesty: false,
            maxOverdueCount12m: null, maxCreditDataAgeDays: null, firstLoanOnly: false, equityStages: [], minTicket: null, maxTicket: null, maxPreMoneyValuation: null, version: 1,
          });
        }
        const rows: { need_id: string; product_id: string }[] = await runner.query(
          `${candidatePairsSql('n.id = ANY($2::uuid[]) AND p.id = ANY($3::uuid[])')}`,
          [TODAY, needs.map((n) => n.need.id), products.map((p) => p.id)],
        );
        const fromSql = rows.map((r) => `${r.need_id}|${r.product_id}`).sort();
        const fromEngine = needs.flatMap(({ need, firm }) => products
          .filter((p) => runChecks(need, firm, p, context).checks.filter((c) => NARROWED.includes(c.code)).every((c) => c.passed))
          .map((p) => `${need.id}|${p.id}`)).sort();
        expect(fromSql).toEqual(fromEngine);
      } finally {
        await runner.rollbackTransaction();
      }
    }),
    { numRuns: 80 },
  );
});
