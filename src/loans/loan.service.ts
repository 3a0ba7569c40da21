/**
 * R14 outcomes and the policy ledger (R6–R9): approval, decline, disbursement, repayment and default,
 * each one transaction that locks what it changes before it reads it.
 *
 * Lock order (so no two writers wait on each other in a circle): a disbursement locks the need, then the
 * match (as every match writer does), then the guarantor's profile, then the pools in id order; a
 * repayment or a default locks the loan, then the guarantor, then the pool. Two disbursements through one
 * guarantor therefore run one after the other: the second reads the liability, the borrower's balance and
 * the year's fee subsidies the first wrote, so neither cap can be broken by arriving together (R6, R9),
 * and a pool's reserve is taken from what it has left (R8: never overdrawn).
 *
 * Nothing here sums a guarantor's guarantees or bookings: the borrower's balance and the year's fee
 * subsidies are running totals the database keeps in the statement that writes the guarantee or booking
 * (migration RunningTotals), so under the guarantor's lock they are as current as the rows; the liability
 * moves by the change in R6's weighting of the one borrower whose balance moved (docs/LEDGER.md).
 *
 * A change to a guarantor's room or fee subsidies, or to a pool near its end, queues the refresh of the
 * matches that quote them, in the same transaction (R13 freshness).
 */
import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context';
import { Decimal, money } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, Failure, ok, refused, Result } from '../common/user-error';
import { claimKey } from '../database/idempotency';
import { requestToday } from '../database/clock';
import { inTransaction } from '../database/transaction';
import type { SizeClass } from '../enterprises/size-class';
import { applyStep, institutionFailure, lockMatch, Locked, needNotActive } from '../matching/lifecycle.service';
import { MatchEntity } from '../matching/match.entity';
import { moveFailure, moveNeeds } from '../needs/need.moves';
import type { DeclineReason } from '../matching/match.rules';
import { weightedBalance } from '../policy/amplification';
import { readParams } from '../policy/params';
import { poolAvailable } from '../policy/pool';
import { QuotedRule, ruleVersion } from '../policy/quotes';
import { calculatorFor } from '../policy/registry';
import { RiskParty, RiskShare } from '../policy/risk-sharing';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { LoanAccounts, postingsOf } from './accounts';
import { Entry, LoanState, LossMove, planClaimSettlement, planDefault, planDisbursement, planRepayment } from './ledger';
import { post } from './ledger.write';
import { guaranteeBlock, routeGuarantee } from './guarantee.service';
import { LoanEntity } from './loan.entity';
import { EVENT_INSERT } from '../events/outbox';
import { buildSchedule, RepaymentKind } from './schedule';
import { writeInstalments } from './schedule.service';
import { feeSubsidiesCountedSql, recordEntitlements } from './entitlements';

export const OUTCOMES = ['APPROVED', 'DECLINED', 'DISBURSED'] as const;

export interface OutcomeInput {
  matchId: string;
  outcome: string;
  principal?: Decimal | null;
  annualRate?: Decimal | null;
  termMonths?: number | null;
  repayment?: RepaymentKind | null;
  declineReason?: DeclineReason | null;
  note?: string | null;
  idempotencyKey?: string | null;
}

export interface OutcomeResult {
  match: MatchEntity;
  loan: LoanEntity | null;
}

function outcomeFailures(input: OutcomeInput): Failure[] {
  if (!(OUTCOMES as readonly string[]).includes(input.outcome)) return [failure('outcome', 'INVALID_OUTCOME', { allowed: OUTCOMES.join(', ') })];
  const failures: Failure[] = [];
  const notApplicable = (field: string) => failures.push(failure(field, 'NOT_APPLICABLE', { action: input.outcome }, 'action'));
  if (input.outcome === 'DISBURSED') {
    if (!input.principal) failures.push(failure('principal', 'REQUIRED'));
  } else {
    for (const field of ['principal', 'annualRate', 'termMonths', 'repayment'] as const) if (input[field] != null) notApplicable(field);
  }
  if (input.outcome === 'DECLINED') {
    if (!input.declineReason) failures.push(failure('declineReason', 'REQUIRED'));
  } else if (input.declineReason) notApplicable('declineReason');
  return failures;
}

