/**
 * R13's first stage: the candidate SQL keeps exactly the pairs that pass every check but GUARANTEE's
 * search for a guarantor with room (each criterion's `engineVariants`), as
 * the engine's `runChecks` decides them on the facts the loader reads. Random needs, firms (profile,
 * founding date, credit profile, whitelist entries, qualifications) and products (every criterion) are
 * written in a transaction that is rolled back after each run. The criteria come from the registry
 * (src/matching/criteria/): a criterion on columns this file does not write brings its `samples`, drawn
 * here beside null, so a new criterion is covered — and must be, below — without editing this test.
 * The product index each process keeps (product-index.ts) is held to the same pairs in the same runs.
 */
import fc from 'fast-check';
import { QueryRunner } from 'typeorm';
import { uuidOf } from '../../src/common/ids';
import { CREDIT_RATINGS, TAX_GRADES } from '../../src/credit/grades';
import { SIZE_CLASSES } from '../../src/enterprises/size-class';
import { candidatesOfNeedsSql, candidatesOfProductSql } from '../../src/matching/candidates';
import { CRITERIA, criterionOf } from '../../src/matching/criteria';
import type { Samples } from '../../src/matching/criteria/criterion';
import { CheckResult, MATCH_CHECK_CODES, MatchCheckCode, runChecks } from '../../src/matching/engine/checks';
import { loadNeedInputs, loadPairInputs } from '../../src/matching/facts.service';
import { QUALIFICATION_TIERS } from '../../src/whitelists/tier';
import { createInstitution, newCreditCode, staff } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/harness';

const TODAY = '2026-06-15';
const SEED = Number(process.env.FC_SEED ?? 20261122);
/** Every check is narrowed in SQL but the variants only the engine decides (GUARANTEE: no agreement, no room); a need that refuses guarantees is. */
const narrowed = (c: CheckResult) => !criterionOf(c.code)!.engineVariants?.some((v) => c.detail === `CHECK_${c.code}.${v}`);
const REGIONS = ['110108', '110105', '310115', '370212', '370202'];
const PREFIXES = ['11', '1101', '110108', '31', '3702', '370212'];
const SECTORS = ['INDUSTRY', 'RETAIL', 'SOFTWARE_IT'] as const;
const CHAINS = ['AI', 'HYDROGEN', 'BIOPHARMA'];
const QUALIFICATIONS = ['HIGH_TECH', 'SRDI'];
const COLLATERAL = ['NONE', 'REAL_ESTATE', 'RECEIVABLES', 'IP_PLEDGE'] as const;
const STAGES = ['SEED', 'ANGEL', 'SERIES_A'] as const;
const AMOUNTS = [100_000, 1_000_000, 5_000_000, 20_000_000];
const DATES = ['2020-06-15', '2021-06-16', '2023-02-28', '2024-02-29', '2026-03-17', '2026-06-15', '2026-06-16'];

/** Unset four times in five: each criterion of a product is usually off, so that pairs pass as often as they fail. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: arb, weight: 1 });
const often = <T>(arb: fc.Arbitrary<T[]>) => fc.oneof({ arbitrary: fc.constant([] as T[]), weight: 3 }, { arbitrary: arb, weight: 1 });
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });

/**
 * The registered criteria's sample columns of one table, each null or one of its samples: a product's
 * criterion is unset four times in five (as above), a firm's or need's figure unknown one time in five.
 */
const sampled = (table: keyof Samples, nullWeight: number, valueWeight: number) => fc.record(Object.fromEntries(CRITERIA.flatMap((c) => Object.entries(c.samples?.[table] ?? {}))
  .map(([column, values]) => [column, fc.oneof({ arbitrary: fc.constant(null), weight: nullWeight }, { arbitrary: fc.constantFrom(...values), weight: valueWeight })])));
const samplesArb = fc.record({ product: sampled('product', 4, 1), enterprise: sampled('enterprise', 1, 4), need: sampled('need', 1, 4) });

