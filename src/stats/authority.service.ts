/**
 * What an authority reports on (issue 17 §5; docs/AUTHORITIES.md ST1–ST7; roadshows RS3): one SQL
 * statement per section, aggregated in PostgreSQL, with the four scope parameters of stats.service.ts
 * ($1, $2 the days; $3, $4 the region as a range of codes) and, where a section needs more, parameters
 * after them. Ratios are divided here, in exact decimals, from the sums PostgreSQL returns.
 */
import { authorityRegion, coveredSql } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { TIME_ZONE } from '../common/dates';
import { Decimal, rate } from '../common/decimal';
import { badArgument } from '../common/errors';
import { requestToday } from '../database/clock';
import { SMALL_MICRO_BALANCE_CEILING, SMALL_MICRO_WEIGHT } from '../policy/amplification';
import { AmplificationMonth, FunnelDimension, FunnelGroup, GuarantorMonths, LendingStats, RoadshowFunnel, TargetProgress } from './authority.type';
import { amount, eachChain, happenedInRange, NEEDS_IN_SCOPE, NEEDS_WHERE, scopeValues } from './stats.service';
import { AuthorityTargetEntity } from './target.entity';
import { historyMonths, SECURED_PRODUCT_KINDS } from './targets';
import type { StatsScope } from './stats.type';
import { sqlList } from '../common/sql-list';

const share = (part: Decimal, whole: Decimal): Decimal | null => (whole.isZero() ? null : rate(part.div(whole)));
const shanghaiDay = (column: string) => `(${column} AT TIME ZONE '${TIME_ZONE}')::date`;

/**
 * The firm `column` names is in the region ($3, $4). Without a region the condition folds away when the
 * statement is planned with its values, so the national figures never read the enterprise table.
 */
const firmInRegion = (column: string) =>
  `($3::bpchar IS NULL OR EXISTS (SELECT 1 FROM enterprise e WHERE e.id = ${column} AND e.region_code BETWEEN $3::bpchar AND $4::bpchar))`;

/**
 * ST1 — loan `l` of product `p` for need `n` is a credit loan: no guarantee, a product kind not secured by
 * nature, and no collateral offered that the product accepts.
 */
const CREDIT_LOAN_SQL = `(l.guarantor_id IS NULL AND p.kind NOT IN (${sqlList(SECURED_PRODUCT_KINDS)})
  AND NOT (p.collateral_accepted && array_remove(n.collateral_offered, 'NONE')))`;

/**
 * ST2 — loan `l` is a first loan (首贷): the firm's first loan here, and its credit data as of the
 * disbursement day (the newest record that states it) says it never had a bank loan.
 */
const FIRST_LOAN_SQL = `(NOT EXISTS (SELECT 1 FROM loan x WHERE x.enterprise_id = l.enterprise_id AND (x.disbursed_at, x.id) < (l.disbursed_at, l.id))
  AND (SELECT r.had_bank_loan FROM credit_record r
        WHERE r.enterprise_id = l.enterprise_id AND r.had_bank_loan IS NOT NULL AND r.as_of <= ${shanghaiDay('l.disbursed_at')}
        ORDER BY r.as_of DESC, r.updated_at DESC, r.id LIMIT 1) IS FALSE)`;

/** ST1–ST4 over the loans disbursed in the range to firms in the region. */
export async function lendingStats(ctx: RequestContext, scope: StatsScope): Promise<LendingStats> {
  const [row] = await ctx.db.query(
    `WITH l AS MATERIALIZED (
       SELECT l.principal, l.annual_rate, ${CREDIT_LOAN_SQL} AS credit, ${FIRST_LOAN_SQL} AS first_loan,
              ${shanghaiDay('l.disbursed_at')} - ${shanghaiDay('n.created_at')} AS days,
              NOT EXISTS (SELECT 1 FROM loan y WHERE y.need_id = l.need_id AND (y.disbursed_at, y.id) < (l.disbursed_at, l.id)) AS need_first
         FROM loan l
         JOIN product p ON p.id = l.product_id
         JOIN financing_need n ON n.id = l.need_id
        WHERE ${happenedInRange('l.disbursed_at')} AND ${firmInRegion('l.enterprise_id')})
     SELECT count(*)::int AS loans, sum(principal) AS principal,
            count(*) FILTER (WHERE credit)::int AS credit_loans, sum(principal) FILTER (WHERE credit) AS credit_principal,
            count(*) FILTER (WHERE first_loan)::int AS first_loans, sum(principal) FILTER (WHERE first_loan) AS first_principal,
            sum(principal * annual_rate) AS rate_weighted,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE need_first))::numeric AS median_days
       FROM l`,
    scopeValues(scope),
  );
  const principal = amount(row.principal);
  const creditPrincipal = amount(row.credit_principal);
  return {
    loans: row.loans,
    principal,
    creditLoans: row.credit_loans,
    creditLoanPrincipal: creditPrincipal,
    creditLoanCountShare: share(new Decimal(row.credit_loans), new Decimal(row.loans)),
    creditLoanAmountShare: share(creditPrincipal, principal),
    firstLoanBorrowers: row.first_loans,
    firstLoanPrincipal: amount(row.first_principal),
    averageAnnualRate: row.rate_weighted === null ? null : share(new Decimal(row.rate_weighted), principal),
    medianDaysToDisbursement: row.median_days === null ? null : new Decimal(row.median_days),
  };
}