/** recordLoanOutcome: the product's institution approves, declines (with a reason) or disburses an applied match. */
export async function recordLoanOutcome(ctx: RequestContext, input: OutcomeInput): Promise<Result<OutcomeResult>> {
  const matchId = uuidOf(input.matchId, 'Match');
  if (!matchId) return refused(failure('matchId', 'INVALID_ID'));
  const failures = outcomeFailures(input);
  if (failures.length) return refused(...failures);
  return inTransaction(ctx, async (em) => {
    // A retried request (same key, same input) returns what the first did instead of acting twice.
    const claim = input.idempotencyKey ? await claimKey(em, ctx.viewer!.sub, input.idempotencyKey, 'recordLoanOutcome', input) : null;
    if (claim?.kind === 'refused') return refused(claim.failure);
    if (claim?.kind === 'replay') return ok(await replayedOutcome(em, input.outcome, claim.resultId));
    const locked = await lockMatch(em, matchId);
    const denied = institutionFailure(ctx, locked?.match);
    if (denied) return refused(denied);
    const today = await requestToday(ctx);
    const step = { actor: ctx.viewer!.sub, today, declineReason: input.declineReason, note: input.note?.trim() || null };
    let loan: LoanEntity | null = null;
    if (input.outcome === 'DECLINED') {
      const stepped = await applyStep(em, locked!, 'DECLINE', step, 'outcome');
      if (!stepped.ok) return stepped;
    } else {
      const inactive = needNotActive(locked!.need, today);
      if (inactive) return refused(inactive);
      const stepped = await applyStep(em, locked!, input.outcome === 'APPROVED' ? 'APPROVE' : 'DISBURSE', step, 'outcome');
      if (!stepped.ok) return stepped;
      // The match's guarantee goes to its guarantor for an answer (issue 17 §1).
      if (input.outcome === 'APPROVED') await routeGuarantee(em, locked!.match, locked!.need.enterpriseId);
      if (input.outcome === 'DISBURSED') {
        const disbursed = await disburse(ctx, em, locked!, input);
        if (!disbursed.ok) return disbursed;
        loan = disbursed.value;
      }
    }
    if (claim?.kind === 'new') await claim.settle(loan?.id ?? matchId);
    return ok({ match: await em.getRepository(MatchEntity).findOneByOrFail({ id: matchId }), loan });
  });
}

/** What a first recordLoanOutcome returned: its loan (a disbursement) or its match. */
async function replayedOutcome(em: EntityManager, outcome: string, resultId: string): Promise<OutcomeResult> {
  const loan = outcome === 'DISBURSED' ? await em.getRepository(LoanEntity).findOneByOrFail({ id: resultId }) : null;
  return { loan, match: await em.getRepository(MatchEntity).findOneByOrFail({ id: loan?.matchId ?? resultId }) };
}

interface GuarantorRow { net_assets: string; cap_multiple: string; target_multiple: string | null; liability: string }

/**
 * Locks a guarantor's profile and returns its R6 figures, then the borrower's live guaranteed balance
 * with it and its fee subsidies in `year` and later years (R9; a guarantee's fee subsidy is allocated to
 * the years it covers, DOMAIN E9): those paid (booked) and those entitled and not yet paid or rejected
 * (issue 17 §3: a disbursement records entitlements, the payment books them), each read by key. The totals are read in a statement of
 * their own, after the lock: a statement that waited for the lock reads other rows as they were when it
 * began, before the writer it waited for committed.
 */
