/**
 * Pool claims through the authorities' review (issue 17 §3): the bank applies for its claim on the pool
 * after a default, an authority of the borrower's region approves or rejects it and records the payment
 * (pool-claim.service.ts; docs/LEDGER.md "Pool claims").
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { authorityRegion, covers } from '../auth/authority-region';
import { AuthedContext, RequestContext } from '../common/context';
import { badArgument } from '../common/errors';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { LoanEntity } from '../loans/loan.entity';
import { loanById } from '../loans/loan.resolver';
import { Loan } from '../loans/loan.type';
import { RiskCompensationPoolEntity } from '../policy/policy.entity';
import { RiskCompensationPool } from '../policy/policy.resolver';
import { poolById } from '../policy/policy.service';
import { applyForPoolClaim, listPoolClaims, payPoolClaim, poolClaimById, poolClaimByLoan, reviewPoolClaim } from './pool-claim.service';
import { PoolClaimEntity } from './review.entity';
import { PoolClaimStatusEnum } from './review.enums';
import { ApplyForPoolClaimInput, PayPoolClaimInput, ReviewPoolClaimInput } from './review.inputs';
import type { PoolClaimStatus } from './review.rules';
import { ClaimDocumentView, PoolClaim } from './review.type';

export const PoolClaimPayload = payloadType('PoolClaimPayload', 'claim', () => PoolClaim, 'Result of applying for, reviewing or paying a pool claim.');

const POOL_CLAIM_READERS = ['AUTHORITY', 'ADMIN', 'BANK', 'GUARANTOR'];

/**
 * Who may see a pool claim: an admin, an authority of its region (any, for a national one), the lending
 * bank, the loan's guarantor (it shares what the pool does not pay; its loan through the batched loader).
 */
async function canSeePoolClaim(ctx: RequestContext, c: PoolClaimEntity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role === 'ADMIN') return true;
  if (viewer.role === 'AUTHORITY') return covers(authorityRegion(viewer), c.regionCode);
  if (!viewer.institutionId) return false;
  return viewer.institutionId === c.bankId || (await loanById(ctx).load(c.loanId))?.guarantorId === viewer.institutionId;
}

registerNode<PoolClaimEntity>({ typename: 'PoolClaim', load: (ctx, id) => poolClaimById(ctx).load(id), visible: canSeePoolClaim });

@Resolver(() => PoolClaim)
export class PoolClaimResolver {
  @Authorized(['BANK'])
  @PayloadMutation(() => PoolClaimPayload, {
    description: 'The lending bank applies for its claim on the risk-compensation pool after a default (R8; issue 17 §3): the claim the default opened (Loan.poolClaim, OPEN), naming at least the documents the pool rule requires (DOCUMENTS_MISSING otherwise). NO_POOL_CLAIM when the default left the pool owing nothing; POOL_CLAIM_NOT_OPEN once applied for.',
  })
  async applyForPoolClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ApplyForPoolClaimInput) input: ApplyForPoolClaimInput) {
    return toPayload(ctx, 'claim', await applyForPoolClaim(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => PoolClaimPayload, {
    description: 'An authority of the borrower\'s region (a national one: any) approves a submitted pool claim, all or part (`approved`, with a reason when less), or rejects it with a reason. A rejection is final: the reserve goes back to the pool and the whole net loss is split by the agreement\'s rule (R7). Outside the region: OUTSIDE_AUTHORITY_REGION.',
  })
  async reviewPoolClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ReviewPoolClaimInput) input: ReviewPoolClaimInput) {
    return toPayload(ctx, 'claim', await reviewPoolClaim(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => PoolClaimPayload, {
    description: 'An authority of the borrower\'s region records the pool\'s payment of an approved claim: the pool pays the approved amount (CLAIM_PAYOUT) and releases the rest of the reserve it kept; the loss net of the payout is split by the agreement\'s rule (R7 after R8, DOMAIN E10) and becomes the loan\'s lossSplit.',
  })
  async payPoolClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => PayPoolClaimInput) input: PayPoolClaimInput) {
    return toPayload(ctx, 'claim', await payPoolClaim(ctx, input));
  }

  @Authorized(POOL_CLAIM_READERS)
  @Query(() => [PoolClaim], { description: 'Claims on risk-compensation pools, newest first: an authority sees its region\'s (a national one every claim), an admin all, a bank its own, a guarantor those on the loans it guarantees.' })
  poolClaims(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => PoolClaimStatusEnum, { nullable: true, description: 'Only claims in this status (OPEN: a bank\'s claims to apply for; SUBMITTED: an authority\'s to review).' }) status: PoolClaimStatus | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many, 1–200 (default 50).' }) first: number | null,
  ): Promise<PoolClaimEntity[]> {
    if (first !== null && (first < 1 || first > 200)) throw badArgument('"first" is 1–200', 'first');
    return listPoolClaims(ctx, { status, first: first ?? 50 });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() c: PoolClaimEntity): string {
    return toGlobalId('PoolClaim', c.id);
  }

  @FieldResolver(() => [ClaimDocumentView], { description: 'The documents the bank named.' })
  documents(@Root() c: PoolClaimEntity): ClaimDocumentView[] {
    return c.documents;
  }

  @FieldResolver(() => Loan, { description: 'The defaulted loan.' })
  async loan(@Root() c: PoolClaimEntity, @Ctx() ctx: RequestContext): Promise<LoanEntity> {
    return (await loanById(ctx).load(c.loanId))!;
  }

  @FieldResolver(() => RiskCompensationPool, { description: 'The pool it is claimed from.' })
  async pool(@Root() c: PoolClaimEntity, @Ctx() ctx: RequestContext): Promise<RiskCompensationPoolEntity> {
    return (await poolById(ctx).load(c.poolId))!;
  }
}

@Resolver(() => Loan)
export class LoanPoolClaimResolver {
  @FieldResolver(() => PoolClaim, { nullable: true, description: 'The bank\'s claim on the pool its default opened (R8; issue 17 §3); null when the pool owed nothing, before a default, and for defaults recorded before claims were reviewed (paid at once).' })
  async poolClaim(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<PoolClaimEntity | null> {
    const claim = await poolClaimByLoan(ctx).load(loan.id);
    return claim && (await canSeePoolClaim(ctx, claim)) ? claim : null;
  }
}