/** The column saying a step happened (ST5, RS3's funnel). */
const STEP_COLUMNS = { CONTACT: 'contacted', APPLY: 'applied', APPROVE: 'approved' } as const;

/**
 * Whether each of `actions` happened, one row per `x.<key>` (a need or a match) of those the CTE `within`
 * holds (joined on its `id`): one pass over their match_event rows, grouped.
 */
const stepsOf = (key: 'need_id' | 'match_id', within: string, actions: readonly (keyof typeof STEP_COLUMNS)[]) =>
  `SELECT x.${key}, ${actions.map((a) => `bool_or(x.action = '${a}') AS ${STEP_COLUMNS[a]}`).join(', ')}
     FROM match_event x JOIN ${within} ON ${within}.id = x.${key} WHERE x.action IN (${sqlList(actions)}) GROUP BY x.${key}`;

/**
 * ST5: each group's unit is a (group, need) pair. By chain, a need's steps on any of its matches; by
 * product kind, its steps on the matches of that kind.
 */
const FUNNEL_UNITS: Record<FunnelDimension, string> = {
  INDUSTRY_CHAIN: `
    nd AS MATERIALIZED (SELECT n.id, n.amount, n.first_matched_at, e.industry_chains FROM ${NEEDS_IN_SCOPE} WHERE ${NEEDS_WHERE}),
    ev AS (${stepsOf('need_id', 'nd', ['CONTACT', 'APPLY', 'APPROVE'])}),
    lo AS (SELECT l.need_id, sum(l.principal) AS principal FROM loan l JOIN nd ON nd.id = l.need_id GROUP BY l.need_id),
    unit AS (
      SELECT chain.code AS key, nd.amount, nd.first_matched_at IS NOT NULL AS matched,
             coalesce(ev.contacted, false) AS contacted, coalesce(ev.applied, false) AS applied, coalesce(ev.approved, false) AS approved,
             lo.need_id IS NOT NULL AS disbursed, lo.principal
        FROM nd
       ${eachChain('nd.industry_chains')}
        LEFT JOIN ev ON ev.need_id = nd.id
        LEFT JOIN lo ON lo.need_id = nd.id)`,
  PRODUCT_KIND: `
    mm AS MATERIALIZED (
      SELECT m.id, m.need_id, p.kind, n.amount
        FROM financing_need n JOIN match m ON m.need_id = n.id JOIN product p ON p.id = m.product_id
       WHERE ${happenedInRange('n.created_at')} AND ${firmInRegion('n.enterprise_id')}),
    ev AS (${stepsOf('match_id', 'mm', ['CONTACT', 'APPLY', 'APPROVE'])}),
    lo AS (SELECT l.match_id, sum(l.principal) AS principal FROM loan l JOIN mm ON mm.id = l.match_id GROUP BY l.match_id),
    unit AS (
      SELECT mm.kind AS key, min(mm.amount) AS amount, true AS matched,
             coalesce(bool_or(ev.contacted), false) AS contacted, coalesce(bool_or(ev.applied), false) AS applied, coalesce(bool_or(ev.approved), false) AS approved,
             bool_or(lo.match_id IS NOT NULL) AS disbursed, sum(lo.principal) AS principal
        FROM mm LEFT JOIN ev ON ev.match_id = mm.id LEFT JOIN lo ON lo.match_id = mm.id
       GROUP BY mm.kind, mm.need_id)`,
};

