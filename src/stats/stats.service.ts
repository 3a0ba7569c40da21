/**
 * The analysts' aggregates (issue 5 item 5): one SQL statement per section, aggregated in PostgreSQL,
 * never row by row here. Every statement takes the same four parameters: $1 and $2 the first and last
 * calendar day (Asia/Shanghai, either may be null) and $3 and $4 the region prefix as a range of codes
 * (null without a prefix), so each section's text is fixed and only its values change.
 *
 * What the dates apply to: needs by when they were posted (the funnel: needs posted in the range, with
 * whatever happened to them since); matches by when they were proposed, their steps by when each
 * happened; loans by disbursement; guarantees by their start; subsidies by booking. The region applies to
 * the enterprise concerned (a subsidy's: its loan's borrower, else the enterprise paid). Pools' and
 * guarantors' own figures (R6, R8) are the current ones.
 */
import { covers } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { TIME_ZONE } from '../common/dates';
import { Decimal, money } from '../common/decimal';
import { badArgument } from '../common/errors';
import { toGlobalId } from '../common/ids';
import { isRegionPrefix } from '../common/region';
import { queryDate } from '../common/scalars';
import { reconcileLedger } from '../loans/reconciliation';
import { payeeGlobalId } from '../matching/match.read';
import { capacity } from '../policy/amplification';
import { poolAvailable } from '../policy/pool';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import {
  Funnel, GuarantorStats, InstitutionActivity, LedgerReconciliation, LoanTotals, NeedDimension, NeedGroup, NeedTotals, PoolStats, StatsFilter, StatsScope, SubsidyTotal,
} from './stats.type';

/** Checks the filter once, before any section runs: an unusable one is refused as BAD_USER_INPUT naming the field. */
/**
 * The filter as a scope. A regional authority (its token's `regionCode`, auth/authority-region.ts) counts
 * its region: the filter's region defaults to it, and one outside it is refused.
 */
export function statsScope(filter: StatsFilter | null | undefined, viewerRegion: string | null = null): StatsScope {
  const from = filter?.from == null ? null : queryDate(filter.from, 'filter.from');
  const to = filter?.to == null ? null : queryDate(filter.to, 'filter.to');
  if (from && to && from > to) throw badArgument(`"filter.from" (${from}) is after "filter.to" (${to})`, 'filter.from');
  const regionPrefix = filter?.regionPrefix ?? null;
  if (regionPrefix !== null && !isRegionPrefix(regionPrefix)) throw badArgument('"filter.regionPrefix" is 2, 4 or 6 digits', 'filter.regionPrefix');
  if (regionPrefix !== null && !covers(viewerRegion, regionPrefix)) {
    throw badArgument(`"filter.regionPrefix" ${regionPrefix} is outside your region ${viewerRegion}`, 'filter.regionPrefix', { reason: 'OUTSIDE_AUTHORITY_REGION' });
  }
  return { from, to, regionPrefix: regionPrefix ?? viewerRegion };
}

/** The four parameters every statement takes: the days, and the prefix as the lowest and highest code it covers. */
export function scopeValues(scope: StatsScope): unknown[] {
  const p = scope.regionPrefix;
  return [scope.from, scope.to, p && p.padEnd(6, '0'), p && p.padEnd(6, '9')];
}

/** `column` (a timestamptz) falls on a day from $1 to $2 in Asia/Shanghai; a null end leaves that side open. */
export const happenedInRange = (column: string): string =>
  `(${column} >= coalesce(($1::date)::timestamp AT TIME ZONE '${TIME_ZONE}', '-infinity')` +
  ` AND ${column} < coalesce(($2::date + 1)::timestamp AT TIME ZONE '${TIME_ZONE}', 'infinity'))`;

/** The enterprise `e` is in the prefix's region: a range on the code, so the region index can serve it. */
export const inRegion = (e: string): string => `($3::bpchar IS NULL OR ${e}.region_code BETWEEN $3::bpchar AND $4::bpchar)`;

/** Needs posted in the range by firms in the region: `n` the need, `e` its firm. */
export const NEEDS_IN_SCOPE = `financing_need n JOIN enterprise e ON e.id = n.enterprise_id`;
export const NEEDS_WHERE = `${happenedInRange('n.created_at')} AND ${inRegion('e')}`;