async function lockGuarantor(em: EntityManager, guarantorId: string, enterpriseId: string, year: number) {
  const [g]: GuarantorRow[] = await em.query(
    `SELECT net_assets::text, cap_multiple::text, target_multiple::text, liability::text FROM guarantor_profile WHERE institution_id = $1 FOR UPDATE`, [guarantorId]);
  const [totals]: { balance: string; fee_subsidies: { year: number; total: string }[] | null }[] = await em.query(
    `SELECT coalesce((SELECT balance FROM guarantor_borrower_balance WHERE guarantor_id = $1 AND enterprise_id = $2), 0)::text AS balance,
            (SELECT json_agg(json_build_object('year', year, 'total', total::text)) FROM (${feeSubsidiesCountedSql('$1', '$3')}) f) AS fee_subsidies`,
    [guarantorId, enterpriseId, year]);
  const fees = new Map((totals.fee_subsidies ?? []).map((f) => [f.year, new Decimal(f.total)]));
  return {
    figures: {
      netAssets: new Decimal(g.net_assets), liability: new Decimal(g.liability), capMultiple: new Decimal(g.cap_multiple),
      targetMultiple: g.target_multiple ? new Decimal(g.target_multiple) : null,
    },
    borrowerBalance: new Decimal(totals.balance),
    feeSubsidiesIn: (y: number) => fees.get(y) ?? new Decimal(0),
  };
}

/** Locks a guarantor's profile row: what every writer of its guarantees, fee subsidies and liability holds. */
export const lockGuarantorRow = (em: EntityManager, guarantorId: string) => em.query(`SELECT 1 FROM guarantor_profile WHERE institution_id = $1 FOR UPDATE`, [guarantorId]);

/**
 * After a borrower's guarantees with a guarantor moved (the guarantor's row is locked): R6 weighs the
 * borrower's new balance, and the guarantor's liability moves by the difference from what the borrower
 * weighed before, so that the liability stays the opening liability plus each borrower's weighted balance.
 */
async function storeLiability(em: EntityManager, guarantorId: string, enterpriseId: string): Promise<void> {
  const [b]: { size_class: SizeClass; balance: string | null; weighted: string | null }[] = await em.query(
    `SELECT e.size_class, b.balance::text, b.weighted::text FROM enterprise e
       LEFT JOIN guarantor_borrower_balance b ON b.guarantor_id = $1 AND b.enterprise_id = e.id WHERE e.id = $2`, [guarantorId, enterpriseId]);
  if (b.balance === null) return;
  const weighted = weightedBalance(b.size_class, new Decimal(b.balance));
  const change = weighted.minus(b.weighted!);
  if (change.isZero()) return;
  await em.query(
    `WITH b AS (UPDATE guarantor_borrower_balance SET weighted = $3 WHERE guarantor_id = $1 AND enterprise_id = $2 RETURNING 1)
     UPDATE guarantor_profile SET liability = liability + $4, updated_at = now() WHERE institution_id = $1`,
    [guarantorId, enterpriseId, weighted.toFixed(2), change.toFixed(2)]);
}

