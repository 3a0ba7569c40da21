import pino from 'pino';
import { toGlobalId } from '../../src/common/ids';
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
    const res = await app.gql('{ riskCompensationPools { capacity reserved paid available source } institutions(first: 100, filter: { kind: [GUARANTOR] }) { edges { node { name guarantee { targetMultiple status } } } } }', {}, { token: analyst });
    // The pool's whole capacity, less what it keeps for the demo's one default while its claim waits for review (issue 17 §3).
    const [{ held }] = await app.dataSource.query(`SELECT coalesce(sum(claimed), 0)::text AS held FROM pool_claim WHERE status = 'SUBMITTED'`);
    expect(Number(held)).toBeGreaterThan(0);
    expect(res.data.riskCompensationPools).toEqual([{
      capacity: '300000000.00', reserved: held, paid: '0.00', available: (300_000_000 - Number(held)).toFixed(2), source: '青政发〔2012〕46号 (27)',
    }]);
    expect(res.data.institutions.edges.some((e: { node: { guarantee: { targetMultiple: string } } }) => e.node.guarantee.targetMultiple === '5.00')).toBe(true);
    const [benchmark] = await app.dataSource.query(`SELECT rate::text FROM benchmark_rate WHERE code = 'PBOC_1Y'`);
    expect(benchmark.rate).toBe('0.043500');
  });

  it('puts about half the firms on a demo whitelist and gives most a credit profile with history and repaired listings', async () => {
    const q = (sql: string) => app.dataSource.query(sql).then((rows: { n: number }[]) => rows[0].n);
    expect(await q(`SELECT count(*)::int AS n FROM whitelist WHERE name LIKE '%demo%'`)).toBe(1);
    const entries = await q('SELECT count(*)::int AS n FROM whitelist_entry');
    expect(entries).toBeGreaterThan(100);
    expect(await q('SELECT count(*)::int AS n FROM whitelist_search')).toBe(entries);
    expect(await q('SELECT count(*)::int AS n FROM whitelist_entry WHERE revoked_on IS NOT NULL')).toBe(3);
    expect(await q('SELECT count(*)::int AS n FROM credit_profile')).toBeGreaterThan(200);
    expect(await q(`SELECT count(*)::int AS n FROM (SELECT enterprise_id FROM credit_record GROUP BY enterprise_id HAVING count(*) = 2) t`)).toBeGreaterThan(50);
    expect(await q(`SELECT count(*)::int AS n FROM credit_profile WHERE dishonesty::text LIKE '%repairedOn": "20%'`)).toBeGreaterThan(0);
    expect(await q('SELECT count(*)::int AS n FROM credit_profile WHERE active_dishonesty')).toBeGreaterThan(0);
  });

  it('shows ranked matches on demo needs: guarantors, reserves, bank net exposure, subsidies and all-in cost', async () => {
    const q = (sql: string) => app.dataSource.query(sql).then((rows: { n: number }[]) => rows[0].n);
    expect(await q(`SELECT count(DISTINCT need_id)::int AS n FROM match WHERE eligible`)).toBeGreaterThan(50);
    expect(await q(`SELECT count(*)::int AS n FROM match WHERE guarantor_id IS NOT NULL AND jsonb_array_length(subsidies) >= 2`)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM match WHERE reserve > 0 AND pool_id IS NOT NULL`)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM match WHERE subsidies::text LIKE '%INTEREST_SUBSIDY%'`)).toBeGreaterThan(0);
    // A need with an eligible match says so: MATCHED, or further along once the demo's lifecycle worked it.
    expect(await q(`SELECT count(*)::int AS n FROM financing_need WHERE status IN ('MATCHED', 'IN_PROGRESS', 'FUNDED')`)).toBe(await q(`SELECT count(DISTINCT need_id)::int AS n FROM match WHERE eligible`));

    // Seed 004's guarantee subsidies are Qingdao's (issue 17 §1): a guaranteed match in Qingdao shows them.
    const [guaranteed] = await app.dataSource.query(`SELECT m.need_id, e.id AS enterprise_id FROM match m JOIN financing_need n ON n.id = m.need_id JOIN enterprise e ON e.id = n.enterprise_id WHERE m.guarantor_id IS NOT NULL AND e.region_code LIKE '3702%' LIMIT 1`);
    const admin = app.token({ sub: 'admin', role: 'ADMIN' });
    const res = await app.gql(`query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches { edges { node { rank score terms { guarantee { guarantor { name } guaranteedAmount } riskCompensationReserve bankNetExposure allInAnnualCostRate subsidies { kind amount } } } } } } } }`,
      { id: toGlobalId('FinancingNeed', guaranteed.need_id) }, { token: admin });
    const nodes = res.data.node.matches.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.rank)).toEqual(nodes.map((_: unknown, i: number) => i + 1));
    const withGuarantee = nodes.find((n: any) => n.terms.guarantee);
    expect(withGuarantee.terms.guarantee.guarantor.name).toMatch(/担保/);
    expect(withGuarantee.terms.subsidies.map((s: any) => s.kind)).toEqual(expect.arrayContaining(['GUARANTEE_FEE_SUBSIDY', 'GUARANTEE_RISK_SUBSIDY']));
    expect(withGuarantee.terms.allInAnnualCostRate).toMatch(/^0\.\d+$/);
  });

  it('pays no Qingdao subsidy outside Qingdao: seed 004\'s rules name region 3702, and no match or loan of a firm elsewhere quotes or books one', async () => {
    const rules: { code: string; region_prefixes: string[]; national: boolean }[] = await app.dataSource.query(`SELECT code, region_prefixes, national FROM policy_rule WHERE code LIKE 'QD-%' ORDER BY code`);
    expect(rules.map((r) => r.code)).toEqual(['QD-COLLECTIVE-BOND', 'QD-GUARANTEE-FEE', 'QD-GUARANTEE-RISK', 'QD-LEASING', 'QD-RISK-COMP', 'QD-TURNOVER']);
    expect(rules.every((r) => r.region_prefixes.join() === '3702' && !r.national)).toBe(true);
    const q = (sql: string) => app.dataSource.query(sql).then((rows: { n: number }[]) => rows[0].n);
    // Before, QD-GUARANTEE-FEE booked 47,000 on an ICBC Beijing loan and both guarantee subsidies showed on Beijing matches.
    expect(await q(`SELECT count(*)::int AS n FROM match m JOIN financing_need n ON n.id = m.need_id JOIN enterprise e ON e.id = n.enterprise_id
                     WHERE e.region_code NOT LIKE '3702%' AND (m.subsidies::text LIKE '%QD-%' OR EXISTS (SELECT 1 FROM unnest(m.rule_versions) v WHERE v LIKE 'QD-%'))`)).toBe(0);
    expect(await q(`SELECT count(*)::int AS n FROM subsidy_booking b JOIN loan l ON l.id = b.loan_id JOIN enterprise e ON e.id = l.enterprise_id
                     WHERE e.region_code NOT LIKE '3702%' AND b.rule_version LIKE 'QD-%'`)).toBe(0);
    // Qingdao's own guaranteed loans still get them.
    expect(await q(`SELECT count(*)::int AS n FROM match m JOIN financing_need n ON n.id = m.need_id JOIN enterprise e ON e.id = n.enterprise_id
                     WHERE e.region_code LIKE '3702%' AND m.subsidies::text LIKE '%QD-GUARANTEE-FEE%'`)).toBeGreaterThan(0);
  });

  it('works some demo matches through the lifecycle and the ledger, and an analyst\'s stats show them', async () => {
    const q = (sql: string) => app.dataSource.query(sql).then((rows: { n: number }[]) => rows[0].n);
    expect(await q(`SELECT count(*)::int AS n FROM match WHERE status = 'DECLINED' AND decline_reason IS NOT NULL`)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM match WHERE status = 'CONTACTED'`)).toBeGreaterThan(0);
    const loans = await q(`SELECT count(*)::int AS n FROM loan`);
    expect(loans).toBeGreaterThan(3);
    expect(await q(`SELECT count(*)::int AS n FROM loan WHERE status = 'REPAID'`)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM loan WHERE status = 'DEFAULTED'`)).toBe(1);
    // The default is on a loan the pool holds a reserve for, and its claim was applied for: an authority finds it to review (issue 17 §3).
    const [defaulted] = await app.dataSource.query(`SELECT l.reserve_held::text AS held, c.status, c.claimed::text FROM loan l LEFT JOIN pool_claim c ON c.loan_id = l.id WHERE l.status = 'DEFAULTED'`);
    expect([defaulted.status, defaulted.claimed]).toEqual(['SUBMITTED', defaulted.held]);
    expect(Number(defaulted.held)).toBeGreaterThan(0);
    expect(await q(`SELECT count(*)::int AS n FROM financing_need WHERE status = 'FUNDED'`)).toBe(loans);
    const analyst = app.token({ sub: 'a', role: 'ANALYST' });
    const res = await app.gql('{ stats { loans { count defaulted } funnel { contacted approved disbursed } institutions { medianResponseHours } } }', {}, { token: analyst });
    // The demo's matches were proposed hours before they were answered.
    expect(res.data.stats.institutions.some((i: { medianResponseHours: string | null }) => Number(i.medianResponseHours) >= 3)).toBe(true);
    expect(res.data.stats.loans).toEqual({ count: loans, defaulted: 1 });
    expect(res.data.stats.funnel.disbursed).toBe(loans);
    expect(res.data.stats.funnel.contacted).toBeGreaterThanOrEqual(res.data.stats.funnel.approved);
  });

  it('adds the data of later versions once to demo data an earlier version loaded', async () => {
    const log = pino({ level: 'silent' });
    await app.dataSource.query(`UPDATE app_meta SET value = value - 'whitelistEntries' - 'creditRecords' - 'policyRules' - 'agreements' - 'lifecycle' WHERE key = 'demo_data'`);
    await app.dataSource.query('TRUNCATE whitelist_search, whitelist_entry, whitelist_batch, whitelist, credit_profile, credit_record, credit_import, policy_rule, cooperation_agreement, risk_sharing_rule CASCADE');
    const upgraded = await Promise.all([ensureDemoData(app.dataSource, log), ensureDemoData(app.dataSource, log)]);
    expect(upgraded.sort()).toEqual([false, true]);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM whitelist_entry');
    expect(n).toBeGreaterThan(100);
    const [{ rules }] = await app.dataSource.query('SELECT count(*)::int AS rules FROM policy_rule');
    expect(rules).toBe(7);
  });
});
