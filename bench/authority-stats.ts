/**
 * npm run bench:authority [-- --scale 0.02] [--keep DIR] [--runs 3] [--plans] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *
 * What the authorities' `stats` sections (issue 17 §5; docs/AUTHORITIES.md) cost on the DOMAIN §6 market
 * (bench/market.ts) with activity on it: the needs spread over the 24 months before today, three matches
 * for every loan need, a contact on a third of those matches, an application on a tenth, a loan on a
 * twentieth (every other one guaranteed, with its GUARANTEE ledger entry and a partial release on every
 * fourth), six roadshows with pitches and invitations, four targets. Each section's statement runs as the
 * API runs it (the service function), prefixed once with EXPLAIN (ANALYZE, BUFFERS); its plan's top lines
 * (all of it with --plans) and the median of `runs` timed runs are printed. The range is --from/--to (default:
 * everything; the amplification history then covers the 24 months up to now).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../src/common/context';
import { amplificationHistory, funnelGroups, lendingStats, roadshowFunnels, targetProgress } from '../src/stats/authority.service';
import type { StatsScope } from '../src/stats/stats.type';
import { openMarket } from './market-db';

const { values } = parseArgs({ options: { scale: { type: 'string', default: '0.02' }, keep: { type: 'string' }, runs: { type: 'string', default: '3' }, plans: { type: 'boolean', default: false }, from: { type: 'string' }, to: { type: 'string' } } });

async function addActivity(db: DataSource): Promise<void> {
  const [{ n }] = await db.query('SELECT count(*)::int AS n FROM loan');
  if (n > 0) return;
  process.stderr.write('adding activity…\n');
  await db.query(`UPDATE financing_need SET created_at = now() - (abs(hashtext(id::text)) % 730) * interval '1 day'`);
  await db.query(`UPDATE financing_need SET roadshow_id = NULL`);
  // Three products per loan need, chosen by hash among the loan products.
  await db.query(`
    INSERT INTO match (need_id, product_id, institution_id, score, product_version, created_at)
    SELECT n.id, p.id, p.institution_id, 50, 1, n.created_at + interval '1 hour'
      FROM financing_need n
     CROSS JOIN LATERAL generate_series(0, 2) k
     CROSS JOIN LATERAL (SELECT id, institution_id FROM product WHERE need_kind = 'LOAN' ORDER BY abs(hashtext(n.id::text || k || id::text)) LIMIT 1) p
     WHERE n.kind = 'LOAN'
    ON CONFLICT DO NOTHING`);
  await db.query(`UPDATE financing_need n SET first_matched_at = n.created_at + interval '1 hour' WHERE EXISTS (SELECT 1 FROM match m WHERE m.need_id = n.id)`);
  const event = (action: string, from: string, to: string, modulo: number, hours: number) => db.query(`
    INSERT INTO match_event (match_id, need_id, institution_id, action, from_status, to_status, actor, at)
    SELECT m.id, m.need_id, m.institution_id, '${action}', '${from}', '${to}', 'bench', m.created_at + interval '${hours} hours'
      FROM match m WHERE abs(hashtext(m.id::text)) % ${modulo} = 0`);
  await event('CONTACT', 'PROPOSED', 'CONTACTED', 3, 5);
  await event('APPLY', 'CONTACTED', 'APPLIED', 10, 30);
  await db.query(`
    INSERT INTO loan (match_id, need_id, enterprise_id, institution_id, product_id, principal, outstanding, annual_rate, term_months,
                      guarantor_id, coverage_ratio, guarantee_fee_rate, guaranteed_amount, recorded_by, disbursed_at, created_at, starts_on, maturity)
    SELECT m.id, m.need_id, n.enterprise_id, m.institution_id, m.product_id, n.amount, n.amount, 0.04 + (abs(hashtext(m.id::text)) % 30) * 0.001, 12,
           g.id, g.coverage, g.fee, g.guaranteed, 'bench', m.created_at + interval '10 days', m.created_at + interval '10 days',
           ((m.created_at + interval '10 days') AT TIME ZONE 'Asia/Shanghai')::date, ((m.created_at + interval '10 days') AT TIME ZONE 'Asia/Shanghai')::date + interval '12 months'
      FROM match m JOIN financing_need n ON n.id = m.need_id
     CROSS JOIN LATERAL (SELECT CASE WHEN abs(hashtext(m.id::text || 'g')) % 2 = 0 THEN (SELECT id FROM institution WHERE kind = 'GUARANTOR' ORDER BY abs(hashtext(m.id::text || id::text)) LIMIT 1) END AS id) g0
     CROSS JOIN LATERAL (SELECT g0.id, CASE WHEN g0.id IS NOT NULL THEN 0.8 END AS coverage, CASE WHEN g0.id IS NOT NULL THEN 0.01 END AS fee,
                                CASE WHEN g0.id IS NOT NULL THEN round(n.amount * 0.8, 2) END AS guaranteed) g
     WHERE abs(hashtext(m.id::text)) % 20 = 0 AND m.created_at + interval '10 days' < now()`);
  await db.query(`
    INSERT INTO ledger_entry (loan_id, kind, party, party_id, amount, at)
    SELECT id, 'GUARANTEE', 'GUARANTOR', guarantor_id, guaranteed_amount, disbursed_at FROM loan WHERE guarantor_id IS NOT NULL
    UNION ALL
    SELECT id, 'GUARANTEE_RELEASE', 'GUARANTOR', guarantor_id, round(guaranteed_amount / 2, 2), disbursed_at + interval '90 days'
      FROM loan WHERE guarantor_id IS NOT NULL AND abs(hashtext(id::text)) % 4 = 0 AND disbursed_at + interval '90 days' < now()`);
  await db.query(`
    INSERT INTO roadshow (industry_chain, month, title, created_by)
    SELECT code, date_trunc('month', now() - (row_number() OVER (ORDER BY code)) * interval '1 month')::date, '基准路演 ' || code, 'bench' FROM industry_chain`);
  await db.query(`
    INSERT INTO roadshow_invitation (roadshow_id, institution_id, status, invited_by)
    SELECT r.id, i.id, CASE WHEN abs(hashtext(r.id::text || i.id::text)) % 2 = 0 THEN 'ACCEPTED' ELSE 'INVITED' END, 'bench'
      FROM roadshow r CROSS JOIN LATERAL (SELECT id FROM institution WHERE kind = 'BANK' ORDER BY abs(hashtext(r.id::text || id::text)) LIMIT 20) i`);
  await db.query(`
    INSERT INTO roadshow_pitch (roadshow_id, enterprise_id, need_id, basis, added_by)
    SELECT DISTINCT ON (x.need_id) x.roadshow_id, x.enterprise_id, x.need_id, 'OPEN_NEED', 'bench'
      FROM (SELECT r.id AS roadshow_id, n.enterprise_id, n.id AS need_id FROM roadshow r
              CROSS JOIN LATERAL (SELECT n.id, n.enterprise_id FROM financing_need n JOIN enterprise e ON e.id = n.enterprise_id
                                   WHERE r.industry_chain = ANY(e.industry_chains) ORDER BY abs(hashtext(r.id::text || n.id::text)) LIMIT 30) n) x
    ON CONFLICT DO NOTHING`);
  await db.query(`
    INSERT INTO authority_target (name, metric, value, starts_on, deadline, region_prefix, channel, created_by) VALUES
      ('新增1000家', 'NEW_FIRMS_POSTING_NEEDS', 1000, CURRENT_DATE - 730, CURRENT_DATE + 365, NULL, 'MINI_PROGRAM', 'bench'),
      ('意向10亿', 'INTENDED_FINANCING_AMOUNT', 1000000000, CURRENT_DATE - 730, CURRENT_DATE + 365, NULL, 'MINI_PROGRAM', 'bench'),
      ('放款', 'LOANS_DISBURSED_AMOUNT', 1000000000, CURRENT_DATE - 730, CURRENT_DATE + 365, '37', NULL, 'bench'),
      ('首贷户', 'FIRST_LOAN_BORROWERS', 100, CURRENT_DATE - 730, CURRENT_DATE + 365, NULL, NULL, 'bench')`);
  await db.query('ANALYZE');
}

/** A context whose database prints each statement's plan the first time it runs. */
function explainingContext(db: DataSource, explain: boolean): RequestContext {
  const proxy = {
    getRepository: db.getRepository.bind(db),
    async query(sql: string, params?: unknown[]) {
      if (explain && /^\s*(WITH|SELECT)/i.test(sql) && !/shanghai_today\(\), 'YYYY-MM-DD'\) AS today/.test(sql)) {
        const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        const lines = plan.map((r) => r['QUERY PLAN']);
        process.stdout.write(values.plans ? `${lines.join('\n')}\n` : `${lines.slice(0, 3).join('\n')}\n  …\n${lines.slice(-2).join('\n')}\n`);
      }
      return db.query(sql, params);
    },
  };
  return { db: proxy, primary: proxy } as unknown as RequestContext;
}