const creditArb = fc.record({
  rating: fc.option(fc.constantFrom(...CREDIT_RATINGS), { nil: null }), tax: fc.option(fc.constantFrom(...TAX_GRADES), { nil: null }),
  dishonest: fc.boolean(), overdue: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), hadLoan: fc.option(fc.boolean(), { nil: null }),
  asOf: fc.constantFrom('2025-06-15', '2026-03-17', '2026-06-14'),
});
const entryArb = fc.record({
  tier: fc.constantFrom(...QUALIFICATION_TIERS), from: fc.constantFrom('2025-01-01', '2026-06-15', '2026-06-16'),
  to: fc.constantFrom('2026-06-14', '2026-06-15', '2027-12-31'), revokedOn: fc.option(fc.constantFrom('2026-06-15', '2026-06-16'), { nil: null }),
});
const qualificationArb = fc.record({
  code: fc.constantFrom(...QUALIFICATIONS), from: fc.option(fc.constantFrom('2025-01-01', '2026-06-16'), { nil: null }),
  to: fc.option(fc.constantFrom('2026-06-14', '2026-06-15'), { nil: null }),
});
const firmArb = fc.record({
  region: fc.constantFrom(...REGIONS), sector: fc.constantFrom(...SECTORS), size: fc.constantFrom(...SIZE_CLASSES), chains: fc.subarray(CHAINS),
  foundedOn: fc.option(fc.constantFrom(...DATES), { nil: null }), credit: fc.option(creditArb, { nil: null }),
  entries: fc.array(entryArb, { maxLength: 2 }), qualifications: fc.array(qualificationArb, { maxLength: 2 }),
  kind: fc.constantFrom('LOAN' as const, 'EQUITY' as const),
  amount: fc.constantFrom(...AMOUNTS), term: fc.option(fc.constantFrom(6, 12, 36), { nil: null }),
  collateral: fc.subarray([...COLLATERAL], { maxLength: 2 }), maxRate: fc.option(fc.constantFrom('0.04', '0.06'), { nil: null }),
  acceptGuarantee: fc.boolean(), stage: fc.option(fc.constantFrom(...STAGES), { nil: null }),
  valuation: fc.option(fc.constantFrom(50_000_000, 500_000_000), { nil: null }),
});
const productArb = fc.record({
  needKind: fc.constantFrom('LOAN' as const, 'EQUITY' as const), enabled: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
  activeFrom: sometimes(fc.constantFrom('2026-01-01', '2026-06-15', '2026-06-16')),
  activeTo: sometimes(fc.constantFrom('2026-06-14', '2026-06-15', '2027-01-01')),
  min: fc.constantFrom(0, ...AMOUNTS), span: fc.constantFrom(0, 1_000_000, 100_000_000),
  minTerm: sometimes(fc.constantFrom(6, 12)), maxTerm: sometimes(fc.constantFrom(12, 36)),
  prefixes: often(fc.subarray(PREFIXES, { maxLength: 2 })), sectors: often(fc.subarray([...SECTORS], { maxLength: 2 })),
  sizes: often(fc.subarray([...SIZE_CLASSES], { maxLength: 2 })), chains: often(fc.subarray(CHAINS, { maxLength: 2 })),
  minYears: sometimes(fc.constantFrom(0, 2, 3, 6)), tier: sometimes(fc.constantFrom(...QUALIFICATION_TIERS)),
  qualifications: often(fc.subarray(QUALIFICATIONS)), minRating: sometimes(fc.constantFrom('AA', 'A', 'BBB')),
  minTax: sometimes(fc.constantFrom('A', 'B', 'M')), noDishonesty: rarely, maxOverdue: sometimes(fc.constantFrom(0, 1)),
  maxAge: sometimes(fc.constantFrom(1, 90, 365)), firstLoan: rarely, collateral: often(fc.subarray([...COLLATERAL], { maxLength: 2 })),
  minRate: sometimes(fc.constantFrom('0.035', '0.05')), requiresGuarantee: rarely, stages: fc.subarray([...STAGES], { maxLength: 2 }),
  // Equity criteria are set half the time: fewer pairs reach them.
  minTicket: fc.option(fc.constantFrom(1_000_000, 5_000_000), { nil: null, freq: 2 }), maxTicket: fc.option(fc.constantFrom(5_000_000, 50_000_000), { nil: null, freq: 2 }),
  maxValuation: fc.option(fc.constantFrom(100_000_000, 1_000_000_000), { nil: null, freq: 2 }),
});
/** Sample columns for each firm (with its need) and product of a run, drawn after them (a new criterion leaves the others' draws as they were). */
const runSamplesArb = fc.array(samplesArb, { minLength: 6, maxLength: 6 });

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

/** Writes a row's sample columns (names from the registry, not from input). */
async function writeSamples(table: string, id: string, values: Record<string, unknown>): Promise<void> {
  for (const [column, value] of Object.entries(values)) await runner.query(`UPDATE ${table} SET ${column} = $2 WHERE id = $1`, [id, value]);
}

type Firm = typeof firmArb extends fc.Arbitrary<infer T> ? T : never;
type Sampled = typeof samplesArb extends fc.Arbitrary<infer T> ? T : never;