export async function funnelGroups(ctx: RequestContext, scope: StatsScope, dimension: FunnelDimension): Promise<FunnelGroup[]> {
  const rows: Record<string, string | number | null>[] = await ctx.db.query(
    `WITH ${FUNNEL_UNITS[dimension]}
     SELECT key, count(*)::int AS needs, sum(amount) AS amount, count(*) FILTER (WHERE matched)::int AS matched,
            count(*) FILTER (WHERE contacted)::int AS contacted, count(*) FILTER (WHERE applied)::int AS applied,
            count(*) FILTER (WHERE approved)::int AS approved, count(*) FILTER (WHERE disbursed)::int AS disbursed, sum(principal) AS disbursed_amount
       FROM unit GROUP BY key ORDER BY key COLLATE "C"`,
    scopeValues(scope),
  );
  return rows.map((r) => ({
    key: r.key as string,
    needs: r.needs as number,
    amount: amount(r.amount as string | null),
    matched: r.matched as number,
    contacted: r.contacted as number,
    applied: r.applied as number,
    approved: r.approved as number,
    disbursed: r.disbursed as number,
    disbursedAmount: amount(r.disbursed_amount as string | null),
  }));
}

/**
 * ST6 — each guarantor's liability at each month's end from the ledger: the GUARANTEE and GUARANTEE_RELEASE
 * entries give each borrower's guaranteed balance after every movement; R6 weighs the balance (0.75 for a
 * small or micro borrower at or under 5,000,000, else 1.0, by its size class now, as the reconciliation
 * does); the change in a borrower's weighted balance at each movement, summed per month and accumulated,
 * plus the opening liability, is the liability at that month's end. Net assets: the latest figure dated on
 * or before the month's last day ($1 the first month, $2 the last; the region does not apply).
 */
export async function amplificationHistory(ctx: RequestContext, scope: StatsScope): Promise<GuarantorMonths[]> {
  const window = historyMonths(scope.from, scope.to, await requestToday(ctx));
  if ('tooMany' in window) throw badArgument(`the history covers at most 120 months; "filter.from" to "filter.to" spans ${window.tooMany}`, 'filter.from');
  const rows: { institution_id: string; month: string; liability: string; net_assets: string | null }[] = await ctx.db.query(
    `WITH months AS (SELECT m::date AS month FROM generate_series($1::date, $2::date, interval '1 month') m),
     moves AS (
       SELECT e.party_id AS guarantor_id, l.enterprise_id, e.at, e.id, CASE e.kind WHEN 'GUARANTEE' THEN e.amount ELSE -e.amount END AS delta
         FROM ledger_entry e JOIN loan l ON l.id = e.loan_id
        WHERE e.kind IN ('GUARANTEE', 'GUARANTEE_RELEASE') AND e.at < (($2::date + interval '1 month')::timestamp AT TIME ZONE '${TIME_ZONE}')),
     balances AS (
       SELECT guarantor_id, enterprise_id, at, id, sum(delta) OVER (PARTITION BY guarantor_id, enterprise_id ORDER BY at, id) AS balance FROM moves),
     weighted AS (
       SELECT b.guarantor_id, b.enterprise_id, b.at, b.id,
              round(b.balance * CASE WHEN en.size_class IN ('SMALL', 'MICRO') AND b.balance <= ${SMALL_MICRO_BALANCE_CEILING.toFixed()} THEN ${SMALL_MICRO_WEIGHT.toFixed()} ELSE 1 END, 2) AS weighted
         FROM balances b JOIN enterprise en ON en.id = b.enterprise_id),
     changes AS (
       SELECT guarantor_id, greatest(date_trunc('month', at AT TIME ZONE '${TIME_ZONE}')::date, $1::date) AS month,
              weighted - coalesce(lag(weighted) OVER (PARTITION BY guarantor_id, enterprise_id ORDER BY at, id), 0) AS change
         FROM weighted),
     per_month AS (SELECT guarantor_id, month, sum(change) AS change FROM changes GROUP BY guarantor_id, month)
     SELECT g.institution_id, to_char(mo.month, 'YYYY-MM') AS month,
            g.opening_liability + coalesce(sum(pm.change) OVER (PARTITION BY g.institution_id ORDER BY mo.month), 0) AS liability,
            (SELECT na.net_assets FROM guarantor_net_assets na
              WHERE na.institution_id = g.institution_id AND na.as_of <= (mo.month + interval '1 month' - interval '1 day')::date
              ORDER BY na.as_of DESC, na.id DESC LIMIT 1) AS net_assets
       FROM guarantor_profile g
       JOIN institution i ON i.id = g.institution_id
      CROSS JOIN months mo
       LEFT JOIN per_month pm ON pm.guarantor_id = g.institution_id AND pm.month = mo.month
      ORDER BY i.name COLLATE "C", i.id, mo.month`,
    [window.first, window.last],
  );
  const byGuarantor = new Map<string, AmplificationMonth[]>();
  for (const r of rows) {
    const liability = new Decimal(r.liability);
    const netAssets = r.net_assets === null ? null : new Decimal(r.net_assets);
    const months = byGuarantor.get(r.institution_id) ?? [];
    months.push({ month: r.month, liability, netAssets, amplificationMultiple: netAssets && rate(liability.div(netAssets)) });
    byGuarantor.set(r.institution_id, months);
  }
  return [...byGuarantor].map(([institutionId, months]) => ({ institutionId, months }));
}

