/**
 * Pool claims (issue 17 §3; docs/LEDGER.md "Pool claims: applied for, reviewed, paid"): a default opens the
 * lending bank's claim on the risk-compensation pool (R8, loans/loan.service.ts `recordDefault`) and the pool
 * keeps what it owes reserved; the bank applies with the documents the pool rule asks for; an authority of
 * the borrower's region approves it (all or part) or rejects it with a reason; an authority records the
 * pool's payment of an approved claim. The payment — or the rejection, which is final — settles the default
 * (`settlePoolClaim`): the pool pays what was approved and releases the rest, and the loss net of the payout
 * is split by the agreement's rule (R7 after R8, DOMAIN E10).
 *
 * Lock order: the claim, then (settling) the pools and the loan's row. A default creates its claim under
 * the loan's and the pools' locks, before anyone can see it.
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, coveredSql, outsideRegion } from '../auth/authority-region';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { Decimal, money } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { Conditions } from '../database/conditions';
import { inTransaction } from '../database/transaction';
import type { EventType } from '../events/event-types';
import { raiseEvent } from '../events/outbox';
import { LoanEntity } from '../loans/loan.entity';
import { settlePoolClaim } from '../loans/loan.service';
import { PoolClaimEntity } from './review.entity';
import { missingDocuments, PoolClaimStatus, ReviewDecision } from './review.rules';

export interface ApplyPoolClaimInput {
  loanId: string;
  documents: { kind: string; reference: string; description?: string | null }[];
}

export interface ReviewPoolClaimInput {
  claimId: string;
  decision: ReviewDecision;
  approved?: Decimal | null;
  reason?: string | null;
}

export interface PayPoolClaimInput {
  claimId: string;
  paymentReference: string;
}

export const poolClaimById = defineLoader((ctx) => byKey(ctx, PoolClaimEntity, 'id'));
export const poolClaimByLoan = defineLoader((ctx) => byKey(ctx, PoolClaimEntity, 'loanId'));

const lockClaimRow = (em: EntityManager, where: string, value: string) =>
  em.getRepository(PoolClaimEntity).createQueryBuilder('c').setLock('pessimistic_write').where(where, { value }).getOne();

/** The bank, and the loan's guarantor, hear what became of the claim. */
async function raiseClaimEvent(
  em: EntityManager, type: EventType, claim: PoolClaimEntity, loan: Pick<LoanEntity, 'guarantorId' | 'needId' | 'matchId'>, payload: Record<string, unknown>,
): Promise<void> {
  await raiseEvent(em, {
    type, institutionId: claim.bankId, guarantorId: loan.guarantorId, needId: loan.needId, matchId: loan.matchId,
    payload: { claimId: claim.id, loanId: claim.loanId, claimed: claim.claimed.toFixed(2), ...payload },
  });
}