/** A sum PostgreSQL returns, null when nothing was summed, as money. */
export const amount = (value: string | null): Decimal => money(value ?? 0);
const decimalOrNull = (value: string | null): Decimal | null => (value === null ? null : new Decimal(value));

export async function needTotals(ctx: RequestContext, scope: StatsScope): Promise<NeedTotals> {
  const [row] = await ctx.db.query(`SELECT count(*)::int AS count, sum(n.amount) AS amount FROM ${NEEDS_IN_SCOPE} WHERE ${NEEDS_WHERE}`, scopeValues(scope));
  return { count: row.count, amount: amount(row.amount) };
}

/** One row per chain in the array `chains` (a firm's), as `chain.code`; a firm without one counts under "NONE". */
export const eachChain = (chains: string): string =>
  `CROSS JOIN LATERAL unnest(CASE WHEN cardinality(${chains}) = 0 THEN ARRAY['NONE'] ELSE ${chains} END) AS chain(code)`;

/**
 * The group key of each dimension, from constants only. REGION keeps the first $5 digits of the code and
 * pads it back to six: the province (2) without a prefix, else one level below the prefix.
 */
const GROUPS: Record<NeedDimension, { join?: string; key: string }> = {
  INDUSTRY_CHAIN: { join: eachChain('e.industry_chains'), key: 'chain.code' },
  REGION: { key: `rpad(left(e.region_code, $5::int), 6, '0')` },
  SIZE_CLASS: { key: `CASE WHEN e.profile_known THEN e.size_class ELSE 'UNKNOWN' END` },
  MONTH: { key: `to_char(n.created_at AT TIME ZONE '${TIME_ZONE}', 'YYYY-MM')` },
  CHANNEL: { key: 'n.channel' },
};

/** Digits of the region code a REGION group keeps: the province, or one level (2 digits) below the prefix. */
const regionKeyDigits = (scope: StatsScope): number => (scope.regionPrefix ? Math.min(scope.regionPrefix.length + 2, 6) : 2);

export async function needGroups(ctx: RequestContext, scope: StatsScope, dimension: NeedDimension): Promise<NeedGroup[]> {
  const { join, key } = GROUPS[dimension];
  const values = scopeValues(scope);
  if (dimension === 'REGION') values.push(regionKeyDigits(scope));
  const rows: { key: string; count: number; amount: string }[] = await ctx.db.query(
    `SELECT g.key, count(*)::int AS count, sum(g.amount) AS amount
       FROM (SELECT ${key} AS key, n.amount FROM ${NEEDS_IN_SCOPE} ${join ?? ''} WHERE ${NEEDS_WHERE}) g
      GROUP BY g.key ORDER BY g.key COLLATE "C"`,
    values,
  );
  return rows.map((r) => ({ key: r.key, count: r.count, amount: amount(r.amount) }));
}

export async function funnel(ctx: RequestContext, scope: StatsScope): Promise<Funnel> {
  const [row] = await ctx.db.query(
    `SELECT count(*)::int AS posted,
            count(*) FILTER (WHERE n.first_matched_at IS NOT NULL)::int AS matched,
            count(*) FILTER (WHERE steps.contacted)::int AS contacted,
            count(*) FILTER (WHERE steps.approved)::int AS approved,
            count(*) FILTER (WHERE loans.count > 0)::int AS disbursed,
            sum(loans.principal) AS disbursed_amount
       FROM ${NEEDS_IN_SCOPE}
      CROSS JOIN LATERAL (
        SELECT bool_or(x.action = 'CONTACT') AS contacted, bool_or(x.action = 'APPROVE') AS approved
          FROM match_event x WHERE x.need_id = n.id AND x.action IN ('CONTACT', 'APPROVE')) steps
      CROSS JOIN LATERAL (SELECT count(*) AS count, sum(l.principal) AS principal FROM loan l WHERE l.need_id = n.id) loans
      WHERE ${NEEDS_WHERE}`,
    scopeValues(scope),
  );
  const { posted, matched, contacted, approved, disbursed } = row;
  return { posted, matched, contacted, approved, disbursed, disbursedAmount: amount(row.disbursed_amount) };
}

/**
 * Per institution (the product's, R12) with anything in the range: matches proposed, then each step's
 * matches from match_event. The median response is PostgreSQL's percentile_cont over intervals (exact to
 * the microsecond, no floats), converted to hours and rounded half-up to 2 places.
 */