async function main(): Promise<void> {
  const scale = Number(values.scale);
  const runs = Number(values.runs);
  const market = await openMarket({ scale, keep: values.keep });
  try {
    await addActivity(market.db);
    const counts = (await market.db.query(`SELECT (SELECT count(*) FROM financing_need)::int AS needs, (SELECT count(*) FROM match)::int AS matches,
      (SELECT count(*) FROM match_event)::int AS events, (SELECT count(*) FROM loan)::int AS loans, (SELECT count(*) FROM ledger_entry)::int AS ledger`))[0];
    process.stdout.write(`scale ${scale}: ${JSON.stringify(counts)}\n`);
    const all: StatsScope = { from: values.from ?? null, to: values.to ?? null, regionPrefix: null };
    const sections: [string, (ctx: RequestContext) => Promise<unknown>][] = [
      ['lending', (ctx) => lendingStats(ctx, all)],
      ['funnelBy(INDUSTRY_CHAIN)', (ctx) => funnelGroups(ctx, all, 'INDUSTRY_CHAIN')],
      ['funnelBy(PRODUCT_KIND)', (ctx) => funnelGroups(ctx, all, 'PRODUCT_KIND')],
      ['amplificationHistory', (ctx) => amplificationHistory(ctx, all.from ? all : { ...all, from: new Date(Date.now() - 700 * 86400000).toISOString().slice(0, 10) })],
      ['roadshows', (ctx) => roadshowFunnels(ctx, all)],
      ['targets', (ctx) => targetProgress(ctx)],
    ];
    for (const [name, run] of sections) {
      process.stdout.write(`\n== ${name}\n`);
      await run(explainingContext(market.db, true));
      const times: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const started = process.hrtime.bigint();
        await run(explainingContext(market.db, false));
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      process.stdout.write(`${name}: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms over ${runs} runs\n`);
    }
  } finally {
    await market.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