/**
 * RS3 — every roadshow whose month falls in the range: invitations, pitching firms in the region, the needs
 * attributed to it (pitched there or posted for it) of firms in the region, their matches with attending
 * institutions, those contacted and applied to, and the loans on them.
 */
export async function roadshowFunnels(ctx: RequestContext, scope: StatsScope): Promise<RoadshowFunnel[]> {
  const rows: Record<string, string | number | null>[] = await ctx.db.query(
    `WITH r AS MATERIALIZED (
       SELECT id, month, industry_chain FROM roadshow
        WHERE ($1::date IS NULL OR month >= date_trunc('month', $1::date)::date) AND ($2::date IS NULL OR month <= $2::date)),
     inv AS (SELECT i.roadshow_id, count(*)::int AS invited, count(*) FILTER (WHERE i.status = 'ACCEPTED')::int AS attending
               FROM roadshow_invitation i JOIN r ON r.id = i.roadshow_id GROUP BY i.roadshow_id),
     firms AS (SELECT p.roadshow_id, count(*)::int AS firms
                 FROM roadshow_pitch p JOIN r ON r.id = p.roadshow_id WHERE ${firmInRegion('p.enterprise_id')} GROUP BY p.roadshow_id),
     attributed AS (
       SELECT n.roadshow_id, n.id AS need_id FROM financing_need n JOIN r ON r.id = n.roadshow_id
       UNION
       SELECT p.roadshow_id, p.need_id FROM roadshow_pitch p JOIN r ON r.id = p.roadshow_id WHERE p.need_id IS NOT NULL),
     nd AS MATERIALIZED (
       SELECT a.roadshow_id, n.id, n.amount FROM attributed a JOIN financing_need n ON n.id = a.need_id WHERE ${firmInRegion('n.enterprise_id')}),
     mm AS MATERIALIZED (
       SELECT nd.roadshow_id, m.id FROM nd JOIN match m ON m.need_id = nd.id
         JOIN roadshow_invitation i ON i.roadshow_id = nd.roadshow_id AND i.institution_id = m.institution_id AND i.status = 'ACCEPTED'),
     ev AS (${stepsOf('match_id', 'mm', ['CONTACT', 'APPLY'])}),
     ms AS (SELECT mm.roadshow_id, count(*)::int AS matches, count(*) FILTER (WHERE ev.contacted)::int AS contacted, count(*) FILTER (WHERE ev.applied)::int AS applied
              FROM mm LEFT JOIN ev ON ev.match_id = mm.id GROUP BY mm.roadshow_id),
     lo AS (SELECT mm.roadshow_id, count(*)::int AS loans, sum(l.principal) AS principal FROM loan l JOIN mm ON mm.id = l.match_id GROUP BY mm.roadshow_id),
     ns AS (SELECT roadshow_id, count(*)::int AS needs, sum(amount) AS amount FROM nd GROUP BY roadshow_id)
     SELECT r.id, coalesce(inv.invited, 0) AS invited, coalesce(inv.attending, 0) AS attending, coalesce(firms.firms, 0) AS firms,
            coalesce(ns.needs, 0) AS needs, ns.amount, coalesce(ms.matches, 0) AS matches, coalesce(ms.contacted, 0) AS contacted,
            coalesce(ms.applied, 0) AS applied, coalesce(lo.loans, 0) AS loans, lo.principal
       FROM r
       LEFT JOIN inv ON inv.roadshow_id = r.id LEFT JOIN firms ON firms.roadshow_id = r.id LEFT JOIN ns ON ns.roadshow_id = r.id
       LEFT JOIN ms ON ms.roadshow_id = r.id LEFT JOIN lo ON lo.roadshow_id = r.id
      ORDER BY r.month, r.industry_chain COLLATE "C", r.id`,
    scopeValues(scope),
  );
  return rows.map((x) => ({
    roadshowId: x.id as string,
    invited: x.invited as number,
    attending: x.attending as number,
    pitchingFirms: x.firms as number,
    needs: x.needs as number,
    needsAmount: amount(x.amount as string | null),
    matches: x.matches as number,
    contacted: x.contacted as number,
    applied: x.applied as number,
    loans: x.loans as number,
    loansAmount: amount(x.principal as string | null),
  }));
}