async function insertFirm(f: Firm, samples: Sampled, whitelistId: string, batchId: string, importId: string): Promise<string> {
  const [{ id }] = await runner.query(
    `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard, industry_chains, founded_on)
     VALUES ($1, 'f', $2, $3, $4, 'MIIT-2011-300', $5, $6) RETURNING id`,
    [newCreditCode(), f.sector, f.region, f.size, f.chains, f.foundedOn],
  );
  if (f.credit) {
    const c = f.credit;
    const dishonesty = c.dishonest ? '[{"kind":"ABNORMAL_OPERATION","listedOn":"2025-01-01","repairedOn":null}]' : '[]';
    const [{ id: recordId }] = await runner.query(
      `INSERT INTO credit_record (enterprise_id, source, as_of, import_id, rating, tax_grade, overdue_count_12m, had_bank_loan, dishonesty)
       VALUES ($1, 'T', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [id, c.asOf, importId, c.rating, c.tax, c.overdue, c.hadLoan, dishonesty],
    );
    await runner.query(
      `INSERT INTO credit_profile (enterprise_id, record_id, source, as_of, rating, tax_grade, overdue_count_12m, had_bank_loan, dishonesty, active_dishonesty)
       VALUES ($1, $2, 'T', $3, $4, $5, $6, $7, $8, $9)`,
      [id, recordId, c.asOf, c.rating, c.tax, c.overdue, c.hadLoan, dishonesty, c.dishonest],
    );
  }
  for (const [k, e] of f.entries.entries()) {
    const to = e.to < e.from ? e.from : e.to;
    // One entry per batch and firm: a second entry goes to a batch of its own.
    const batch = k === 0 ? batchId : (await runner.query(
      `INSERT INTO whitelist_batch (whitelist_id, batch, entry_count, source, published_by) VALUES ($1, $2, 1, 't', 't') RETURNING id`, [whitelistId, `b-${id}`],
    ))[0].id;
    await runner.query(
      `INSERT INTO whitelist_entry (whitelist_id, batch_id, enterprise_id, listed_name, tier, valid_from, valid_to, revoked_on, revocation_reason)
       VALUES ($1, $2, $3, 'f', $4, $5, $6, $7, $8)`,
      [whitelistId, batch, id, e.tier, e.from, to, e.revokedOn, e.revokedOn ? 'test' : null],
    );
  }
  for (const q of f.qualifications) {
    const to = q.from && q.to && q.to < q.from ? q.from : q.to;
    await runner.query(`INSERT INTO enterprise_qualification (enterprise_id, code, valid_from, valid_to, source) VALUES ($1, $2, $3, $4, 'AUTHORITY')`, [id, q.code, q.from, to]);
  }
  const loan = f.kind === 'LOAN';
  const [{ id: needId }] = await runner.query(
    `INSERT INTO financing_need (enterprise_id, kind, channel, amount, term_months, collateral_offered, max_annual_rate, accept_guarantee, equity_stage, pre_money_valuation, posted_by)
     VALUES ($1, $2, 'WEB', $3, $4, $5, $6, $7, $8, $9, 'test') RETURNING id`,
    [id, f.kind, f.amount, loan ? f.term ?? 12 : null, loan ? f.collateral : [], loan ? f.maxRate : null, loan ? f.acceptGuarantee : false,
      loan ? null : f.stage, loan ? null : f.valuation],
  );
  await writeSamples('enterprise', id, samples.enterprise);
  await writeSamples('financing_need', needId, samples.need);
  return needId;
}

it(`selects exactly the pairs the engine passes on every check but the guarantor search, in SQL and in the product index (500 runs, seed ${SEED})`, async () => {
  // eslint-disable-next-line no-console
  console.log(`candidates property: seed ${SEED}`);
  let kept = 0;
  const soleMiss = new Set<MatchCheckCode>();
  await fc.assert(
    fc.asyncProperty(fc.array(firmArb, { minLength: 1, maxLength: 5 }), fc.array(productArb, { minLength: 1, maxLength: 6 }), runSamplesArb, async (firms, drafts, samples) => {
      await runner.startTransaction();
      try {
        const [{ id: whitelistId }] = await runner.query(`INSERT INTO whitelist (name, created_by) VALUES ('候选白名单', 't') RETURNING id`);
        const [{ id: batchId }] = await runner.query(`INSERT INTO whitelist_batch (whitelist_id, batch, entry_count, source, published_by) VALUES ($1, 'b', 1, 't', 't') RETURNING id`, [whitelistId]);
        const [{ id: importId }] = await runner.query(`INSERT INTO credit_import (source, as_of, record_count, imported, skipped, imported_by) VALUES ('T', $1, 0, 0, 0, 't') RETURNING id`, [TODAY]);
        const needIds: string[] = [];
        for (const [i, f] of firms.entries()) needIds.push(await insertFirm(f, samples[i], whitelistId, batchId, importId));
        const productIds: string[] = [];
        for (const [i, p] of drafts.entries()) {
          const minTerm = p.minTerm !== null && p.maxTerm !== null && p.minTerm > p.maxTerm ? p.maxTerm : p.minTerm;
          const activeFrom = p.activeFrom && p.activeTo && p.activeFrom > p.activeTo ? p.activeTo : p.activeFrom;
          const loan = p.needKind === 'LOAN';
          const minTicket = p.minTicket !== null && p.maxTicket !== null && p.minTicket > p.maxTicket ? p.maxTicket : p.minTicket;
          const [{ id }] = await runner.query(
            `INSERT INTO product (institution_id, name, kind, need_kind, enabled, active_from, active_to, min_amount, max_amount, min_term_months, max_term_months,
                                  region_prefixes, sectors, size_classes, industry_chains, min_years_in_business, whitelist_tier_at_least, qualifications,
                                  min_rating, min_tax_grade, no_active_dishonesty, max_overdue_count_12m, max_credit_data_age_days, first_loan_only,
                                  collateral_accepted, min_annual_rate, requires_guarantee, equity_stages, min_ticket, max_ticket, max_pre_money_valuation)
             VALUES ($1, 'p', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
             RETURNING id`,
            [institutionId, loan ? (p.requiresGuarantee ? 'GUARANTEED_LOAN' : 'CREDIT_LOAN') : 'EQUITY_INVESTMENT', p.needKind, p.enabled, activeFrom, p.activeTo,
              p.min, p.min + p.span, minTerm, p.maxTerm, p.prefixes, p.sectors, p.sizes, p.chains, p.minYears, p.tier, p.qualifications,
              p.minRating, p.minTax, p.noDishonesty, p.maxOverdue, p.maxAge, p.firstLoan, loan ? p.collateral : [], loan ? p.minRate : null,
              loan && p.requiresGuarantee, loan ? [] : p.stages, loan ? null : minTicket, loan ? null : p.maxTicket, loan ? null : p.maxValuation],
          );
          await writeSamples('product', id, samples[i].product);
          productIds.push(id);
        }
        const rows: { need_id: string; product_id: string }[] = await runner.query(
          candidatesOfNeedsSql('n.id = ANY($2::uuid[])', 'p.id = ANY($3::uuid[])'), [TODAY, needIds, productIds],
        );
        const fromSql = rows.map((r) => `${r.need_id}|${r.product_id}`).sort();
        // From the product's side, the same pairs.
        const byProduct: string[] = [];
        for (const productId of productIds) {
          const found: { need_id: string }[] = await runner.query(`SELECT need_id FROM (${candidatesOfProductSql()}) c WHERE need_id = ANY($3::uuid[])`, [TODAY, productId, needIds]);
          byProduct.push(...found.map((r) => `${r.need_id}|${productId}`));
        }
        expect(byProduct.sort()).toEqual(fromSql);
        const all = needIds.flatMap((needId) => productIds.map((productId) => ({ needId, productId })));
        const { needs, enterprises, products, context } = await loadPairInputs(runner.manager, all, TODAY);
        const fromEngine = all.filter(({ needId, productId }) => {
          const need = needs.get(needId)!;
          const { checks } = runChecks(need, enterprises.get(need.enterpriseId)!, products.get(productId)!, context);
          const missed = checks.filter((c) => narrowed(c) && !c.passed);
          if (missed.length === 1) soleMiss.add(missed[0].code);
          return !missed.length;
        }).map(({ needId, productId }) => `${needId}|${productId}`).sort();
        expect(fromSql).toEqual(fromEngine);
        // This process's product index (product-index.ts) keeps the same pairs: the writes above moved the catalog's stamp, so it reads them.
        const indexed = await loadNeedInputs(runner.manager, needIds, TODAY);
        const fromIndex = indexed.pairs.filter((p) => productIds.includes(p.productId)).map(({ needId, productId }) => `${needId}|${productId}`).sort();
        expect(fromIndex).toEqual(fromSql);
        kept += fromSql.length;
      } finally {
        await runner.rollbackTransaction();
      }
    }),
    // A fixed seed, so the coverage asserted below holds on every run; FC_SEED=<n> explores other cases.
    { numRuns: 500, seed: SEED },
  );
  // The runs kept pairs, and dropped pairs for each check alone, so the comparison could fail on any of them.
  expect(kept).toBeGreaterThan(20);
  expect(MATCH_CHECK_CODES.filter((c) => !soleMiss.has(c))).toEqual([]);
}, 600_000);
