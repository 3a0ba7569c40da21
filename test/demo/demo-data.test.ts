import pino from 'pino';
import { checkCreditCode } from '../../src/enterprises/credit-code';
import { ensureDemoData } from '../../src/demo/ensure-demo';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('demo data', () => {
  it('loads once, even when two starters race', async () => {
    const log = pino({ level: 'silent' });
    const loaded = await Promise.all([ensureDemoData(app.dataSource, log), ensureDemoData(app.dataSource, log)]);
    expect(loaded.sort()).toEqual([false, true]);
    expect(await ensureDemoData(app.dataSource, log)).toBe(false);
  });

  it('says its firms are synthetic and gives them valid credit codes and a spread of sizes and needs', async () => {
    const firms: { credit_code: string; synthetic: boolean; name: string; size_class: string }[] = await app.dataSource.query('SELECT credit_code, synthetic, name, size_class FROM enterprise');
    expect(firms.length).toBeGreaterThanOrEqual(200);
    expect(firms.every((f) => f.synthetic && f.name.includes('(synthetic)') && checkCreditCode(f.credit_code).valid)).toBe(true);
    expect(new Set(firms.map((f) => f.size_class))).toEqual(new Set(['LARGE', 'MEDIUM', 'SMALL', 'MICRO']));
    const needs = await app.dataSource.query(`SELECT kind, channel, count(*)::int AS n FROM financing_need GROUP BY kind, channel`);
    expect(new Set(needs.map((r: { kind: string }) => r.kind))).toEqual(new Set(['LOAN', 'EQUITY']));
    expect(new Set(needs.map((r: { channel: string }) => r.channel)).size).toBe(4);
  });

  it('carries the seeds\' policy figures: the 0.0435 benchmark, a 300,000,000 Qingdao pool and a 5× policy fund', async () => {
    const analyst = app.token({ sub: 'a', role: 'ANALYST' });
    const res = await app.gql('{ riskCompensationPools { capacity available source } institutions(first: 100, filter: { kind: [GUARANTOR] }) { edges { node { name guarantee { targetMultiple status } } } } }', {}, { token: analyst });
    expect(res.data.riskCompensationPools).toEqual([{ capacity: '300000000.00', available: '300000000.00', source: '青政发〔2012〕46号 (27)' }]);
    expect(res.data.institutions.edges.some((e: { node: { guarantee: { targetMultiple: string } } }) => e.node.guarantee.targetMultiple === '5.00')).toBe(true);
    const [benchmark] = await app.dataSource.query(`SELECT rate::text FROM benchmark_rate WHERE code = 'PBOC_1Y'`);
    expect(benchmark.rate).toBe('0.043500');
  });
});
