/**
 * npm run bench:sweep [-- --scale 1 --keep DIR --loans 100000 --rounds 5]
 *
 * The overdue sweep's search (loans/warning.service.ts `OVERDUE_WARNINGS_SQL`, run every minute by every
 * process that dispatches events) against the search it replaced, on one database in one run: `--loans`
 * live loans of 12 monthly instalments are added to bench:match's DOMAIN §6 database (one per eligible
 * match), 1 % of them past an unpaid instalment, and the rest repaid up to date or not yet due. Both
 * searches must find the same loans; then each is timed `--rounds` times, alternated. Everything is
 * written in one transaction and rolled back: the kept database is left as it was.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { openMarket } from './market-db';

/** Before migration LoanOldestUnpaid: every live loan's instalments, every time. */
const EVERY_LOAN = `
  SELECT l.id, i.seq FROM loan l
    JOIN LATERAL (
      SELECT seq, due_on FROM (
        SELECT seq, due_on, sum(principal) OVER (ORDER BY seq) AS through FROM loan_instalment WHERE loan_id = l.id
      ) s WHERE s.through > l.principal - l.outstanding ORDER BY seq LIMIT 1
    ) i ON i.due_on < shanghai_today()
   WHERE l.status = 'ACTIVE'`;

/** Now: the live loans past their kept oldest unpaid instalment's date (the `c` of OVERDUE_WARNINGS_SQL). */
const PAST_DUE = `
  SELECT l.id, i.seq FROM loan l CROSS JOIN LATERAL loan_oldest_unpaid(l.id, l.principal - l.outstanding) i
   WHERE l.status = 'ACTIVE' AND l.oldest_unpaid_due_on < shanghai_today()`;

const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, keep: { type: 'string' }, loans: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' },
  } });
  const { db, close } = await openMarket({ scale: Number(values.scale), keep: values.keep, poolSize: 2 });
  const runner = db.createQueryRunner();
  try {
    await runner.connect();
    await runner.startTransaction();
    const started = process.hrtime.bigint();
    // Loan k started 5, 36 or 67 days ago with 0, 1 or 2 instalments repaid: none past due; every 100th started 200 days ago, nothing repaid.
    await runner.query(`
      INSERT INTO loan (match_id, need_id, enterprise_id, institution_id, product_id, principal, outstanding, annual_rate, term_months, recorded_by, repayment, starts_on, maturity)
      SELECT m.id, m.need_id, n.enterprise_id, m.institution_id, m.product_id, 1200000, 1200000 - 100000 * (m.k % 3), 0.04, 12, 'bench:sweep', 'AMORTIZING', s.d, s.d + interval '12 months'
        FROM (SELECT m.*, row_number() OVER (ORDER BY m.id) AS k FROM match m WHERE m.eligible LIMIT $1) m
        JOIN financing_need n ON n.id = m.need_id
        CROSS JOIN LATERAL (SELECT shanghai_today() - (CASE WHEN m.k % 100 = 0 THEN 200 ELSE (m.k % 3)::int * 31 + 5 END)::int AS d) s`, [Number(values.loans)]);
    await runner.query(`
      INSERT INTO loan_instalment (loan_id, seq, due_on, principal, interest)
      SELECT l.id, g, (l.starts_on + make_interval(months => g))::date, 100000, 4000 FROM loan l CROSS JOIN generate_series(1, 12) g WHERE l.recorded_by = 'bench:sweep'`);
    await runner.query('ANALYZE loan');
    await runner.query('ANALYZE loan_instalment');
    const [{ loans, live }] = await runner.query(`SELECT count(*)::int AS loans, count(*) FILTER (WHERE status = 'ACTIVE')::int AS live FROM loan`);
    process.stderr.write(`${loans} loans (${live} live), ${Number(values.loans) * 12} instalments added in ${(ms(started) / 1000).toFixed(1)} s\n`);

    const found = async (sql: string) => ((await runner.query(sql)) as { id: string; seq: number }[]).map((r) => `${r.id}:${r.seq}`).sort().join();
    const [before, now] = [await found(EVERY_LOAN), await found(PAST_DUE)];
    if (before !== now) throw new Error('the two searches found different loans');
    const pastDue = before ? before.split(',').length : 0;
    const times = { before: [] as number[], now: [] as number[] };
    for (let round = 0; round < Number(values.rounds); round += 1) {
      for (const [name, sql] of [['before', EVERY_LOAN], ['now', PAST_DUE]] as const) {
        const t = process.hrtime.bigint();
        await runner.query(sql);
        times[name].push(ms(t));
      }
    }
    const result = { live, pastDue, beforeMs: Math.round(median(times.before) * 10) / 10, nowMs: Math.round(median(times.now) * 10) / 10 };
    process.stdout.write(`| search | live loans | past due | median ms (${values.rounds} rounds) |\n|---|---:|---:|---:|\n`
      + `| every live loan's instalments (before) | ${live} | ${pastDue} | ${result.beforeMs} |\n`
      + `| live loans past their kept date (now) | ${live} | ${pastDue} | ${result.nowMs} |\n\n${JSON.stringify({ ...result, ratio: Math.round((result.beforeMs / result.nowMs) * 10) / 10 })}\n`);
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
