/**
 * Subsidy claims (issue 17 §3; docs/LEDGER.md "Claims: applied for, reviewed, paid"): the payee applies
 * for what a disbursement entitled it to, with the documents the rule asks for; an authority of the
 * borrower's region approves it (within the guarantor's yearly cap, R9, and the rule's budget for the
 * year) or rejects it with a reason; an authority pays an approved claim, and the payment books it: the
 * `subsidy_booking` row (the running total per guarantor and year moves by its trigger), the SUBSIDY
 * ledger entry and its posting.
 *
 * Lock order: the claim, then the guarantor's profile (a fee subsidy: what every writer of its fee
 * subsidies holds, docs/LEDGER.md), then the budget row. Two approvals against one budget or one cap run
 * one after the other, the second reading what the first committed; the budget's CHECK is the last fence.
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, coveredSql, covers, outsideRegion } from '../auth/authority-region';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { Decimal, money } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { Conditions } from '../database/conditions';
import { inTransaction } from '../database/transaction';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { moveEntitled } from '../loans/entitlements';
import { lockGuarantorRow, writeEntries } from '../loans/loan.service';
import { readParams } from '../policy/params';
import { calculatorFor } from '../policy/registry';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { commitBudget, payFromBudget } from './budget.service';
import { SubsidyClaimEntity, SubsidyEntitlementEntity } from './review.entity';
import { ClaimStatus, missingDocuments, ReviewDecision } from './review.rules';

export interface ApplyInput {
  entitlementId: string;
  documents: { kind: string; reference: string; description?: string | null }[];
}

export interface ReviewInput {
  claimId: string;
  decision: ReviewDecision;
  reason?: string | null;
}

export interface PayInput {
  claimId: string;
  paymentReference: string;
}

const FEE: PolicyRuleKind = 'GUARANTEE_FEE_SUBSIDY';

/** Whether the viewer is the entitlement's payee: its guarantor's staff, or the firm's own user. */
async function isPayee(ctx: RequestContext, e: SubsidyEntitlementEntity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (e.payeeKind === 'GUARANTOR') return viewer.role === 'GUARANTOR' && viewer.institutionId === e.payeeId;
  return viewer.role === 'ENTERPRISE' && (await viewerEnterpriseId(ctx)) === e.payeeId;
}

/** Who may see a claim or an entitlement: its payee, an authority of its region (any, for a national one), an admin. */
export async function canSeeEntitlement(ctx: RequestContext, e: SubsidyEntitlementEntity): Promise<boolean> {
  const role = ctx.viewer?.role;
  if (role === 'ADMIN') return true;
  if (role === 'AUTHORITY') return covers(authorityRegion(ctx.viewer), e.regionCode);
  return isPayee(ctx, e);
}

export const entitlementById = defineLoader((ctx) => byKey(ctx, SubsidyEntitlementEntity, 'id'));
export const claimById = defineLoader((ctx) => byKey(ctx, SubsidyClaimEntity, 'id'));

/** A loan's entitlements, by rule and year. */
export const entitlementsByLoan = defineLoader((ctx) =>
  groupedBy<SubsidyEntitlementEntity>((e) => e.loanId, (ids) => ctx.db.getRepository(SubsidyEntitlementEntity).createQueryBuilder('e')
    .where('e.loan_id = ANY(:ids::uuid[])', { ids }).orderBy('e.kind').addOrderBy('e.rule_version').addOrderBy('e.year').getMany()),
);

/** Each entitlement's claims, newest first (a rejected claim may be followed by another). */
export const claimsByEntitlement = defineLoader((ctx) =>
  groupedBy<SubsidyClaimEntity>((c) => c.entitlementId, (ids) => ctx.db.getRepository(SubsidyClaimEntity).createQueryBuilder('c')
    .where('c.entitlement_id = ANY(:ids::uuid[])', { ids }).orderBy('c.submitted_at', 'DESC').addOrderBy('c.id', 'DESC').getMany()),
);

