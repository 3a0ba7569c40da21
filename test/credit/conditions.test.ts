/**
 * R5 — the credit filters, written twice: `checkCredit` / `meetsCredit` (pure, to explain a decision) and
 * `creditConditions` (SQL, to narrow candidates). They must give the same answers; the rank columns the
 * migration generates must hold the ranks `ratingRank` / `taxRank` / `tierRank` compute.
 */
import fc from 'fast-check';
import { QueryRunner } from 'typeorm';
import { daysBetween } from '../../src/common/dates';
import { checkCredit, creditConditions, CreditCriteria, CreditFacts, meetsCredit, criteriaInUse } from '../../src/credit/credit.conditions';
import { CREDIT_RATINGS, CreditRating, ratingRank, TAX_GRADES, TaxGrade, taxRank } from '../../src/credit/grades';
import { QUALIFICATION_TIERS, tierRank } from '../../src/whitelists/tier';
import { daysFromToday, importCredit, newCreditCode, publishBatch, staff } from '../e2e/fixtures';
import { startTestApp, TestApp } from '../support/harness';

const TODAY = '2025-06-15';

const facts = (overrides: Partial<CreditFacts> = {}): CreditFacts => ({
  asOf: '2025-06-01',
  rating: 'A',
  taxGrade: 'B',
  activeDishonesty: false,
  overdueCount12m: 1,
  hadBankLoan: true,
  ...overrides,
});

const passed = (f: CreditFacts | null, criteria: CreditCriteria) => checkCredit(f, criteria, TODAY).map((c) => [c.code, c.passed]);

/** The property runs' seed, printed so a failure can be replayed (FC_SEED=…). */
const SEED = Number(process.env.FC_SEED ?? 20261201);
// eslint-disable-next-line no-console
console.log(`credit conditions property: seed ${SEED}`);

describe('checkCredit (R5)', () => {
  it('checks nothing when no criterion is set: every firm passes, with or without data', () => {
    expect(checkCredit(facts(), {}, TODAY)).toEqual([]);
    expect(meetsCredit(null, {}, TODAY)).toBe(true);
    expect(criteriaInUse({})).toEqual([]);
    expect(criteriaInUse({ noActiveDishonesty: false, firstLoanOnly: false })).toEqual([]);
    expect(criteriaInUse({ firstLoanOnly: true, minRating: 'A', maxOverdueCount12m: 0 })).toEqual(['minRating', 'maxOverdueCount12m', 'firstLoanOnly']);
  });

  describe('minimum rating (AAA > AA > A > BBB > BB > B > CCC > CC > C)', () => {
    it.each([
      ['A', 'A', true],
      ['AA', 'A', true],
      ['BBB', 'A', false],
      ['C', 'C', true],
      ['AAA', 'AAA', true],
      ['AA', 'AAA', false],
    ])('rating %s against minimum %s → %s', (rating, min, expected) => {
      expect(passed(facts({ rating: rating as CreditRating }), { minRating: min as CreditRating })).toEqual([['CREDIT_RATING', expected]]);
    });

    it('fails a profile without a rating, and names what it had and wanted', () => {
      expect(checkCredit(facts({ rating: null }), { minRating: 'C' }, TODAY)).toEqual([{ code: 'CREDIT_RATING', passed: false, actual: null, required: 'C' }]);
    });
  });

  describe('minimum tax grade (A > B > M > C > D)', () => {
    it.each([
      ['A', 'B', true],
      ['B', 'B', true],
      ['M', 'B', false],
      ['M', 'M', true],
      ['C', 'M', false],
      ['D', 'D', true],
    ])('grade %s against minimum %s → %s', (grade, min, expected) => {
      expect(passed(facts({ taxGrade: grade as TaxGrade }), { minTaxGrade: min as TaxGrade })).toEqual([['TAX_GRADE', expected]]);
    });

    it('fails a profile without a tax grade', () => {
      expect(passed(facts({ taxGrade: null }), { minTaxGrade: 'D' })).toEqual([['TAX_GRADE', false]]);
    });
  });

  describe('no active dishonesty', () => {
    it('passes a firm without an active listing and fails one with', () => {
      expect(passed(facts({ activeDishonesty: false }), { noActiveDishonesty: true })).toEqual([['DISHONESTY', true]]);
      expect(passed(facts({ activeDishonesty: true }), { noActiveDishonesty: true })).toEqual([['DISHONESTY', false]]);
    });
  });

  describe('maximum overdue count', () => {
    it.each([
      [0, 0, true],
      [2, 2, true],
      [3, 2, false],
      [null, 5, false],
    ])('%s overdue against a maximum of %s → %s', (count, max, expected) => {
      expect(passed(facts({ overdueCount12m: count }), { maxOverdueCount12m: max })).toEqual([['OVERDUE', expected]]);
    });
  });

  describe('maximum data age', () => {
    it.each([
      ['exactly the maximum old', '2025-05-16', 30, true],
      ['one day older', '2025-05-15', 30, false],
      ['as of today, with a maximum of 0', TODAY, 0, true],
      ['yesterday, with a maximum of 0', '2025-06-14', 0, false],
      ['across a leap day', '2024-02-28', 473, true],
    ])('data %s (%s, max %s days) → %s', (_what, asOf, max, expected) => {
      expect(passed(facts({ asOf }), { maxCreditDataAgeDays: max })).toEqual([['CREDIT_DATA_AGE', expected]]);
    });

    it('reports the age in whole days', () => {
      expect(daysBetween('2025-05-16', TODAY)).toBe(30);
      expect(checkCredit(facts({ asOf: '2025-05-16' }), { maxCreditDataAgeDays: 10 }, TODAY)[0]).toEqual({ code: 'CREDIT_DATA_AGE', passed: false, actual: 30, required: 10 });
    });
  });

  describe('first loan only (首贷户)', () => {
    it.each([
      [false, true],
      [true, false],
      [null, false],
    ])('hadBankLoan %s → %s (unknown is not "never")', (hadBankLoan, expected) => {
      expect(passed(facts({ hadBankLoan }), { firstLoanOnly: true })).toEqual([['FIRST_LOAN', expected]]);
    });
  });

  describe('a firm without credit data', () => {
    it('fails every criterion that is set, in R13\'s order, with nothing to show', () => {
      const all: CreditCriteria = { minRating: 'C', minTaxGrade: 'D', noActiveDishonesty: true, maxOverdueCount12m: 366, maxCreditDataAgeDays: 10_000, firstLoanOnly: true };
      expect(checkCredit(null, all, TODAY)).toEqual([
        { code: 'CREDIT_RATING', passed: false, actual: null, required: 'C' },
        { code: 'TAX_GRADE', passed: false, actual: null, required: 'D' },
        { code: 'DISHONESTY', passed: false, actual: null, required: false },
        { code: 'OVERDUE', passed: false, actual: null, required: 366 },
        { code: 'CREDIT_DATA_AGE', passed: false, actual: null, required: 10_000 },
        { code: 'FIRST_LOAN', passed: false, actual: null, required: false },
      ]);
      expect(meetsCredit(null, all, TODAY)).toBe(false);
    });
  });

  it('meets all criteria only when each passes', () => {
    const criteria: CreditCriteria = { minRating: 'BBB', minTaxGrade: 'B', noActiveDishonesty: true, maxOverdueCount12m: 1 };
    expect(meetsCredit(facts(), criteria, TODAY)).toBe(true);
    expect(meetsCredit(facts({ overdueCount12m: 2 }), criteria, TODAY)).toBe(false);
  });
});