/** applyForPoolClaim: the lending bank applies for the OPEN claim of its defaulted loan, naming the documents the pool rule asks for. */
export async function applyForPoolClaim(ctx: RequestContext, input: ApplyPoolClaimInput): Promise<Result<PoolClaimEntity>> {
  const loanId = uuidOf(input.loanId, 'Loan');
  if (!loanId) return refused(failure('loanId', 'INVALID_ID'));
  return inTransaction(ctx, async (em) => {
    const claim = await lockClaimRow(em, 'c.loan_id = :value', loanId);
    if (!claim) {
      const [loan]: { institution_id: string }[] = await em.query(`SELECT institution_id FROM loan WHERE id = $1`, [loanId]);
      return refused(failure('loanId', loan?.institution_id === ctx.viewer!.institutionId ? 'NO_POOL_CLAIM' : 'NOT_FOUND'));
    }
    if (claim.bankId !== ctx.viewer!.institutionId) return refused(failure('loanId', 'NOT_FOUND'));
    if (claim.status !== 'OPEN') return refused(failure('loanId', 'POOL_CLAIM_NOT_OPEN', { status: claim.status }));
    const [{ required_documents: required }]: { required_documents: string[] }[] = await em.query(`SELECT required_documents FROM policy_rule WHERE id = $1`, [claim.policyRuleId]);
    const missing = missingDocuments(required, input.documents);
    if (missing.length) return refused(failure('documents', 'DOCUMENTS_MISSING', { missing: missing.join(', ') }));
    const documents = input.documents.map((d) => ({ kind: d.kind, reference: d.reference.trim(), description: d.description?.trim() || null }));
    await em.query(`UPDATE pool_claim SET status = 'SUBMITTED', documents = $2::jsonb, submitted_by = $3, submitted_at = now() WHERE id = $1`,
      [claim.id, JSON.stringify(documents), ctx.viewer!.sub]);
    return ok(await em.getRepository(PoolClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

/** Locks a claim an authority of its region acts on; OUTSIDE_AUTHORITY_REGION (nothing written) for one outside it. */
async function lockClaim(ctx: RequestContext, em: EntityManager, ref: string, expected: PoolClaimStatus, code: string): Promise<Result<PoolClaimEntity>> {
  const id = uuidOf(ref, 'PoolClaim');
  if (!id) return refused(failure('claimId', 'INVALID_ID'));
  const claim = await lockClaimRow(em, 'c.id = :value', id);
  if (!claim) return refused(failure('claimId', 'NOT_FOUND'));
  const outside = outsideRegion(ctx.viewer, 'claimId', claim.regionCode);
  if (outside) return refused(outside);
  return claim.status === expected ? ok(claim) : refused(failure('claimId', code, { status: claim.status }));
}

/**
 * reviewPoolClaim: APPROVE takes all of the claim, or `approved` of it (more than 0, at most the claim;
 * less needs a reason); nothing moves until the payment. REJECT (with a reason) is final: it settles the
 * default without a payout — the reserve goes back to the pool and the whole net loss is split.
 */
export async function reviewPoolClaim(ctx: RequestContext, input: ReviewPoolClaimInput): Promise<Result<PoolClaimEntity>> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'REJECT' && input.approved != null) return refused(failure('approved', 'NOT_APPLICABLE', { action: input.decision }, 'action'));
  return inTransaction(ctx, async (em) => {
    const locked = await lockClaim(ctx, em, input.claimId, 'SUBMITTED', 'CLAIM_NOT_SUBMITTED');
    if (!locked.ok) return locked;
    const claim = locked.value;
    if (input.decision === 'REJECT') {
      if (!reason) return refused(failure('reason', 'REQUIRED'));
      await em.query(`UPDATE pool_claim SET status = 'REJECTED', reason = $2, decided_by = $3, decided_at = now() WHERE id = $1`, [claim.id, reason, ctx.viewer!.sub]);
      const loan = await settlePoolClaim(ctx, em, claim.loanId, claim, new Decimal(0));
      await raiseClaimEvent(em, 'POOL_CLAIM_REJECTED', claim, loan, { reason });
    } else {
      const approved = input.approved == null ? claim.claimed : money(input.approved);
      if (!approved.gt(0) || approved.gt(claim.claimed)) return refused(failure('approved', 'APPROVED_OUTSIDE_CLAIM', { claimed: claim.claimed.toFixed(2) }));
      if (approved.lt(claim.claimed) && !reason) return refused(failure('reason', 'REQUIRED'));
      await em.query(`UPDATE pool_claim SET status = 'APPROVED', approved = $2, reason = $3, decided_by = $4, decided_at = now() WHERE id = $1`,
        [claim.id, approved.toFixed(2), reason, ctx.viewer!.sub]);
      const loan = await em.getRepository(LoanEntity).findOneByOrFail({ id: claim.loanId });
      await raiseClaimEvent(em, 'POOL_CLAIM_APPROVED', claim, loan, { approved: approved.toFixed(2), reason });
    }
    return ok(await em.getRepository(PoolClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

/** payPoolClaim: the pool pays an approved claim; the default is settled (E10). */
export async function payPoolClaim(ctx: RequestContext, input: PayPoolClaimInput): Promise<Result<PoolClaimEntity>> {
  const reference = input.paymentReference?.trim();
  if (!reference) return refused(failure('paymentReference', 'REQUIRED'));
  return inTransaction(ctx, async (em) => {
    const locked = await lockClaim(ctx, em, input.claimId, 'APPROVED', 'CLAIM_NOT_APPROVED');
    if (!locked.ok) return locked;
    const claim = locked.value;
    await em.query(`UPDATE pool_claim SET status = 'PAID', paid_by = $2, paid_at = now(), payment_reference = $3 WHERE id = $1`, [claim.id, ctx.viewer!.sub, reference]);
    const loan = await settlePoolClaim(ctx, em, claim.loanId, claim, claim.approved!);
    await raiseClaimEvent(em, 'POOL_CLAIM_PAID', claim, loan, { paid: claim.approved!.toFixed(2), paymentReference: reference });
    return ok(await em.getRepository(PoolClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

export interface PoolClaimFilter {
  status?: PoolClaimStatus | null;
  first: number;
}

/**
 * poolClaims: newest first. An authority sees its region's (a national one every claim), an admin every
 * claim, a bank its own, a guarantor those on the loans it guarantees.
 */
export async function listPoolClaims(ctx: RequestContext, filter: PoolClaimFilter): Promise<PoolClaimEntity[]> {
  const viewer = ctx.viewer!;
  const c = new Conditions();
  if (viewer.role === 'AUTHORITY') c.add(coveredSql('c.region_code', '?'), authorityRegion(viewer));
  if (viewer.role === 'BANK') c.add(`c.bank_id = ?`, viewer.institutionId);
  if (viewer.role === 'GUARANTOR') c.add(`c.loan_id IN (SELECT id FROM loan WHERE guarantor_id = ?)`, viewer.institutionId);
  if (filter.status) c.add(`c.status = ?`, filter.status);
  const ids: { id: string }[] = await ctx.db.query(`SELECT c.id FROM pool_claim c ${c.where} ORDER BY c.opened_at DESC, c.id DESC LIMIT ${c.param(filter.first)}`, c.params);
  const rows = await poolClaimById(ctx).loadMany(ids.map((r) => r.id));
  return rows.filter((r): r is PoolClaimEntity => !!r && !(r instanceof Error));
}
