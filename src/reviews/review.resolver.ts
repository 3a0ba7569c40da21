/**
 * Reviews by the authorities (issue 17 §3): subsidy claims applied for, reviewed and paid; each rule's
 * yearly budget; the listing reserve pool. AUTHORITY tokens act within their region (auth/authority-region.ts).
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { authorityRegion, covers } from '../auth/authority-region';
import { AuthedContext, RequestContext } from '../common/context';
import { badArgument } from '../common/errors';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { localize } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { LoanEntity } from '../loans/loan.entity';
import { loanById } from '../loans/loan.resolver';
import { Loan } from '../loans/loan.type';
import { payeeGlobalId } from '../matching/match.read';
import { listBudgets, remainingOf, setPolicyBudget } from './budget.service';
import {
  applyForSubsidy, canSeeEntitlement, claimById, claimsByEntitlement, entitlementById, entitlementsByLoan, listClaims, paySubsidyClaim, reviewSubsidyClaim,
} from './claim.service';
import { addToListingReserve, listReserve, removeFromListingReserve } from './reserve.service';
import { ListingReserveEntryEntity, PolicyBudgetEntity, SubsidyClaimEntity, SubsidyEntitlementEntity } from './review.entity';
import { ClaimStatusEnum } from './review.enums';
import {
  AddToListingReserveInput, ApplyForSubsidyInput, PaySubsidyClaimInput, RemoveFromListingReserveInput, ReviewSubsidyClaimInput, SetPolicyBudgetInput,
} from './review.inputs';
import type { ClaimStatus } from './review.rules';
import { ClaimDocumentView, ListingReserveEntry, PolicyBudget, SubsidyClaim, SubsidyEntitlement } from './review.type';

export const SubsidyClaimPayload = payloadType('SubsidyClaimPayload', 'claim', () => SubsidyClaim, 'Result of applying for, reviewing or paying a subsidy claim.');
export const PolicyBudgetPayload = payloadType('PolicyBudgetPayload', 'budget', () => PolicyBudget, 'Result of setting a rule\'s yearly budget.');
export const ListingReserveEntryPayload = payloadType('ListingReserveEntryPayload', 'entry', () => ListingReserveEntry, 'Result of adding a firm to, or removing it from, the listing reserve pool.');

const CLAIM_READERS = ['AUTHORITY', 'ADMIN', 'GUARANTOR', 'ENTERPRISE'];
const BUDGET_READERS = ['AUTHORITY', 'ADMIN', 'ANALYST'];
const RESERVE_READERS = ['AUTHORITY', 'ADMIN', 'ANALYST', 'BANK'];

registerNode<SubsidyEntitlementEntity>({ typename: 'SubsidyEntitlement', load: (ctx, id) => entitlementById(ctx).load(id), visible: canSeeEntitlement });
registerNode<SubsidyClaimEntity>({
  typename: 'SubsidyClaim',
  load: (ctx, id) => claimById(ctx).load(id),
  visible: async (ctx, c) => canSeeEntitlement(ctx, (await entitlementById(ctx).load(c.entitlementId))!),
});
registerNode<ListingReserveEntryEntity>({
  typename: 'ListingReserveEntry',
  load: (ctx, id) => ctx.db.getRepository(ListingReserveEntryEntity).findOneBy({ id }),
  visible: async (ctx, r) => RESERVE_READERS.includes(ctx.viewer?.role ?? '') && covers(authorityRegion(ctx.viewer), (await enterpriseById(ctx).load(r.enterpriseId))?.regionCode),
});

const budgetView = (b: PolicyBudgetEntity): PolicyBudget => ({
  ruleCode: b.ruleCode, year: b.year, budget: b.amount, committed: b.committed, paid: b.paid, remaining: remainingOf(b), updatedAt: b.updatedAt,
});

@Resolver(() => SubsidyClaim)
export class SubsidyClaimResolver {
  @Authorized(['GUARANTOR', 'ENTERPRISE'])
  @PayloadMutation(() => SubsidyClaimPayload, {
    description: 'The payee (the guarantor, or the firm) applies for a subsidy a disbursement entitled it to (issue 17 §3), naming at least the documents the rule requires (DOCUMENTS_MISSING otherwise). One live claim per entitlement (CLAIM_EXISTS); after a rejection it may apply again.',
  })
  async applyForSubsidy(@Ctx() ctx: AuthedContext, @Arg('input', () => ApplyForSubsidyInput) input: ApplyForSubsidyInput) {
    return toPayload(ctx, 'claim', await applyForSubsidy(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => SubsidyClaimPayload, {
    description: 'An authority of the borrower\'s region (a national one: any) approves or rejects a submitted claim (issue 17 §3). APPROVE commits it against the rule\'s budget for the year (BUDGET_NOT_SET, BUDGET_EXCEEDED: refused, nothing written) and, for a fee subsidy, within the guarantor\'s yearly cap (R9: the part the cap leaves; SUBSIDY_CAP_REACHED when nothing); two approvals at once cannot pass either. REJECT needs a reason. Outside the region: OUTSIDE_AUTHORITY_REGION.',
  })
  async reviewSubsidyClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ReviewSubsidyClaimInput) input: ReviewSubsidyClaimInput) {
    return toPayload(ctx, 'claim', await reviewSubsidyClaim(ctx, input));
  }

  @Authorized(MANAGERS)
  @PayloadMutation(() => SubsidyClaimPayload, {
    description: 'An authority of the borrower\'s region records the payment of an approved claim (issue 17 §3): the subsidy is booked then — the subsidy ledger row for its year (the guarantor\'s yearly total moves), the SUBSIDY ledger entry and its posting — and the budget\'s commitment becomes a payment.',
  })
  async paySubsidyClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => PaySubsidyClaimInput) input: PaySubsidyClaimInput) {
    return toPayload(ctx, 'claim', await paySubsidyClaim(ctx, input));
  }

  @Authorized(CLAIM_READERS)
  @Query(() => [SubsidyClaim], { description: 'Subsidy claims, newest first: an authority sees its region\'s (a national one every claim), an admin all, a guarantor or a firm its own.' })
  subsidyClaims(
    @Ctx() ctx: RequestContext,
    @Arg('status', () => ClaimStatusEnum, { nullable: true, description: 'Only claims in this status.' }) status: ClaimStatus | null,
    @Arg('ruleCode', () => String, { nullable: true, description: 'Only claims under this rule code.' }) ruleCode: string | null,
    @Arg('year', () => Int, { nullable: true, description: 'Only claims for this calendar year.' }) year: number | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many, 1–200 (default 50).' }) first: number | null,
  ): Promise<SubsidyClaimEntity[]> {
    if (first !== null && (first < 1 || first > 200)) throw badArgument('"first" is 1–200', 'first');
    return listClaims(ctx, { status, ruleCode, year, first: first ?? 50 });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() c: SubsidyClaimEntity): string {
    return toGlobalId('SubsidyClaim', c.id);
  }

  @FieldResolver(() => [ClaimDocumentView], { description: 'The documents it names.' })
  documents(@Root() c: SubsidyClaimEntity): ClaimDocumentView[] {
    return c.documents;
  }

  @FieldResolver(() => SubsidyEntitlement, { description: 'What it claims.' })
  async entitlement(@Root() c: SubsidyClaimEntity, @Ctx() ctx: RequestContext): Promise<SubsidyEntitlementEntity> {
    return (await entitlementById(ctx).load(c.entitlementId))!;
  }
}

@Resolver(() => SubsidyEntitlement)
export class SubsidyEntitlementResolver {
  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() e: SubsidyEntitlementEntity): string {
    return toGlobalId('SubsidyEntitlement', e.id);
  }

  @FieldResolver(() => ID, { description: 'The payee: an Institution (a guarantor) or an Enterprise.' })
  payeeId(@Root() e: SubsidyEntitlementEntity): string {
    return payeeGlobalId(e.payeeKind, e.payeeId);
  }

  @FieldResolver(() => Loan, { description: 'The loan whose disbursement entitled the payee.' })
  async loan(@Root() e: SubsidyEntitlementEntity, @Ctx() ctx: RequestContext): Promise<LoanEntity> {
    return (await loanById(ctx).load(e.loanId))!;
  }

  @FieldResolver(() => [SubsidyClaim], { description: 'Its claims, newest first (a rejected claim may be followed by another).' })
  claims(@Root() e: SubsidyEntitlementEntity, @Ctx() ctx: RequestContext): Promise<SubsidyClaimEntity[]> {
    return claimsByEntitlement(ctx).load(e.id);
  }
}

@Resolver(() => Loan)
export class LoanEntitlementsResolver {
  @FieldResolver(() => [SubsidyEntitlement], { description: 'What its disbursement entitled payees to, per rule and calendar year (issue 17 §3), each with its claims: the subsidies are booked when an authority pays them.' })
  subsidyEntitlements(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<SubsidyEntitlementEntity[]> {
    return entitlementsByLoan(ctx).load(loan.id);
  }
}

@Resolver(() => PolicyBudget)
export class PolicyBudgetResolver {
  @Authorized(MANAGERS)
  @PayloadMutation(() => PolicyBudgetPayload, {
    description: 'Sets a subsidy rule\'s budget for a calendar year (issue 17 §3), never below what approvals committed and payments paid (BUDGET_BELOW_COMMITTED). A regional authority sets those of its region\'s rules only (OUTSIDE_AUTHORITY_REGION); a national rule\'s, a national authority.',
  })
  async setPolicyBudget(@Ctx() ctx: AuthedContext, @Arg('input', () => SetPolicyBudgetInput) input: SetPolicyBudgetInput) {
    const result = await setPolicyBudget(ctx, input);
    return toPayload(ctx, 'budget', result.ok ? { ...result, value: budgetView(result.value) } : result);
  }

  @Authorized(BUDGET_READERS)
  @Query(() => [PolicyBudget], { description: 'The budgets of a year, by rule code: budget, committed, paid and remaining (issue 17 §3). A regional authority sees its region\'s rules; naming a rule outside it is an error (BAD_USER_INPUT, reason OUTSIDE_AUTHORITY_REGION).' })
  async policyBudgets(
    @Ctx() ctx: RequestContext,
    @Arg('year', () => Int, { description: 'The calendar year.' }) year: number,
    @Arg('ruleCode', () => String, { nullable: true, description: 'Only this rule code.' }) ruleCode: string | null,
  ): Promise<PolicyBudget[]> {
    const result = await listBudgets(ctx, year, ruleCode);
    if (!result.ok) {
      const refusal = localize(ctx.lang, result.failures[0]);
      throw badArgument(refusal.message, 'ruleCode', { reason: refusal.code });
    }
    return result.value.map(budgetView);
  }
}

@Resolver(() => ListingReserveEntry)
export class ListingReserveResolver {
  @Authorized(['AUTHORITY'])
  @PayloadMutation(() => ListingReserveEntryPayload, {
    description: 'An authority adds a firm of its region to the listing reserve pool (seed 003: 专精特新入板和上市企业储备库; issue 17 §3), with a reason: products requiring LISTING_RESERVE match it from validFrom. Once at a time (ALREADY_IN_RESERVE). Firms cannot declare it.',
  })
  async addToListingReserve(@Ctx() ctx: AuthedContext, @Arg('input', () => AddToListingReserveInput) input: AddToListingReserveInput) {
    return toPayload(ctx, 'entry', await addToListingReserve(ctx, input));
  }

  @Authorized(['AUTHORITY'])
  @PayloadMutation(() => ListingReserveEntryPayload, {
    description: 'An authority removes a firm of its region from the listing reserve pool, with a reason; it no longer counts from today, and the entry stays as history (NOT_IN_RESERVE when it is not in).',
  })
  async removeFromListingReserve(@Ctx() ctx: AuthedContext, @Arg('input', () => RemoveFromListingReserveInput) input: RemoveFromListingReserveInput) {
    return toPayload(ctx, 'entry', await removeFromListingReserve(ctx, input));
  }

  @Authorized(RESERVE_READERS)
  @Query(() => [ListingReserveEntry], { description: 'The listing reserve pool, newest first: the firms in it, or with `includeRemoved` its whole history. A regional authority sees its region\'s firms.' })
  listingReserve(
    @Ctx() ctx: RequestContext,
    @Arg('creditCode', () => String, { nullable: true, description: 'Only this firm.' }) creditCode: string | null,
    @Arg('includeRemoved', () => Boolean, { nullable: true, description: 'Also the entries removed (history).' }) includeRemoved: boolean | null,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many, 1–500 (default 100).' }) first: number | null,
  ): Promise<ListingReserveEntryEntity[]> {
    if (first !== null && (first < 1 || first > 500)) throw badArgument('"first" is 1–500', 'first');
    return listReserve(ctx, { creditCode, includeRemoved: includeRemoved ?? false, first: first ?? 100 });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() r: ListingReserveEntryEntity): string {
    return toGlobalId('ListingReserveEntry', r.id);
  }

  @FieldResolver(() => Enterprise, { description: 'The firm.' })
  async enterprise(@Root() r: ListingReserveEntryEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(r.enterpriseId))!;
  }
}