/** applyForSubsidy: the payee claims an entitlement, naming the documents its rule asks for. */
export async function applyForSubsidy(ctx: RequestContext, input: ApplyInput): Promise<Result<SubsidyClaimEntity>> {
  const id = uuidOf(input.entitlementId, 'SubsidyEntitlement');
  if (!id) return refused(failure('entitlementId', 'INVALID_ID'));
  return inTransaction(ctx, async (em) => {
    const e = await em.getRepository(SubsidyEntitlementEntity).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
    if (!e || !(await isPayee(ctx, e))) return refused(failure('entitlementId', 'NOT_FOUND'));
    if (!e.amount.gt(0)) return refused(failure('entitlementId', 'NOTHING_TO_CLAIM'));
    const earlier: { status: ClaimStatus }[] = await em.query(`SELECT status FROM subsidy_claim WHERE entitlement_id = $1`, [id]);
    const live = earlier.find((c) => c.status !== 'REJECTED');
    if (live) return refused(failure('entitlementId', 'CLAIM_EXISTS', { status: live.status }));
    const [{ required_documents: required }]: { required_documents: string[] }[] = await em.query(`SELECT required_documents FROM policy_rule WHERE id = $1`, [e.policyRuleId]);
    const missing = missingDocuments(required, input.documents);
    if (missing.length) return refused(failure('documents', 'DOCUMENTS_MISSING', { missing: missing.join(', ') }));
    // A rejection released the entitlement's room under the guarantor's cap; applying again holds it again.
    if (e.kind === FEE && earlier.length) {
      await lockGuarantorRow(em, e.payeeId);
      await moveCounted(ctx, em, e, e.amount);
    }
    const documents = input.documents.map((d) => ({ kind: d.kind, reference: d.reference.trim(), description: d.description?.trim() || null }));
    const [{ id: claimId }] = await em.query(
      `INSERT INTO subsidy_claim (entitlement_id, status, claimed, documents, submitted_by) VALUES ($1, 'SUBMITTED', $2, $3::jsonb, $4) RETURNING id`,
      [id, e.amount.toFixed(2), JSON.stringify(documents), ctx.viewer!.sub]);
    return ok(await em.getRepository(SubsidyClaimEntity).findOneByOrFail({ id: claimId }));
  });
}

/**
 * Moves the guarantor's fee subsidies entitled for the entitlement's year by `delta` (moveEntitled; the
 * caller holds the guarantor's lock) and refreshes the matches quoting the guarantor: their quotes count
 * that figure against the yearly cap (feeSubsidiesCountedSql).
 */
async function moveCounted(ctx: RequestContext, em: EntityManager, e: SubsidyEntitlementEntity, delta: Decimal): Promise<void> {
  await moveEntitled(em, e.payeeId, e.year, delta.toFixed(2));
  await ctx.refresh.enqueue(em, { kind: 'guarantor', id: e.payeeId });
}

interface LockedClaim {
  claim: SubsidyClaimEntity;
  entitlement: SubsidyEntitlementEntity;
}

/** Locks a claim an authority of its region acts on; OUTSIDE_AUTHORITY_REGION (nothing written) for one outside it. */
async function lockClaim(ctx: RequestContext, em: EntityManager, ref: string): Promise<Result<LockedClaim>> {
  const id = uuidOf(ref, 'SubsidyClaim');
  if (!id) return refused(failure('claimId', 'INVALID_ID'));
  const claim = await em.getRepository(SubsidyClaimEntity).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
  if (!claim) return refused(failure('claimId', 'NOT_FOUND'));
  const entitlement = await em.getRepository(SubsidyEntitlementEntity).findOneByOrFail({ id: claim.entitlementId });
  const outside = outsideRegion(ctx.viewer, 'claimId', entitlement.regionCode);
  return outside ? refused(outside) : ok({ claim, entitlement });
}

