import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { AuthedContext, RequestContext } from '../common/context';
import { Decimal, rate } from '../common/decimal';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { DecimalScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { DocumentEntity } from '../documents/document.entity';
import { sharedDocumentsByOffer } from '../documents/document.service';
import { DocumentKindEnum, Document } from '../documents/document.type';
import { DOCUMENT_KINDS, DocumentKind } from '../documents/document.rules';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById, productById } from '../institutions/institution.service';
import { FinancialProduct, Institution } from '../institutions/institution.type';
import { ProductEntity } from '../institutions/product.entity';
import { MatchEntity } from '../matching/match.entity';
import { matchById } from '../matching/match.read';
import { Match } from '../matching/match.type';
import { FinancingNeedEntity } from '../needs/need.entity';
import { needById } from '../needs/need.service';
import { FinancingNeed } from '../needs/need.type';
import { feesAsAnnualRate } from '../policy/all-in';
import { OfferDeclineReasonEnum, OfferStatusEnum } from './offer.enums';
import { OfferEntity } from './offer.entity';
import { AcceptOfferInput, MakeOfferInput } from './offer.inputs';
import type { OfferDeclineReason, OfferStatus } from './offer.rules';
import { acceptOffer, canSeeOffer, makeOffer, offerById, offersByNeed, offerStanding } from './offer.service';
import { Offer, OfferConnection, OfferFee } from './offer.type';

registerNode<OfferEntity>({ typename: 'Offer', load: (ctx, id) => offerById(ctx).load(id), visible: canSeeOffer });

export const OfferPayload = payloadType('OfferPayload', 'offer', () => Offer, 'Result of making or accepting an offer.');

@Resolver(() => Offer)
export class OfferResolver {
  @Authorized(['BANK'])
  @PayloadMutation(() => OfferPayload, {
    description:
      'The product\'s bank makes an offer on a match after contacting the enterprise (R14 CONTACT): amount (at most the need\'s), rate (within the product\'s range, at most 0.12), term, one-off fees (each kind once, exactly one of amount or rate; seed 004 (23)), the documents it requires and how long the offer stands. One open offer per match. The enterprise hears OFFER_MADE.',
  })
  async makeOffer(@Ctx() ctx: AuthedContext, @Arg('input', () => MakeOfferInput) input: MakeOfferInput) {
    return toPayload(ctx, 'offer', await makeOffer(ctx, input));
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => OfferPayload, {
    description:
      'The enterprise accepts an open offer of one of its needs: the match moves on as an application (APPLIED; consent to the bank, R10), and the need\'s other open offers are declined (OFFER_ACCEPTED_ELSEWHERE). An offer past its validUntil is refused (OFFER_EXPIRED). Accepting again returns the accepted offer.',
  })
  async acceptOffer(@Ctx() ctx: AuthedContext, @Arg('input', () => AcceptOfferInput) input: AcceptOfferInput) {
    return toPayload(ctx, 'offer', await acceptOffer(ctx, input.offerId));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() o: OfferEntity): string {
    return toGlobalId('Offer', o.id);
  }

  @FieldResolver(() => OfferStatusEnum, {
    description: 'Where the offer stands; an open offer past validUntil (the database\'s clock) reads EXPIRED, one whose match or need was closed DECLINED (MATCH_CLOSED, NEED_CLOSED).',
  })
  async status(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<OfferStatus> {
    return (await offerStanding(ctx, o)).status;
  }

  @FieldResolver(() => OfferDeclineReasonEnum, { nullable: true, description: 'Why it was declined, when it was.' })
  async declineReason(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<OfferDeclineReason | null> {
    return (await offerStanding(ctx, o)).declineReason;
  }

  @FieldResolver(() => [OfferFee], { description: 'The one-off fees, each with what it charges.' })
  fees(@Root() o: OfferEntity): OfferFee[] {
    return o.fees.map((f) => ({ kind: f.kind, amount: f.amount === null ? null : new Decimal(f.amount), rate: f.rate === null ? null : new Decimal(f.rate), charged: new Decimal(f.charged) }));
  }

  @FieldResolver(() => DecimalScalar, { description: 'The fees spread over the term as a yearly rate of the principal: feeTotal ÷ amount × 12 ÷ termMonths (6 places).' })
  feesAnnualRate(@Root() o: OfferEntity): Decimal {
    return rate(feesAsAnnualRate({ total: o.feeTotal, principal: o.amount, termMonths: o.termMonths }));
  }

  @FieldResolver(() => DecimalScalar, {
    description:
      'All-in annual cost: annualRate + guaranteeFeeRate + feesAnnualRate − interestSubsidyRate (fees taken exactly, rounded once, half-up to 6 places; docs/OFFERS.md). Compare offers by it.',
  })
  allInAnnualCostRate(@Root() o: OfferEntity): Decimal {
    return o.allInCost;
  }

  @FieldResolver(() => Match, { description: 'The match it was made on.' })
  async match(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<MatchEntity> {
    return (await matchById(ctx).load(o.matchId))!;
  }

  @FieldResolver(() => FinancingNeed, { description: 'The need it answers.' })
  async need(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<FinancingNeedEntity> {
    return (await needById(ctx).load(o.needId))!;
  }

  @FieldResolver(() => FinancialProduct, { description: 'The product it is made under.' })
  async product(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<ProductEntity> {
    return (await productById(ctx).load(o.productId))!;
  }

  @FieldResolver(() => Institution, { description: 'The bank that made it.' })
  async institution(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(o.institutionId))!;
  }

  @FieldResolver(() => [Document], { description: 'The documents the enterprise shared with the bank under this offer.' })
  sharedDocuments(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<DocumentEntity[]> {
    return sharedDocumentsByOffer(ctx).load(o.id);
  }

  @FieldResolver(() => [DocumentKindEnum], { description: 'Required documents not shared yet under this offer.' })
  async missingDocuments(@Root() o: OfferEntity, @Ctx() ctx: RequestContext): Promise<DocumentKind[]> {
    const shared = new Set((await sharedDocumentsByOffer(ctx).load(o.id)).map((d) => d.kind));
    return DOCUMENT_KINDS.filter((k) => o.requiredDocuments.includes(k) && !shared.has(k));
  }
}

const NO_INSTITUTION = '00000000-0000-0000-0000-000000000000';

@Resolver(() => FinancingNeed)
export class NeedOffersResolver {
  @FieldResolver(() => OfferConnection, {
    description:
      'The offers banks made on this need, newest first, side by side with their fees and all-in annual cost (issue 15 §2). The enterprise sees all of them; a bank its own; anyone else none.',
  })
  async offers(
    @Root() need: FinancingNeedEntity,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    const own = ctx.viewer?.role === 'ENTERPRISE' && (await viewerEnterpriseId(ctx)) === need.enterpriseId;
    // Anyone but the need's enterprise sees its own institution's offers: none without one (an id no offer has).
    const filter = own ? undefined : JSON.stringify({ institutionId: ctx.viewer?.institutionId ?? NO_INSTITUTION });
    return offersByNeed(ctx).load({ parentId: need.id, first, after, filter });
  }
}