describe('SQL and pure agree (creditConditions ≡ meetsCredit)', () => {
  let app: TestApp;
  let runner: QueryRunner;

  beforeAll(async () => {
    app = await startTestApp();
    // A temporary table lives on one connection: keep one for the whole property.
    runner = app.dataSource.createQueryRunner();
    await runner.connect();
    await runner.query(`
      CREATE TEMP TABLE t (
        id int PRIMARY KEY,
        rating_rank smallint,
        tax_rank smallint,
        active_dishonesty boolean,
        overdue_count_12m integer,
        had_bank_loan boolean,
        as_of date
      )`);
  });
  afterAll(async () => {
    await runner?.release();
    await app?.close();
  });

  const dateAt = (offset: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

  const factsArb: fc.Arbitrary<CreditFacts | null> = fc.option(
    fc.record({
      asOf: fc.integer({ min: -400, max: 400 }).map(dateAt),
      rating: fc.option(fc.constantFrom(...CREDIT_RATINGS), { nil: null }),
      taxGrade: fc.option(fc.constantFrom(...TAX_GRADES), { nil: null }),
      activeDishonesty: fc.boolean(),
      overdueCount12m: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
      hadBankLoan: fc.option(fc.boolean(), { nil: null }),
    }),
    { nil: null, freq: 6 },
  );

  const criteriaArb: fc.Arbitrary<CreditCriteria> = fc.record(
    {
      minRating: fc.constantFrom(...CREDIT_RATINGS),
      minTaxGrade: fc.constantFrom(...TAX_GRADES),
      noActiveDishonesty: fc.boolean(),
      maxOverdueCount12m: fc.integer({ min: 0, max: 12 }),
      maxCreditDataAgeDays: fc.integer({ min: 0, max: 500 }),
      firstLoanOnly: fc.boolean(),
    },
    { requiredKeys: [] },
  );

  async function sqlMatches(rows: (CreditFacts | null)[], criteria: CreditCriteria): Promise<number[]> {
    await runner.query('TRUNCATE t');
    if (rows.length) {
      await runner.query(
        `INSERT INTO t SELECT * FROM unnest($1::int[], $2::smallint[], $3::smallint[], $4::bool[], $5::int[], $6::bool[], $7::date[])`,
        [
          rows.map((_, i) => i),
          rows.map((f) => (f?.rating ? ratingRank(f.rating) : null)),
          rows.map((f) => (f?.taxGrade ? taxRank(f.taxGrade) : null)),
          // No credit data: every column NULL, as the LEFT JOIN of a firm without a profile gives.
          rows.map((f) => (f ? f.activeDishonesty : null)),
          rows.map((f) => f?.overdueCount12m ?? null),
          rows.map((f) => f?.hadBankLoan ?? null),
          rows.map((f) => f?.asOf ?? null),
        ],
      );
    }
    const { conditions, params } = creditConditions(criteria, { alias: 'c', asOfColumn: 'as_of', paramPrefix: 'p_' }, TODAY);
    const qb = app.dataSource.createQueryBuilder(runner).select('c.id', 'id').from('t', 'c').where('TRUE');
    for (const condition of conditions) qb.andWhere(condition);
    qb.setParameters(params).orderBy('c.id');
    const result: { id: number }[] = await qb.getRawMany();
    return result.map((r) => Number(r.id));
  }

  it('select the same profiles for random profiles and criteria', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(factsArb, { minLength: 0, maxLength: 25 }), criteriaArb, async (rows, criteria) => {
        const expected = rows.flatMap((f, i) => (meetsCredit(f, criteria, TODAY) ? [i] : []));
        expect(await sqlMatches(rows, criteria)).toEqual(expected);
      }),
      { numRuns: 120, seed: SEED },
    );
  }, 300_000);

  it('agree on the boundaries a random run may miss', async () => {
    const rows: CreditFacts[] = [
      facts({ asOf: dateAt(-30), rating: 'A', taxGrade: 'M', overdueCount12m: 2 }),
      facts({ asOf: dateAt(-31), rating: 'BBB', taxGrade: 'C', overdueCount12m: 3 }),
      facts({ asOf: dateAt(5), rating: 'AAA', taxGrade: 'A', overdueCount12m: 0, hadBankLoan: false }),
    ];
    for (const criteria of [
      { maxCreditDataAgeDays: 30 },
      { minRating: 'A' as const },
      { minTaxGrade: 'M' as const },
      { maxOverdueCount12m: 2 },
      { firstLoanOnly: true },
    ]) {
      expect(await sqlMatches(rows, criteria)).toEqual(rows.flatMap((f, i) => (meetsCredit(f, criteria, TODAY) ? [i] : [])));
    }
    expect(await sqlMatches(rows, { maxCreditDataAgeDays: 30 })).toEqual([0, 2]);
  });

  describe('the rank columns of the migration', () => {
    it('hold ratingRank and taxRank on credit_profile', async () => {
      const authority = staff(app).authority;
      const records = CREDIT_RATINGS.map((rating, i) => ({ creditCode: newCreditCode(), rating, taxGrade: TAX_GRADES[i % TAX_GRADES.length] }));
      await importCredit(app, authority, { source: 'RANK-CHECK', asOf: '2025-01-31', records });
      const rows: { rating: CreditRating; rating_rank: number; tax_grade: TaxGrade; tax_rank: number }[] = await app.dataSource.query(
        `SELECT rating, rating_rank, tax_grade, tax_rank FROM credit_profile WHERE source = 'RANK-CHECK'`,
      );
      expect(rows).toHaveLength(CREDIT_RATINGS.length);
      for (const row of rows) {
        expect([row.rating, row.rating_rank]).toEqual([row.rating, ratingRank(row.rating)]);
        expect([row.tax_grade, row.tax_rank]).toEqual([row.tax_grade, taxRank(row.tax_grade)]);
      }
      expect(new Set(rows.map((r) => r.tax_grade))).toEqual(new Set(TAX_GRADES));
    });

    it('hold tierRank on whitelist_entry and whitelist_search', async () => {
      const entries = QUALIFICATION_TIERS.map((tier) => ({ creditCode: newCreditCode(), name: `梯度 ${tier}`, tier, validFrom: '2024-01-01', validTo: daysFromToday(365) }));
      await publishBatch(app, staff(app).authority, '梯度秩检查', '1', entries);
      const rows: { tier: (typeof QUALIFICATION_TIERS)[number]; tier_rank: number; search_rank: number }[] = await app.dataSource.query(
        `SELECT e.tier, e.tier_rank, s.tier_rank AS search_rank FROM whitelist_entry e JOIN whitelist_search s ON s.id = e.id`,
      );
      expect(rows.map((r) => r.tier).sort()).toEqual([...QUALIFICATION_TIERS].sort());
      for (const row of rows) {
        expect([row.tier, row.tier_rank, row.search_rank]).toEqual([row.tier, tierRank(row.tier), tierRank(row.tier)]);
      }
    });
  });
});
