/**
 * R9 — the growth part of GUARANTEE_RISK_SUBSIDY (seed 004 Art. (24)): growthRatio × the growth of a
 * guarantor's small and micro guarantee volume in a year over the year before, computed from the
 * ledger's guarantees (the principal each guaranteed when it started, by the day it started), of
 * borrowers the rule's regions cover (all, for a national rule), and booked once per guarantor, year
 * and rule as a subsidy without a loan. The year must be over (before the database's day).
 */
import { EntityManager } from 'typeorm';
import { outsideRuleRegion } from '../auth/authority-region';
import { RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { requestToday } from '../database/clock';
import { inTransaction } from '../database/transaction';
import { lockGuarantorRow } from '../loans/loan.service';
import { readParams } from './params';
import { rulesInForce } from './policy.reach';
import { ruleVersion } from './quotes';
import { calculatorFor } from './registry';
import { volumeGrowthSubsidy } from './subsidies';

export interface GrowthSubsidyInput {
  guarantorId: string;
  ruleCode: string;
  year: number;
}

export interface GrowthSubsidy {
  guarantorId: string;
  year: number;
  /** Small and micro guaranteed principal started in `year`, CNY. */
  volume: Decimal;
  /** The same in the year before. */
  previousVolume: Decimal;
  growth: Decimal;
  amount: Decimal;
  ruleVersion: string;
  /** Whether it is booked (bookGuaranteeGrowthSubsidy), and when. */
  bookedAt: Date | null;
}

async function compute(ctx: RequestContext, em: EntityManager, input: GrowthSubsidyInput): Promise<Result<{ figures: GrowthSubsidy; ruleId: string }>> {
  const guarantorId = uuidOf(input.guarantorId, 'Institution');
  const failures: Failure[] = [];
  if (!guarantorId) failures.push(failure('guarantorId', 'INVALID_ID'));
  const today = await requestToday(ctx);
  if (!Number.isInteger(input.year) || input.year < 1900 || input.year >= Number(today.slice(0, 4))) failures.push(failure('year', 'YEAR_NOT_OVER', { today }));
  if (failures.length) return refused(...failures);
  const [guarantor]: { id: string }[] = await em.query(`SELECT institution_id AS id FROM guarantor_profile WHERE institution_id = $1`, [guarantorId]);
  if (!guarantor) return refused(failure('guarantorId', 'NOT_FOUND'));
  // The GUARANTEE_RISK_SUBSIDY rule version in force today (a code keeps its kind across versions).
  const [rule] = await rulesInForce(em, today, { codes: [input.ruleCode] });
  if (rule?.kind !== 'GUARANTEE_RISK_SUBSIDY') return refused(failure('ruleCode', 'NOT_FOUND'));
  // A regional authority reads and books under its region's rules only (issue 17 §3, RV1).
  const outside = outsideRuleRegion(ctx.viewer, 'ruleCode', { national: rule.national, regionPrefixes: rule.region_prefixes });
  if (outside) return refused(outside);
  const growthRatio = readParams(calculatorFor('GUARANTEE_RISK_SUBSIDY').params, rule.params).growthRatio as Decimal | null;
  if (!growthRatio) return refused(failure('ruleCode', 'NO_GROWTH_RATIO', { code: rule.code }));
  const [row]: { volume: string; previous: string; booked_at: Date | null }[] = await em.query(
    `SELECT coalesce(sum(g.guaranteed_amount) FILTER (WHERE extract(year FROM g.started_on) = $2::int), 0)::text AS volume,
            coalesce(sum(g.guaranteed_amount) FILTER (WHERE extract(year FROM g.started_on) = $2::int - 1), 0)::text AS previous,
            (SELECT max(b.booked_at) FROM subsidy_booking b WHERE b.kind = 'GUARANTEE_RISK_SUBSIDY' AND b.loan_id IS NULL AND b.payee_id = $1 AND b.year = $2::int
                AND b.policy_rule_id IN (SELECT id FROM policy_rule WHERE code = $5)) AS booked_at
       FROM guarantee g JOIN enterprise e ON e.id = g.enterprise_id
      WHERE g.guarantor_id = $1 AND g.started_on >= make_date($2::int - 1, 1, 1) AND g.started_on < make_date($2::int + 1, 1, 1)
        AND e.size_class IN ('SMALL', 'MICRO')
        AND ($3 OR EXISTS (SELECT 1 FROM unnest($4::text[]) p WHERE e.region_code LIKE p || '%'))`,
    [guarantorId, input.year, rule.national, rule.region_prefixes, rule.code]);
  const volume = new Decimal(row.volume);
  const previousVolume = new Decimal(row.previous);
  const { growth, amount } = volumeGrowthSubsidy({ volume, previousVolume, growthRatio });
  return ok({
    ruleId: rule.id,
    figures: { guarantorId: guarantorId!, year: input.year, volume, previousVolume, growth, amount, ruleVersion: ruleVersion(rule), bookedAt: row.booked_at },
  });
}

/** `guaranteeGrowthSubsidy`: the figures, without booking. */
export async function guaranteeGrowthSubsidy(ctx: RequestContext, input: GrowthSubsidyInput): Promise<Result<GrowthSubsidy>> {
  return inTransaction(ctx, async (em) => {
    const computed = await compute(ctx, em, input);
    return computed.ok ? ok(computed.value.figures) : computed;
  });
}

/**
 * bookGuaranteeGrowthSubsidy: books the year's growth subsidy for the guarantor, once per year and rule
 * code (holding the guarantor's profile row, as every writer of its subsidies does).
 */
export async function bookGuaranteeGrowthSubsidy(ctx: RequestContext, input: GrowthSubsidyInput): Promise<Result<GrowthSubsidy>> {
  return inTransaction(ctx, async (em) => {
    const guarantorId = uuidOf(input.guarantorId, 'Institution');
    if (guarantorId) await lockGuarantorRow(em, guarantorId);
    const computed = await compute(ctx, em, input);
    if (!computed.ok) return computed;
    const { figures, ruleId } = computed.value;
    if (figures.bookedAt) return refused(failure('year', 'GROWTH_SUBSIDY_BOOKED', { year: figures.year, ruleVersion: figures.ruleVersion }));
    if (!figures.amount.gt(0)) return refused(failure('year', 'NO_GROWTH', { year: figures.year, volume: figures.volume.toFixed(2), previous: figures.previousVolume.toFixed(2) }));
    const [{ booked_at: bookedAt }] = await em.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year, rule_version) VALUES ('GUARANTEE_RISK_SUBSIDY', $1, 'GUARANTOR', $2, $3, $4, $5) RETURNING booked_at`,
      [ruleId, figures.guarantorId, figures.amount.toFixed(2), figures.year, figures.ruleVersion]);
    return ok({ ...figures, bookedAt });
  });
}
