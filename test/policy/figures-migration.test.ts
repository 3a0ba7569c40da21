/**
 * Migration PolicyFigures on a database that has rules (issue 17 §1): a rule without region prefixes
 * citing Qingdao's 青政发〔2012〕46号 — the demo's QD-GUARANTEE-FEE and QD-GUARANTEE-RISK among them —
 * gets Qingdao's prefix 3702 on every version; any other rule without one is marked national, so it
 * applies where it did; a rule with regions keeps them and is not national.
 */
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
});
afterAll(() => app.close());

it('gives the Qingdao rules region 3702 and marks the other region-less rules national', async () => {
  const db = app.dataSource;
  const applied = async () => (await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'PolicyFigures1764680000000'`)).length > 0;
  expect(await applied()).toBe(true);
  while (await applied()) await db.undoLastMigration({ transaction: 'all' });

  const rule = (code: string, version: number, kind: string, params: Record<string, string>, regions: string[], source: string | null) => db.query(
    `INSERT INTO policy_rule (code, version, latest, kind, params, product_kinds, sector_tags, region_prefixes, size_classes, source, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, '{}', '{}', $6, '{}', $7, 'migration-test')`, [code, version, version === 2 || code !== 'QD-GUARANTEE-FEE', kind, JSON.stringify(params), regions, source]);
  await rule('QD-GUARANTEE-FEE', 1, 'GUARANTEE_FEE_SUBSIDY', { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, [], '青政发〔2012〕46号 (24)');
  await rule('QD-GUARANTEE-FEE', 2, 'GUARANTEE_FEE_SUBSIDY', { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, [], '青政发〔2012〕46号 (24)');
  await rule('QD-GUARANTEE-RISK', 1, 'GUARANTEE_RISK_SUBSIDY', { ratio: '0.015', growthRatio: '0.01' }, [], '青政发〔2012〕46号 (24)');
  await rule('INTEREST-ANY', 1, 'INTEREST_SUBSIDY', { ratio: '0.3' }, [], null);
  await rule('BJ-INTEREST', 1, 'INTEREST_SUBSIDY', { ratio: '0.3' }, ['11'], '专精特新贷款贴息');

  await db.runMigrations({ transaction: 'all' });

  const rows = await db.query(`SELECT code, version, region_prefixes, national FROM policy_rule WHERE created_by = 'migration-test' ORDER BY code, version`);
  expect(rows).toEqual([
    { code: 'BJ-INTEREST', version: 1, region_prefixes: ['11'], national: false },
    { code: 'INTEREST-ANY', version: 1, region_prefixes: [], national: true },
    { code: 'QD-GUARANTEE-FEE', version: 1, region_prefixes: ['3702'], national: false },
    { code: 'QD-GUARANTEE-FEE', version: 2, region_prefixes: ['3702'], national: false },
    { code: 'QD-GUARANTEE-RISK', version: 1, region_prefixes: ['3702'], national: false },
  ]);
});