/**
 * What the guarantor's yearly cap (R9) leaves this claim, under the guarantor's lock: the cap less what
 * was paid (booked) that year and what approvals of other claims for that year committed and is not yet
 * paid. The cap is reserved here, at approval: two approvals cannot pass it. (A disbursement already sized
 * the entitlement within the cap, counting the open entitlements; the room can have shrunk since by
 * bookings made outside the claims — a correction, a carried-in figure.) Null without a cap.
 */
async function capRoom(em: EntityManager, e: SubsidyEntitlementEntity): Promise<{ cap: Decimal; room: Decimal } | null> {
  const [row]: { params: Record<string, string>; paid: string; committed: string }[] = await em.query(
    `SELECT r.params,
            coalesce((SELECT total FROM guarantor_fee_subsidy_total WHERE guarantor_id = $2 AND year = $3), 0)::text AS paid,
            coalesce((SELECT sum(c.approved) FROM subsidy_claim c JOIN subsidy_entitlement x ON x.id = c.entitlement_id
                       WHERE c.status = 'APPROVED' AND x.payee_id = $2 AND x.year = $3 AND x.kind = '${FEE}'), 0)::text AS committed
       FROM policy_rule r WHERE r.id = $1`, [e.policyRuleId, e.payeeId, e.year]);
  const cap = readParams(calculatorFor(FEE).params, row.params).annualCapPerGuarantor as Decimal | null;
  if (!cap) return null;
  return { cap, room: Decimal.max(0, cap.minus(row.paid).minus(row.committed)) };
}

/**
 * reviewSubsidyClaim: APPROVE commits the claim against the guarantor's cap (a fee subsidy: the part the
 * cap leaves, SUBSIDY_CAP_REACHED when nothing) and the rule's budget for the entitlement's year
 * (BUDGET_NOT_SET, BUDGET_EXCEEDED); REJECT needs a reason and frees the entitlement's room under the cap.
 * Room freed (a rejection, what the cap cut off) refreshes the matches quoting the guarantor.
 */