/** Locks pools in id order and returns what each has available. */
async function lockPools(em: EntityManager, poolIds: string[]): Promise<Map<string, Decimal>> {
  if (!poolIds.length) return new Map();
  const rows: { id: string; capacity: string; reserved: string; paid: string }[] = await em.query(
    `SELECT id, capacity::text, reserved::text, paid::text FROM risk_compensation_pool WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [poolIds]);
  return new Map(rows.map((p) => [p.id, poolAvailable(new Decimal(p.capacity), new Decimal(p.paid), new Decimal(p.reserved))]));
}

/** The policy rule versions a match or loan used, by id, with their parameters (by code, as the quotes expect). */
async function rulesById(em: EntityManager, ids: readonly string[]): Promise<QuotedRule[]> {
  if (!ids.length) return [];
  const rows: { id: string; code: string; version: number; kind: PolicyRuleKind; pool_id: string | null; params: Record<string, string> }[] = await em.query(
    `SELECT id, code, version, kind, pool_id, params FROM policy_rule WHERE id = ANY($1::uuid[]) ORDER BY code`, [ids]);
  return rows.map((r) => ({ id: r.id, code: r.code, version: r.version, kind: r.kind, poolId: r.pool_id, params: readParams(calculatorFor(r.kind).params, r.params) }));
}

async function benchmarks(em: EntityManager, today: string): Promise<Map<string, Decimal>> {
  const rows: { code: string; rate: string }[] = await em.query(
    `SELECT DISTINCT ON (code) code, rate::text FROM benchmark_rate WHERE effective_from <= $1::date ORDER BY code, effective_from DESC`, [today]);
  return new Map(rows.map((r) => [r.code, new Decimal(r.rate)]));
}

/**
 * Writes a movement: its entries (what the API shows) and their balanced postings, then applies the
 * postings to the stored figures (ledger.write.ts), all in the caller's transaction.
 */
export async function writeEntries(em: EntityManager, loan: LoanAccounts, entries: Entry[], move?: LossMove): Promise<void> {
  if (!entries.length && !move) return;
  if (entries.length) {
    await em.query(
      `INSERT INTO ledger_entry (loan_id, kind, party, party_id, amount, rule_version, rule_id)
       SELECT $1, e.kind, e.party, e.party_id, e.amount, e.rule_version, e.rule_id
         FROM jsonb_to_recordset($2::jsonb) AS e(kind text, party text, party_id uuid, amount numeric, rule_version text, rule_id uuid)`,
      [loan.id, JSON.stringify(entries.map((e) => ({ kind: e.kind, party: e.party, party_id: e.partyId, amount: e.amount.toFixed(2), rule_version: e.ruleVersion, rule_id: e.ruleId })))],
    );
  }
  await post(em, loan.id, postingsOf(loan, entries, move));
}

/**
 * After a pool's figures moved: when it has less left than the largest reserve a proposed match holds on
 * it (or had, before the move), those matches' reserves may change, so their needs are refreshed.
 */
async function refreshIfPoolNearEnd(ctx: RequestContext, em: EntityManager, poolId: string, availableBefore: Decimal): Promise<void> {
  const [row]: { available: string; largest: string | null }[] = await em.query(
    `SELECT (p.capacity - p.paid - p.reserved)::text AS available,
            (SELECT max(m.reserve)::text FROM match m WHERE m.pool_id = p.id AND m.eligible AND m.status = 'PROPOSED') AS largest
       FROM risk_compensation_pool p WHERE p.id = $1`, [poolId]);
  if (row.largest === null) return;
  const largest = new Decimal(row.largest);
  if (new Decimal(row.available).lt(largest) || availableBefore.lte(largest)) await ctx.refresh.enqueue(em, { kind: 'pool', id: poolId });
}

async function disburse(ctx: RequestContext, em: EntityManager, { need, match }: Locked, input: OutcomeInput): Promise<Result<LoanEntity>> {
  if (need.kind !== 'LOAN' || need.termMonths === null) return refused(failure('outcome', 'NOT_A_LOAN'));
  const annualRate = input.annualRate ?? match.indicativeRate;
  if (!annualRate) return refused(failure('annualRate', 'REQUIRED'));
  const termMonths = input.termMonths ?? need.termMonths;
  // A guarantee routed to a guarantor needs its acceptance first (issue 17 §1).
  const blocked = await guaranteeBlock(em, match);
  if (blocked) return refused(blocked);
  const principal = money(input.principal!);
  const [{ disbursed }] = await em.query(`SELECT coalesce(sum(principal), 0)::text AS disbursed FROM loan WHERE need_id = $1`, [need.id]);
  const left = need.amount.minus(disbursed);
  if (principal.gt(left)) return refused(failure('principal', 'AMOUNT_EXCEEDS_NEED', { left: left.toFixed(2) }));

  // The database's day (src/database/clock.ts): the loan and its guarantee start on it (DOMAIN E9's years).
  const today = await requestToday(ctx);
  const year = Number(today.slice(0, 4));
  const [{ size_class: sizeClass, product_kind: productKind }] = await em.query(
    `SELECT e.size_class, p.kind AS product_kind FROM enterprise e, product p WHERE e.id = $1 AND p.id = $2`, [need.enterpriseId, match.productId]);
  let guarantor: Awaited<ReturnType<typeof lockGuarantor>> | null = null;
  let sharingRuleId: string | null = null;
  if (match.guarantorId) {
    guarantor = await lockGuarantor(em, match.guarantorId, need.enterpriseId, year);
    const [agreement] = await em.query(`SELECT risk_sharing_rule_id FROM cooperation_agreement WHERE bank_id = $1 AND guarantor_id = $2`, [match.institutionId, match.guarantorId]);
    sharingRuleId = agreement?.risk_sharing_rule_id ?? null;
  }
  const rules = await rulesById(em, match.ruleIds);
  const pools = await lockPools(em, [...new Set(rules.flatMap((r) => (r.poolId ? [r.poolId] : [])))]);
  const rates = await benchmarks(em, today);

  const plan = planDisbursement({
    principal, annualRate, termMonths, bankId: match.institutionId, enterpriseId: need.enterpriseId, productKind,
    guarantee: guarantor && match.guarantorId ? {
      guarantorId: match.guarantorId, coverageRatio: match.coverageRatio!, feeRate: match.guaranteeFeeRate!, figures: guarantor.figures,
      borrowerSizeClass: sizeClass, borrowerBalanceBefore: guarantor.borrowerBalance,
    } : null,
    rules,
    startsOn: today,
    context: {
      benchmarkRate: (code) => rates.get(code) ?? null,
      feeSubsidyBookedThisYear: (guarantorId) => (guarantor && guarantorId === match.guarantorId ? guarantor.feeSubsidiesIn(year) : new Decimal(0)),
      feeSubsidyBookedIn: (guarantorId, y) => (guarantor && guarantorId === match.guarantorId ? guarantor.feeSubsidiesIn(y) : new Decimal(0)),
      poolAvailable: (poolId) => pools.get(poolId) ?? new Decimal(0),
    },
  });
  if (!plan.admitted) {
    return refused(failure('principal', 'CAPACITY_EXCEEDED', {
      weighted: plan.weighted.toFixed(2), room: plan.room.toFixed(2), limit: plan.singleBorrowerLimit.toFixed(2),
    }, plan.limit));
  }

  // The rules the loan used, by id, with their `CODE@vN` kept for display in the same order.
  const used = new Map([...(plan.reserve ? [plan.reserve.rule] : []), ...plan.subsidies.map((s) => s.rule)].map((r) => [ruleVersion(r), r.id]));
  const versions = [...used.keys()].sort();
  // The schedule (issue 17 §2) from the database's day: its last instalment is the maturity.
  const repayment = input.repayment ?? 'BULLET';
  const instalments = buildSchedule({ principal, annualRate, termMonths, startsOn: today, repayment });
  // Outstanding, reserve held and the guarantee's outstanding start at 0: the disbursement's postings give them.
  // LOAN_DISBURSED (issue 15 §1) is raised in the statement that writes the loan.
  const [{ id: loanId }] = await em.query(
    `WITH l AS (
       INSERT INTO loan (match_id, need_id, enterprise_id, institution_id, product_id, principal, outstanding, annual_rate, term_months,
                         guarantor_id, coverage_ratio, guarantee_fee_rate, guaranteed_amount, risk_sharing_rule_id, pool_id, pool_rule_id, reserve, reserve_held,
                         rule_versions, rule_ids, recorded_by, reserve_due, repayment, starts_on, maturity)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, $17, $18, $19, $20, $21, $22, $23) RETURNING *
     ), raised AS (
       ${EVENT_INSERT}
       SELECT 'LOAN_DISBURSED', l.institution_id, l.guarantor_id, l.enterprise_id, l.need_id, l.match_id,
              jsonb_build_object('loanId', l.id, 'productId', l.product_id, 'principal', l.principal::text, 'annualRate', trim_scale(l.annual_rate)::text, 'termMonths', l.term_months)
         FROM l
     )
     SELECT id FROM l`,
    [match.id, need.id, need.enterpriseId, match.institutionId, match.productId, principal.toFixed(2), annualRate.toFixed(), termMonths,
      plan.guarantee?.guarantorId ?? null, plan.guarantee?.coverageRatio.toFixed() ?? null, plan.guarantee?.feeRate.toFixed() ?? null,
      plan.guarantee?.guaranteedAmount.toFixed(2) ?? null, plan.guarantee ? sharingRuleId : null,
      plan.reserve?.poolId ?? null, plan.reserve?.rule.id ?? null, (plan.reserve?.amount ?? new Decimal(0)).toFixed(2), versions, versions.map((v) => used.get(v)), ctx.viewer!.sub,
      plan.reserveDue.toFixed(2), repayment, today, instalments[instalments.length - 1].dueOn],
  );
  await writeInstalments(em, loanId, instalments);
  if (plan.guarantee) {
    await em.query(`INSERT INTO guarantee (guarantor_id, enterprise_id, guaranteed_amount, outstanding, loan_id) VALUES ($1, $2, $3, 0, $4)`,
      [plan.guarantee.guarantorId, need.enterpriseId, plan.guarantee.guaranteedAmount.toFixed(2), loanId]);
  }
  // The subsidies are entitlements until an authority pays their claims (issue 17 §3, reviews/): one per
  // calendar year a subsidy is allocated to (DOMAIN E9), else one in the loan's first year. The booking,
  // the running total and the SUBSIDY entry come with the payment.
  if (plan.subsidies.length) await recordEntitlements(em, loanId, need.enterpriseId, year, plan.subsidies);
  await writeEntries(em, { id: loanId, bankId: match.institutionId }, plan.entries);
  if (plan.guarantee) await storeLiability(em, plan.guarantee.guarantorId, need.enterpriseId);
  // R11: FUNDED once disbursements reach the amount.
  if (principal.eq(left)) {
    const moves = await moveNeeds(em, [need.id], 'FUND');
    if (moves.refused.length) return refused(moveFailure('matchId', 'FUND', moves.refused[0]));
  }

  if (plan.guarantee) await ctx.refresh.enqueue(em, { kind: 'guarantor', id: plan.guarantee.guarantorId });
  if (plan.reserve) await refreshIfPoolNearEnd(ctx, em, plan.reserve.poolId, pools.get(plan.reserve.poolId)!);
  return ok(await em.getRepository(LoanEntity).findOneByOrFail({ id: loanId }));
}

/** Locks a loan of the viewer's institution; anything else reads as missing. */
async function lockLoan(ctx: RequestContext, em: EntityManager, loanRef: string): Promise<Result<LoanEntity>> {
  const loanId = uuidOf(loanRef, 'Loan');
  if (!loanId) return refused(failure('loanId', 'INVALID_ID'));
  const loan = await em.getRepository(LoanEntity).createQueryBuilder('l').setLock('pessimistic_write').where('l.id = :id', { id: loanId }).getOne();
  if (!loan || loan.institutionId !== ctx.viewer!.institutionId) return refused(failure('loanId', 'NOT_FOUND'));
  if (loan.status !== 'ACTIVE') return refused(failure('loanId', 'LOAN_NOT_ACTIVE', { status: loan.status }));
  return ok(loan);
}

const accountsOf = (loan: LoanEntity): LoanAccounts => ({ id: loan.id, bankId: loan.institutionId });

const stateOf = (loan: LoanEntity): LoanState => ({
  bankId: loan.institutionId, enterpriseId: loan.enterpriseId, outstanding: loan.outstanding, guarantorId: loan.guarantorId,
  coverageRatio: loan.coverageRatio, poolId: loan.poolId, reserveHeld: loan.reserveHeld,
});

/** recordRepayment: principal repaid lowers the loan and its guarantee; in full, the pool's reserve is released (R8). */
export async function recordRepayment(ctx: RequestContext, input: { loanId: string; principalRepaid: Decimal; idempotencyKey?: string | null }): Promise<Result<LoanEntity>> {
  return inTransaction(ctx, async (em) => {
    const claim = input.idempotencyKey ? await claimKey(em, ctx.viewer!.sub, input.idempotencyKey, 'recordRepayment', input) : null;
    if (claim?.kind === 'refused') return refused(claim.failure);
    if (claim?.kind === 'replay') return ok(await em.getRepository(LoanEntity).findOneByOrFail({ id: claim.resultId }));
    const locked = await lockLoan(ctx, em, input.loanId);
    if (!locked.ok) return locked;
    const loan = locked.value;
    const amount = money(input.principalRepaid);
    if (amount.gt(loan.outstanding)) return refused(failure('principalRepaid', 'REPAYMENT_EXCEEDS_OUTSTANDING', { outstanding: loan.outstanding.toFixed(2) }));
    if (loan.guarantorId) await lockGuarantorRow(em, loan.guarantorId);
    const pools = loan.poolId ? await lockPools(em, [loan.poolId]) : new Map<string, Decimal>();
    const plan = planRepayment(stateOf(loan), amount);
    // The money (outstanding, reserve held, the guarantee, the pool) moves by the postings; the statuses here.
    await writeEntries(em, accountsOf(loan), plan.entries);
    if (plan.repaid) await em.query(`UPDATE loan SET status = 'REPAID', closed_at = now(), updated_at = now() WHERE id = $1`, [loan.id]);
    if (loan.guarantorId) {
      if (plan.repaid) await em.query(`UPDATE guarantee SET status = 'RELEASED', updated_at = now() WHERE loan_id = $1`, [loan.id]);
      await storeLiability(em, loan.guarantorId, loan.enterpriseId);
      await ctx.refresh.enqueue(em, { kind: 'guarantor', id: loan.guarantorId });
    }
    if (plan.reserveReleased.gt(0)) await refreshIfPoolNearEnd(ctx, em, loan.poolId!, pools.get(loan.poolId!)!);
    if (claim?.kind === 'new') await claim.settle(loan.id);
    return ok(await em.getRepository(LoanEntity).findOneByOrFail({ id: loan.id }));
  });
}

/** The agreement's risk-sharing shares of a guaranteed loan (R7); null for a loan without one (the bank bears its loss). */
async function lossSharesOf(em: EntityManager, loan: LoanEntity): Promise<RiskShare[] | null> {
  if (!loan.riskSharingRuleId) return null;
  const [rule]: { shares: { party: RiskParty; share: string }[] }[] = await em.query(`SELECT shares FROM risk_sharing_rule WHERE id = $1`, [loan.riskSharingRuleId]);
  return rule.shares.map((s) => ({ party: s.party, share: new Decimal(s.share) }));
}

/** A loss split as `loan.loss_split` keeps it. */
const splitJson = (split: { party: string; amount: Decimal }[]) => JSON.stringify(split.map((p) => ({ party: p.party, amount: p.amount.toFixed(2) })));

/**
 * recordDefault: the loan is written off with its net principal loss after recovery and its guarantee
 * claimed. When the pool owes the bank on it (R8: min(loss × lossShare, the reserve held)), that much
 * stays reserved and the bank's claim is opened (`pool_claim`, OPEN): an authority reviews it and pays it
 * (reviews/pool-claim.service.ts), and the loss net of what it pays is split then (R7 after R8, DOMAIN
 * E10). Without one the rest of the reserve is released and the net loss split at once.
 */
export async function recordDefault(ctx: RequestContext, input: { loanId: string; netLoss: Decimal }): Promise<Result<LoanEntity>> {
  return inTransaction(ctx, async (em) => {
    const locked = await lockLoan(ctx, em, input.loanId);
    if (!locked.ok) return locked;
    const loan = locked.value;
    const netLoss = money(input.netLoss);
    if (netLoss.gt(loan.outstanding)) return refused(failure('netLoss', 'LOSS_EXCEEDS_OUTSTANDING', { outstanding: loan.outstanding.toFixed(2) }));
    if (loan.guarantorId) await lockGuarantorRow(em, loan.guarantorId);
    const pools = loan.poolId ? await lockPools(em, [loan.poolId]) : new Map<string, Decimal>();
    const [poolRule] = loan.poolRuleId ? await rulesById(em, [loan.poolRuleId]) : [];
    const lossShare = poolRule ? (poolRule.params.lossShare as Decimal) : null;
    const plan = planDefault(stateOf(loan), netLoss, lossShare, await lossSharesOf(em, loan), poolRule ? ruleVersion(poolRule) : null, poolRule?.id ?? null);
    // The write-off, the release and the guarantee move by the postings; the loss and statuses here.
    await writeEntries(em, accountsOf(loan), plan.entries, plan.move);
    await em.query(`UPDATE loan SET status = 'DEFAULTED', net_loss = $2, loss_split = $3::jsonb, closed_at = now(), updated_at = now() WHERE id = $1`,
      [loan.id, netLoss.toFixed(2), splitJson(plan.lossSplit)]);
    if (plan.claimable.gt(0)) {
      await em.query(
        `INSERT INTO pool_claim (loan_id, pool_id, policy_rule_id, rule_version, bank_id, region_code, net_loss, claimed)
         SELECT l.id, l.pool_id, l.pool_rule_id, $2, l.institution_id, e.region_code, $3, $4 FROM loan l JOIN enterprise e ON e.id = l.enterprise_id WHERE l.id = $1`,
        [loan.id, ruleVersion(poolRule), netLoss.toFixed(2), plan.claimable.toFixed(2)]);
    }
    if (loan.guarantorId) {
      await em.query(`UPDATE guarantee SET status = 'CLAIMED', updated_at = now() WHERE loan_id = $1`, [loan.id]);
      await storeLiability(em, loan.guarantorId, loan.enterpriseId);
      await ctx.refresh.enqueue(em, { kind: 'guarantor', id: loan.guarantorId });
    }
    if (loan.poolId) await refreshIfPoolNearEnd(ctx, em, loan.poolId, pools.get(loan.poolId)!);
    return ok(await em.getRepository(LoanEntity).findOneByOrFail({ id: loan.id }));
  });
}

/**
 * Settles a defaulted loan's claim on the pool once an authority decided it (issue 17 §3): `paid` is what
 * was approved and is paid now (0 for a rejection). The pool pays it from the reserve it kept and releases
 * the rest; the loss net of the payout is split by the agreement's rule (R7 after R8, DOMAIN E10) and stored
 * as the loan's loss split. The caller holds the claim's row (reviews/pool-claim.service.ts). Returns the
 * loan as read before the settlement: its parties and ids, which the settlement does not move.
 */
export async function settlePoolClaim(ctx: RequestContext, em: EntityManager, loanId: string, claim: { netLoss: Decimal; claimed: Decimal }, paid: Decimal): Promise<LoanEntity> {
  const loan = await em.getRepository(LoanEntity).findOneByOrFail({ id: loanId });
  const pools = await lockPools(em, [loan.poolId!]);
  const [poolRule] = await rulesById(em, [loan.poolRuleId!]);
  const plan = planClaimSettlement(stateOf(loan), claim.netLoss, claim.claimed, paid, await lossSharesOf(em, loan), ruleVersion(poolRule), poolRule.id);
  await writeEntries(em, accountsOf(loan), plan.entries, plan.move);
  await em.query(`UPDATE loan SET loss_split = $2::jsonb, updated_at = now() WHERE id = $1`, [loan.id, splitJson(plan.lossSplit)]);
  await refreshIfPoolNearEnd(ctx, em, loan.poolId!, pools.get(loan.poolId!)!);
  return loan;
}
