/**
 * Issue 15 §2 — offers. After contacting an enterprise (R14 CONTACT), the product's bank makes an offer
 * on the match: amount, rate, term, its fees and the documents it requires, valid until an instant. The
 * enterprise sees its need's offers side by side, each with its all-in annual cost including the fees
 * (offer.rules.ts, policy/all-in.ts), and accepts one: that match moves on as an application (APPLY, which
 * counts as consent to the bank, R10) and the need's other open offers are declined
 * (OFFER_ACCEPTED_ELSEWHERE). An offer past its validity, by the database's clock, expires: refused at
 * accept time, marked by the sweep (offer.closing.ts `sweepOffers`, run with the dispatcher's). Each change raises its
 * event (OFFER_MADE, OFFER_ACCEPTED, OFFER_DECLINED, OFFER_EXPIRED) in its own transaction.
 */
import { AuthedContext, byKey, defineLoader, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { DATABASE_NOW_SQL, requestNow, requestToday } from '../database/clock';
import { childPages } from '../database/pages';
import { inTransaction } from '../database/transaction';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { raiseEvent } from '../events/outbox';
import { applyStep, institutionFailure, lockMatch, needIsActive, needNotActive } from '../matching/lifecycle.service';
import { matchById } from '../matching/match.read';
import { needById } from '../needs/need.service';
import { todayInShanghai } from '../common/dates';
import { grantConsentIn } from '../privacy/consent.service';
import { OfferEntity, StoredFee } from './offer.entity';
import { closeOffersIn } from './offer.closing';
import { FeeInput, MAX_VALIDITY_DAYS, offerCost, offerFailures, OfferDeclineReason, OfferStanding, offerStanding as standingOf, OfferStatus } from './offer.rules';

export interface MakeOfferInput {
  matchId: string;
  amount: Decimal;
  annualRate: Decimal;
  termMonths: number;
  fees?: FeeInput[] | null;
  requiredDocuments?: string[] | null;
  validUntil: Date;
}

/**
 * Where an offer stands for this request's reader: an OPEN offer past validUntil reads EXPIRED, one whose
 * match or need closed reads DECLINED with its reason (offer.rules.ts `offerStanding`), before any sweep.
 */
export async function offerStanding(ctx: RequestContext, offer: OfferEntity): Promise<OfferStanding> {
  if (offer.status !== 'OPEN') return { status: offer.status, declineReason: offer.declineReason };
  const [now, match, need] = await Promise.all([requestNow(ctx), matchById(ctx).load(offer.matchId), needById(ctx).load(offer.needId)]);
  return standingOf(offer, now, { matchStatus: match!.status, needActive: needIsActive(need!, todayInShanghai(now)) });
}

const storedFees = (fees: ReturnType<typeof offerCost>['fees']): StoredFee[] =>
  fees.map((f) => ({ kind: f.kind, amount: f.amount?.toFixed(2) ?? null, rate: f.rate?.toFixed() ?? null, charged: f.charged.toFixed(2) }));

/** makeOffer: the match's bank, after contacting the enterprise, offers a loan on it. */
export async function makeOffer(ctx: AuthedContext, input: MakeOfferInput): Promise<Result<OfferEntity>> {
  const matchId = uuidOf(input.matchId, 'Match');
  if (!matchId) return refused(failure('matchId', 'INVALID_ID'));
  const fees = input.fees ?? [];
  const requiredDocuments = input.requiredDocuments ?? [];
  return inTransaction(ctx, async (em) => {
    const locked = await lockMatch(em, matchId);
    const denied = institutionFailure(ctx, locked?.match);
    if (denied) return refused(denied);
    const { need, match } = locked!;
    const inactive = needNotActive(need, await requestToday(ctx));
    if (inactive) return refused(inactive);
    if (need.kind !== 'LOAN') return refused(failure('matchId', 'OFFER_NOT_A_LOAN'));
    // After CONTACT (R14): the match is CONTACTED, or APPLIED with the bank's contact recorded as its response.
    if (!(match.status === 'CONTACTED' || (match.status === 'APPLIED' && match.respondedAt))) return refused(failure('matchId', 'OFFER_BEFORE_CONTACT', { status: match.status }));

    const [product]: { min_rate: string | null; max_rate: string | null }[] = await em.query(
      `SELECT min_annual_rate::text AS min_rate, max_annual_rate::text AS max_rate FROM product WHERE id = $1`, [match.productId]);
    const figures = { amount: input.amount, annualRate: input.annualRate, termMonths: input.termMonths, fees, requiredDocuments };
    const failures = offerFailures(figures, {
      needAmount: need.amount,
      productMinRate: product.min_rate === null ? null : new Decimal(product.min_rate),
      productMaxRate: product.max_rate === null ? null : new Decimal(product.max_rate),
    });
    const [clock]: { now: Date; latest: Date }[] = await em.query(
      `SELECT ${DATABASE_NOW_SQL} AS now, ${DATABASE_NOW_SQL} + make_interval(days => $1) AS latest`, [MAX_VALIDITY_DAYS]);
    if (input.validUntil.getTime() <= clock.now.getTime()) failures.push(failure('validUntil', 'VALID_UNTIL_NOT_FUTURE', { now: clock.now.toISOString() }));
    else if (input.validUntil.getTime() > clock.latest.getTime()) failures.push(failure('validUntil', 'VALID_UNTIL_TOO_FAR', { days: MAX_VALIDITY_DAYS, latest: clock.latest.toISOString() }));
    if (failures.length) return refused(...failures);

    // An open offer already past its validity that the sweep has not marked yet expires now, with its event; one still OPEN then stands.
    await closeOffersIn(em, 'EXPIRED', 'o.match_id = $1', [match.id]);
    const open: { valid_until: Date }[] = await em.query(`SELECT valid_until FROM offer WHERE match_id = $1 AND status = 'OPEN'`, [match.id]);
    if (open.length) return refused(failure('matchId', 'OFFER_ALREADY_OPEN', { validUntil: open[0].valid_until.toISOString() }));

    // The interest subsidies of the rule versions the match's terms used (R9), at the offered rate.
    const ratios: { ratio: string }[] = await em.query(
      `SELECT params->>'ratio' AS ratio FROM policy_rule WHERE id = ANY($1::uuid[]) AND kind = 'INTEREST_SUBSIDY' ORDER BY code, version`, [match.ruleIds]);
    const cost = offerCost(figures, match.guarantorId ? match.guaranteeFeeRate : null, ratios.map((r) => new Decimal(r.ratio)));
    const [row]: { id: string }[] = await em.query(
      `INSERT INTO offer (match_id, need_id, product_id, institution_id, enterprise_id, amount, annual_rate, term_months, fees, fee_total,
                          guarantee_fee_rate, interest_subsidy_rate, all_in_cost, required_documents, valid_until, made_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14::text[], $15, $16) RETURNING id`,
      [match.id, need.id, match.productId, match.institutionId, need.enterpriseId, input.amount.toFixed(), input.annualRate.toFixed(), input.termMonths,
        JSON.stringify(storedFees(cost.fees)), cost.feeTotal.toFixed(2), cost.guaranteeFeeRate?.toFixed() ?? null, cost.interestSubsidyRate.toFixed(),
        cost.allInAnnualCostRate.toFixed(), requiredDocuments, input.validUntil, ctx.viewer.sub],
    );
    const offer = await em.getRepository(OfferEntity).findOneByOrFail({ id: row.id });
    await raiseEvent(em, {
      type: 'OFFER_MADE', institutionId: offer.institutionId, enterpriseId: offer.enterpriseId, needId: offer.needId, matchId: offer.matchId,
      payload: offerPayload(offer),
    });
    return ok(offer);
  });
}

/** What an offer's events say: what both the bank and the enterprise read on the offer itself. */
function offerPayload(offer: OfferEntity): Record<string, unknown> {
  return {
    offerId: offer.id, productId: offer.productId, amount: offer.amount.toFixed(2), annualRate: offer.annualRate.toFixed(), termMonths: offer.termMonths,
    feeTotal: offer.feeTotal.toFixed(2), allInAnnualCostRate: offer.allInCost.toFixed(), validUntil: offer.validUntil.toISOString(),
  };
}

/** acceptOffer: the enterprise accepts one of its needs' offers; the match moves on as an application and the need's other open offers are declined. */
export async function acceptOffer(ctx: AuthedContext, offerRef: string): Promise<Result<OfferEntity>> {
  const offerId = uuidOf(offerRef, 'Offer');
  if (!offerId) return refused(failure('offerId', 'INVALID_ID'));
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  // Accepting applies to the bank, which counts as consent (R10): only the firm's verified holder may.
  if (!(await isVerifiedHolder(ctx, enterpriseId))) return refused(failure([], 'CLAIM_NOT_VERIFIED'));
  return inTransaction(ctx, async (em) => {
    const found: { match_id: string; enterprise_id: string }[] = await em.query(`SELECT match_id, enterprise_id FROM offer WHERE id = $1`, [offerId]);
    // Another enterprise's offer reads as missing: ids do not leak.
    if (!found.length || found[0].enterprise_id !== enterpriseId) return refused(failure('offerId', 'NOT_FOUND'));
    const locked = await lockMatch(em, found[0].match_id);
    if (!locked) return refused(failure('offerId', 'NOT_FOUND'));
    // The need's offers, locked after the need and the match (the order every writer takes).
    const [offer]: { status: OfferStatus; declineReason: OfferDeclineReason | null; validUntil: Date; now: Date }[] = await em.query(
      `SELECT o.status, o.decline_reason AS "declineReason", o.valid_until AS "validUntil", ${DATABASE_NOW_SQL} AS now
         FROM offer o WHERE o.need_id = $1 AND o.id = $2 FOR UPDATE`, [locked.need.id, offerId]);
    await em.query(`SELECT 1 FROM offer WHERE need_id = $1 AND status = 'OPEN' ORDER BY id FOR UPDATE`, [locked.need.id]);
    const { need, match } = locked;
    // Where it stands by the rule readers see (offer.rules.ts): past validity, or closed with its match or need, before any sweep.
    const today = todayInShanghai(offer.now);
    const standing = standingOf(offer, offer.now, { matchStatus: match.status, needActive: needIsActive(need, today) });
    if (standing.status === 'ACCEPTED') return ok(await em.getRepository(OfferEntity).findOneByOrFail({ id: offerId }));
    if (standing.status === 'EXPIRED') return refused(failure('offerId', 'OFFER_EXPIRED', { validUntil: offer.validUntil.toISOString() }));
    // Declined with its match or need (offer.closing.ts): said so; declined for another offer: as any closed offer.
    if (standing.status !== 'OPEN') {
      const closedWith = standing.declineReason === 'MATCH_CLOSED' || standing.declineReason === 'NEED_CLOSED' ? standing.declineReason : undefined;
      return refused(failure('offerId', 'OFFER_NOT_OPEN', { status: standing.status }, closedWith));
    }

    const stepped = await applyStep(em, locked, 'APPLY', { actor: ctx.viewer.sub, today }, 'offerId');
    if (!stepped.ok) return stepped;
    await grantConsentIn(em, enterpriseId, match.institutionId, 'APPLICATION', ctx.viewer.sub);
    await em.query(`UPDATE offer SET status = 'ACCEPTED', accepted_by = $2, status_changed_at = now() WHERE id = $1`, [offerId, ctx.viewer.sub]);
    const accepted = await em.getRepository(OfferEntity).findOneByOrFail({ id: offerId });
    await raiseEvent(em, {
      type: 'OFFER_ACCEPTED', institutionId: accepted.institutionId, enterpriseId, needId: need.id, matchId: accepted.matchId, payload: offerPayload(accepted),
    });
    // The need's other open offers, each bank told once (OFFER_DECLINED), in one statement.
    await closeOffersIn(em, 'OFFER_ACCEPTED_ELSEWHERE', 'o.need_id = $1 AND o.id <> $2', [need.id, offerId]);
    return ok(accepted);
  });
}

export const offerById = defineLoader((ctx) => byKey(ctx, OfferEntity, 'id'));

/** FinancingNeed.offers: the need's offers the viewer may see (the enterprise: all; an institution: its own), newest first, one statement per page of needs. */
export const offersByNeed = defineLoader((ctx) => childPages<OfferEntity>(ctx, {
  entity: OfferEntity, parentColumn: 'need_id', parentProperty: 'needId',
  where: (qb, filter) => {
    const only = (filter as { institutionId?: string } | undefined)?.institutionId;
    if (only) qb.andWhere('x.institution_id = :offerInstitution::uuid', { offerInstitution: only });
  },
}));

/** Who may read an offer: the enterprise whose need it answers, and the bank that made it. */
export async function canSeeOffer(ctx: RequestContext, offer: Pick<OfferEntity, 'enterpriseId' | 'institutionId'>): Promise<boolean> {
  if (ctx.viewer?.role === 'ENTERPRISE') return (await viewerEnterpriseId(ctx)) === offer.enterpriseId;
  return !!ctx.viewer?.institutionId && ctx.viewer.institutionId === offer.institutionId;
}