export async function institutionActivity(ctx: RequestContext, scope: StatsScope): Promise<InstitutionActivity[]> {
  const proposedInRange = happenedInRange('m.created_at');
  const rows = await ctx.db.query(
    `SELECT m.institution_id,
            count(*) FILTER (WHERE ${proposedInRange})::int AS proposed,
            count(*) FILTER (WHERE steps.viewed)::int AS viewed,
            count(*) FILTER (WHERE steps.contacted)::int AS contacted,
            count(*) FILTER (WHERE steps.declined)::int AS declined,
            count(*) FILTER (WHERE steps.overdue)::int AS overdue,
            count(*) FILTER (WHERE steps.approved)::int AS approved,
            count(*) FILTER (WHERE steps.disbursed)::int AS disbursed,
            round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY m.responded_at - m.created_at)
                    FILTER (WHERE m.responded_at IS NOT NULL AND ${proposedInRange})) / 3600, 2) AS median_response_hours
       FROM match m
       JOIN financing_need n ON n.id = m.need_id
       JOIN enterprise e ON e.id = n.enterprise_id
       JOIN institution i ON i.id = m.institution_id
      CROSS JOIN LATERAL (
        SELECT count(*) AS count,
               bool_or(x.action = 'VIEW') AS viewed, bool_or(x.action = 'CONTACT') AS contacted,
               bool_or(x.action = 'DECLINE') AS declined, bool_or(x.action = 'LAPSE') AS overdue,
               bool_or(x.action = 'APPROVE') AS approved, bool_or(x.action = 'DISBURSE') AS disbursed
          FROM match_event x WHERE x.match_id = m.id AND ${happenedInRange('x.at')}) steps
      WHERE ${inRegion('e')}
      GROUP BY m.institution_id, i.name
     HAVING bool_or(${proposedInRange} OR steps.count > 0)
      ORDER BY i.name COLLATE "C", m.institution_id`,
    scopeValues(scope),
  );
  return rows.map((r: Record<string, unknown>) => ({
    institutionId: r.institution_id as string,
    proposed: r.proposed as number,
    viewed: r.viewed as number,
    contacted: r.contacted as number,
    declined: r.declined as number,
    overdue: r.overdue as number,
    approved: r.approved as number,
    disbursed: r.disbursed as number,
    medianResponseHours: decimalOrNull(r.median_response_hours as string | null),
  }));
}

/** Every guarantor with its current R6 figures (capacity() decides them) and its live guarantees in scope. */
export async function guarantorStats(ctx: RequestContext, scope: StatsScope): Promise<GuarantorStats[]> {
  const rows = await ctx.db.query(
    `SELECT p.institution_id, p.net_assets, p.liability, p.cap_multiple, p.target_multiple,
            live.count AS live_guarantees, live.outstanding AS guaranteed_outstanding
       FROM guarantor_profile p
       JOIN institution i ON i.id = p.institution_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS count, sum(g.outstanding) AS outstanding
          FROM guarantee g JOIN enterprise e ON e.id = g.enterprise_id
         WHERE g.guarantor_id = p.institution_id AND g.status = 'LIVE' AND ${happenedInRange('g.created_at')} AND ${inRegion('e')}) live
      ORDER BY i.name COLLATE "C", i.id`,
    scopeValues(scope),
  );
  return rows.map((r: Record<string, string | number | null>) => {
    const figures = {
      netAssets: new Decimal(r.net_assets as string),
      liability: new Decimal(r.liability as string),
      capMultiple: new Decimal(r.cap_multiple as string),
      targetMultiple: decimalOrNull(r.target_multiple as string | null),
    };
    return {
      institutionId: r.institution_id as string,
      ...figures,
      ...capacity(figures),
      liveGuarantees: r.live_guarantees as number,
      guaranteedOutstanding: amount(r.guaranteed_outstanding as string | null),
    };
  });
}