export async function reviewSubsidyClaim(ctx: RequestContext, input: ReviewInput): Promise<Result<SubsidyClaimEntity>> {
  const reason = input.reason?.trim() || null;
  if (input.decision === 'REJECT' && !reason) return refused(failure('reason', 'REQUIRED'));
  return inTransaction(ctx, async (em) => {
    const locked = await lockClaim(ctx, em, input.claimId);
    if (!locked.ok) return locked;
    const { claim, entitlement: e } = locked.value;
    if (claim.status !== 'SUBMITTED') return refused(failure('claimId', 'CLAIM_NOT_SUBMITTED', { status: claim.status }));
    const fee = e.kind === FEE;
    if (fee) await lockGuarantorRow(em, e.payeeId);
    let approved: Decimal | null = null;
    if (input.decision === 'REJECT') {
      if (fee) await moveCounted(ctx, em, e, claim.claimed.negated());
    } else {
      approved = claim.claimed;
      const room = fee ? await capRoom(em, e) : null;
      if (room) {
        if (!room.room.gt(0)) return refused(failure('claimId', 'SUBSIDY_CAP_REACHED', { year: e.year, cap: room.cap.toFixed(2) }));
        approved = money(Decimal.min(claim.claimed, room.room));
        // What the cap cut off is no longer held for this guarantor and year.
        if (approved.lt(claim.claimed)) await moveCounted(ctx, em, e, approved.minus(claim.claimed));
      }
      const overBudget = await commitBudget(em, e.ruleCode, e.year, approved);
      if (overBudget) return refused(overBudget);
    }
    await em.query(
      `UPDATE subsidy_claim SET status = $2, approved = $3, reason = $4, decided_by = $5, decided_at = now() WHERE id = $1`,
      [claim.id, input.decision === 'APPROVE' ? 'APPROVED' : 'REJECTED', approved?.toFixed(2) ?? null, reason, ctx.viewer!.sub]);
    return ok(await em.getRepository(SubsidyClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

/**
 * paySubsidyClaim: the approved amount is paid and booked — the subsidy_booking row for the entitlement's
 * year (the running total moves with it), the SUBSIDY ledger entry with its posting from the rule's
 * account to the payee's, the budget's commitment turned into payment. A fee subsidy moves from the
 * guarantor's entitled figure to its booked one, whose sum the matcher counts: its quotes do not change.
 */
export async function paySubsidyClaim(ctx: RequestContext, input: PayInput): Promise<Result<SubsidyClaimEntity>> {
  const reference = input.paymentReference?.trim();
  if (!reference) return refused(failure('paymentReference', 'REQUIRED'));
  return inTransaction(ctx, async (em) => {
    const locked = await lockClaim(ctx, em, input.claimId);
    if (!locked.ok) return locked;
    const { claim, entitlement: e } = locked.value;
    if (claim.status !== 'APPROVED') return refused(failure('claimId', 'CLAIM_NOT_APPROVED', { status: claim.status }));
    const amount = claim.approved!;
    const fee = e.kind === FEE;
    if (fee) await lockGuarantorRow(em, e.payeeId);
    await payFromBudget(em, e.ruleCode, e.year, amount);
    const [{ id: bookingId }] = await em.query(
      `INSERT INTO subsidy_booking (kind, policy_rule_id, payee_kind, payee_id, amount, year, loan_id, rule_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [e.kind, e.policyRuleId, e.payeeKind, e.payeeId, amount.toFixed(2), e.year, e.loanId, e.ruleVersion]);
    // Paid leaves the entitled figure for the booked one: what a quote counts against the cap stays, so no refresh.
    if (fee) await moveEntitled(em, e.payeeId, e.year, amount.negated().toFixed(2));
    const [{ bank_id: bankId }] = await em.query(`SELECT institution_id AS bank_id FROM loan WHERE id = $1`, [e.loanId]);
    if (amount.gt(0)) {
      await writeEntries(em, { id: e.loanId, bankId }, [{ kind: 'SUBSIDY', party: e.payeeKind, partyId: e.payeeId, amount, ruleVersion: e.ruleVersion, ruleId: e.policyRuleId }]);
    }
    await em.query(`UPDATE subsidy_claim SET status = 'PAID', paid_by = $2, paid_at = now(), payment_reference = $3, booking_id = $4 WHERE id = $1`,
      [claim.id, ctx.viewer!.sub, reference, bookingId]);
    return ok(await em.getRepository(SubsidyClaimEntity).findOneByOrFail({ id: claim.id }));
  });
}

export interface ClaimFilter {
  status?: ClaimStatus | null;
  ruleCode?: string | null;
  year?: number | null;
  first: number;
}

/**
 * subsidyClaims: newest first. An authority sees its region's (a national one every claim), an admin
 * every claim, a guarantor or a firm its own.
 */
export async function listClaims(ctx: RequestContext, filter: ClaimFilter): Promise<SubsidyClaimEntity[]> {
  const viewer = ctx.viewer!;
  const c = new Conditions();
  if (viewer.role === 'AUTHORITY') c.add(coveredSql('e.region_code', '?'), authorityRegion(viewer));
  if (viewer.role === 'GUARANTOR') c.add(`e.payee_kind = 'GUARANTOR' AND e.payee_id = ?`, viewer.institutionId);
  if (viewer.role === 'ENTERPRISE') c.add(`e.payee_kind = 'ENTERPRISE' AND e.payee_id = ?`, await viewerEnterpriseId(ctx));
  if (filter.status) c.add(`c.status = ?`, filter.status);
  if (filter.ruleCode) c.add(`e.rule_code = ?`, filter.ruleCode);
  if (filter.year != null) c.add(`e.year = ?`, filter.year);
  const ids: { id: string }[] = await ctx.db.query(
    `SELECT c.id FROM subsidy_claim c JOIN subsidy_entitlement e ON e.id = c.entitlement_id
      ${c.where} ORDER BY c.submitted_at DESC, c.id DESC LIMIT ${c.param(filter.first)}`, c.params);
  const rows = await claimById(ctx).loadMany(ids.map((r) => r.id));
  return rows.filter((r): r is SubsidyClaimEntity => !!r && !(r instanceof Error));
}