/**
 * ST7 — each target's figure over its window (its start to the earlier of its deadline and today), its
 * region and channel: one statement; each metric's subquery runs only for the targets of that metric.
 */
export async function targetProgress(ctx: RequestContext): Promise<TargetProgress[]> {
  // A regional authority's are the targets of its region (issue 17 §3, RV1); a national target is a national authority's.
  const targets = await ctx.db.getRepository(AuthorityTargetEntity).createQueryBuilder('t')
    .where(coveredSql('t.region_prefix', ':region'), { region: authorityRegion(ctx.viewer) })
    .orderBy('t.deadline').addOrderBy('t.created_at').addOrderBy('t.id').getMany();
  if (!targets.length) return [];
  // The firm's region is read only for a target that has one (OR stops at a national target's true).
  const inTargetRegion = (firm: string) => `(t.region_prefix IS NULL OR EXISTS (SELECT 1 FROM enterprise e WHERE e.id = ${firm}
    AND e.region_code BETWEEN rpad(t.region_prefix, 6, '0')::bpchar AND rpad(t.region_prefix, 6, '9')::bpchar))`;
  const needsInWindow = (n: string) => `${n}.created_at >= w.starts_at AND ${n}.created_at < w.ends_at
    AND (t.channel IS NULL OR ${n}.channel = t.channel) AND ${inTargetRegion(`${n}.enterprise_id`)}`;
  const loansInWindow = `l.disbursed_at >= w.starts_at AND l.disbursed_at < w.ends_at
    AND (t.channel IS NULL OR n.channel = t.channel) AND ${inTargetRegion('l.enterprise_id')}`;
  const rows: { id: string; as_of: string; closed: boolean; achieved: string | null }[] = await ctx.db.query(
    `SELECT t.id, to_char(w.last_day, 'YYYY-MM-DD') AS as_of, t.deadline < shanghai_today() AS closed,
            CASE t.metric
              WHEN 'NEW_FIRMS_POSTING_NEEDS' THEN (
                SELECT count(DISTINCT n.enterprise_id) FROM financing_need n
                 WHERE t.metric = 'NEW_FIRMS_POSTING_NEEDS' AND ${needsInWindow('n')}
                   AND NOT EXISTS (SELECT 1 FROM financing_need x WHERE x.enterprise_id = n.enterprise_id AND x.created_at < w.starts_at
                                      AND (t.channel IS NULL OR x.channel = t.channel)))
              WHEN 'INTENDED_FINANCING_AMOUNT' THEN (
                SELECT sum(n.amount) FROM financing_need n
                 WHERE t.metric = 'INTENDED_FINANCING_AMOUNT' AND ${needsInWindow('n')})
              WHEN 'LOANS_DISBURSED_AMOUNT' THEN (
                SELECT sum(l.principal) FROM loan l JOIN financing_need n ON n.id = l.need_id
                 WHERE t.metric = 'LOANS_DISBURSED_AMOUNT' AND ${loansInWindow})
              WHEN 'FIRST_LOAN_BORROWERS' THEN (
                SELECT count(*) FROM loan l JOIN financing_need n ON n.id = l.need_id
                 WHERE t.metric = 'FIRST_LOAN_BORROWERS' AND ${loansInWindow} AND ${FIRST_LOAN_SQL})
            END::text AS achieved
       FROM authority_target t
      CROSS JOIN LATERAL (SELECT least(t.deadline, shanghai_today()) AS last_day) d
      CROSS JOIN LATERAL (SELECT d.last_day,
                                 (t.starts_on::timestamp AT TIME ZONE '${TIME_ZONE}') AS starts_at,
                                 ((d.last_day + 1)::timestamp AT TIME ZONE '${TIME_ZONE}') AS ends_at) w
      WHERE t.id = ANY($1::uuid[])`,
    [targets.map((t) => t.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return targets.map((target) => {
    const row = byId.get(target.id)!;
    const achieved = amount(row.achieved);
    return {
      target,
      asOf: row.as_of,
      achieved,
      ratio: rate(achieved.div(target.value)),
      remaining: Decimal.max(target.value.minus(achieved), 0),
      met: achieved.gte(target.value),
      closed: row.closed,
    };
  });
}