/** Every pool with its current R8 figures and its loans in scope, oldest pool first (as `riskCompensationPools`). */
export async function poolStats(ctx: RequestContext, scope: StatsScope): Promise<PoolStats[]> {
  const rows = await ctx.db.query(
    `SELECT p.id, p.capacity, p.reserved, p.paid, held.count AS loans, held.reserve_held, held.compensation_paid
       FROM risk_compensation_pool p
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS count, sum(l.reserve_held) AS reserve_held, sum(l.compensation_paid) AS compensation_paid
          FROM loan l JOIN enterprise e ON e.id = l.enterprise_id
         WHERE l.pool_id = p.id AND ${happenedInRange('l.disbursed_at')} AND ${inRegion('e')}) held
      ORDER BY p.created_at, p.id`,
    scopeValues(scope),
  );
  return rows.map((r: Record<string, string | number | null>) => {
    const [capacityNow, reserved, paid] = [r.capacity, r.reserved, r.paid].map((v) => new Decimal(v as string));
    return {
      poolId: r.id as string,
      capacity: capacityNow,
      reserved,
      paid,
      available: poolAvailable(capacityNow, paid, reserved),
      loans: r.loans as number,
      reserveHeld: amount(r.reserve_held as string | null),
      compensationPaid: amount(r.compensation_paid as string | null),
    };
  });
}

/**
 * Subsidies booked in the range, per kind and payee, by kind, payee and amount (largest first). With a
 * region, a booking counts where its loan's borrower (else the enterprise paid) is in it; a guarantor's
 * booking without a loan has no region and counts only without one.
 */
export async function subsidyTotals(ctx: RequestContext, scope: StatsScope): Promise<SubsidyTotal[]> {
  const rows: { kind: PolicyRuleKind; payee: string; payee_id: string; payee_name: string; bookings: number; amount: string }[] = await ctx.db.query(
    `SELECT b.kind, b.payee_kind AS payee, b.payee_id, coalesce(gi.name, pe.name, '') AS payee_name,
            count(*)::int AS bookings, sum(b.amount) AS amount
       FROM subsidy_booking b
       LEFT JOIN loan l ON l.id = b.loan_id
       LEFT JOIN enterprise e ON e.id = coalesce(l.enterprise_id, CASE WHEN b.payee_kind = 'ENTERPRISE' THEN b.payee_id END)
       LEFT JOIN institution gi ON b.payee_kind = 'GUARANTOR' AND gi.id = b.payee_id
       LEFT JOIN enterprise pe ON b.payee_kind = 'ENTERPRISE' AND pe.id = b.payee_id
      WHERE ${happenedInRange('b.booked_at')} AND ${inRegion('e')}
      GROUP BY b.kind, b.payee_kind, b.payee_id, gi.name, pe.name
      ORDER BY b.kind COLLATE "C", b.payee_kind COLLATE "C", sum(b.amount) DESC, coalesce(gi.name, pe.name) COLLATE "C", b.payee_id`,
    scopeValues(scope),
  );
  return rows.map((r) => ({
    kind: r.kind,
    payee: r.payee,
    payeeId: payeeGlobalId(r.payee, r.payee_id),
    payeeName: r.payee_name,
    bookings: r.bookings,
    amount: amount(r.amount),
  }));
}

export async function loanTotals(ctx: RequestContext, scope: StatsScope): Promise<LoanTotals> {
  const [row] = await ctx.db.query(
    `SELECT count(*)::int AS count, sum(l.principal) AS principal, sum(l.outstanding) AS outstanding,
            count(*) FILTER (WHERE l.status = 'REPAID')::int AS repaid, count(*) FILTER (WHERE l.status = 'DEFAULTED')::int AS defaulted,
            sum(l.net_loss) AS net_loss, sum(l.compensation_paid) AS compensation_paid
       FROM loan l JOIN enterprise e ON e.id = l.enterprise_id
      WHERE ${happenedInRange('l.disbursed_at')} AND ${inRegion('e')}`,
    scopeValues(scope),
  );
  return {
    count: row.count,
    principal: amount(row.principal),
    outstanding: amount(row.outstanding),
    repaid: row.repaid,
    defaulted: row.defaulted,
    netLoss: amount(row.net_loss),
    compensationPaid: amount(row.compensation_paid),
  };
}

/** The node type of a reconciled figure's subject. */
const subjectType = (figure: string) => (figure.startsWith('POOL_') ? 'RiskCompensationPool' : figure.startsWith('GUARANTOR_') ? 'Institution' : 'Loan');

/** The ledger's stored figures against its postings (loans/reconciliation.ts), over the whole ledger. */
export async function ledgerReconciliation(ctx: RequestContext): Promise<LedgerReconciliation> {
  const r = await reconcileLedger(ctx.db);
  return {
    ...r,
    differences: r.differences.map((d) => ({
      ...d, subjectId: toGlobalId(subjectType(d.figure), d.subjectId), borrowerId: d.borrowerId && toGlobalId('Enterprise', d.borrowerId),
    })),
  };
}
