/**
 * Reading matches (R10, R13): a need's matches best first, one match with its rank, and the checks of
 * any pair, each batched per request (one DataLoader per relation, STYLE.md habit 4). An institution
 * sees the matches of its own products (a guarantor: those routed to it); the enterprise and managers
 * see all. Checks that read a consent-only figure are withheld from whoever may not see the figure, and
 * the pair is decided without it for them; every read of credit-based checks is recorded (R10).
 */
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { forbidden, forbiddenBecause } from '../auth/errors';
import { Page, PageArgs, pageWindow, toPage } from '../common/connection';
import { Decimal } from '../common/decimal';
import { badArgument } from '../common/errors';
import { toGlobalId, uuidOf } from '../common/ids';
import { message } from '../common/messages';
import { isVerifiedHolder } from '../enterprises/claim.service';
import { needById, canViewNeed } from '../needs/need.service';
import { recordCreditRead } from '../privacy/credit-access.service';
import { canSeePrivate } from '../privacy/privacy.policy';
import { CREDIT_FIELDS } from './criteria';
import { CONSENT_ONLY_CHECKS, ConsentOnlyCheck, withoutConsentOnly } from './engine/consent-only';
import { decide } from './engine/engine';
import type { EnterpriseFacts, MatchContext, NeedFacts, ProductFacts } from './engine/facts';
import { loadPairInputs } from './facts.service';
import { MatchEntity } from './match.entity';
import { bestFirstSql, institutionSeesMatch, institutionSeesMatchSql, type DeclineReason, type MatchStatus } from './match.rules';
import type { MatchCheck, TermsView } from './match.type';
import { requestToday } from '../database/clock';

export type RankedMatch = MatchEntity & { rank: number };

/** Which matches the viewer sees: all (the enterprise for its own needs, managers), or one institution's. */
function institutionScope(ctx: RequestContext): string | null {
  return ctx.viewer?.institutionId ?? null;
}

const RANKED_SQL = `
  SELECT id, rank FROM (
    SELECT m.id, m.need_id, m.institution_id, m.guarantor_id,
           row_number() OVER (PARTITION BY m.need_id ORDER BY ${bestFirstSql('m')}) AS rank
      FROM match m WHERE m.need_id = ANY($1::uuid[]) AND m.eligible) x
   WHERE $2::uuid IS NULL OR ${institutionSeesMatchSql('x', '$2::uuid')}
   ORDER BY x.need_id, x.rank`;

/** Each need's eligible matches the viewer may see, best first, with their rank among all the need's matches (the need is visible already). */
export const matchesByNeed = defineLoader(
  (ctx) =>
    new DataLoader<string, RankedMatch[]>(async (needIds) => {
      const ranks: { id: string; rank: string }[] = await ctx.db.query(RANKED_SQL, [[...needIds], institutionScope(ctx)]);
      const entities = ranks.length ? await ctx.db.getRepository(MatchEntity).findBy({ id: In(ranks.map((r) => r.id)) }) : [];
      const byId = new Map(entities.map((m) => [m.id, m]));
      const grouped = new Map<string, RankedMatch[]>();
      for (const r of ranks) {
        const m = byId.get(r.id);
        if (!m) continue;
        grouped.set(m.needId, [...(grouped.get(m.needId) ?? []), Object.assign(m, { rank: Number(r.rank) })]);
      }
      return needIds.map((id) => grouped.get(id) ?? []);
    }),
);

/** Each match's rank among its need's eligible matches (0 once ineligible), for matches reached outside their need (the inbox). */
export const rankOfMatch = defineLoader(
  (ctx) =>
    new DataLoader<string, number>(async (ids) => {
      const rows: { id: string; rank: string }[] = await ctx.db.query(
        `SELECT x.id, x.rank FROM (
           SELECT m.id, row_number() OVER (PARTITION BY m.need_id ORDER BY ${bestFirstSql('m')}) AS rank
             FROM match m WHERE m.eligible AND m.need_id IN (SELECT need_id FROM match WHERE id = ANY($1::uuid[]))) x
          WHERE x.id = ANY($1::uuid[])`,
        [[...ids]],
      );
      const ranks = new Map(rows.map((r) => [r.id, Number(r.rank)]));
      return ids.map((id) => ranks.get(id) ?? 0);
    }),
);

/** Each match's lifecycle steps, oldest first (R14). */
export const matchHistory = defineLoader((ctx) =>
  groupedBy<{ matchId: string; action: string; fromStatus: MatchStatus; toStatus: MatchStatus; declineReason: DeclineReason | null; note: string | null; at: Date }>(
    (e) => e.matchId,
    (ids) => ctx.db.query(
      `SELECT match_id AS "matchId", action, from_status AS "fromStatus", to_status AS "toStatus", decline_reason AS "declineReason", note, at
         FROM match_event WHERE match_id = ANY($1::uuid[]) ORDER BY match_id, at, id`, [ids]),
  ),
);

const cursorKey = (m: RankedMatch) => [m.rank, m.id];

/** `FinancingNeed.matches`: a page of the need's eligible matches, best first (the need is visible already). */
export async function needMatches(ctx: RequestContext, needId: string, args: PageArgs): Promise<Page<RankedMatch>> {
  const { limit, after } = pageWindow(args, ctx.config.limits);
  const all = await matchesByNeed(ctx).load(needId);
  let start = 0;
  if (after) {
    const [rank, id] = after;
    if (typeof rank !== 'number' || typeof id !== 'string') throw badArgument('"after" is not a cursor of this list', 'after');
    // Resume after the match the cursor names; if a refresh moved it, after its old rank.
    const at = all.findIndex((m) => m.id === id);
    start = at >= 0 ? at + 1 : all.findIndex((m) => m.rank > rank);
    if (start < 0) start = all.length;
  }
  return toPage(all.slice(start, start + limit + 1), limit, cursorKey, async () => all.length);
}

export const matchById = defineLoader((ctx) => byKey(ctx, MatchEntity, 'id'));

/** R10 for one match: whoever sees its need, and of the institutions only those it concerns. */
export async function canViewMatch(ctx: RequestContext, match: MatchEntity): Promise<boolean> {
  const need = await needById(ctx).load(match.needId);
  if (!need || !(await canViewNeed(ctx, need))) return false;
  const institution = institutionScope(ctx);
  return !institution || institutionSeesMatch(match, institution);
}

/** One match with its rank, if the viewer may see it. */
export async function visibleMatch(ctx: RequestContext, id: string): Promise<RankedMatch | null> {
  const match = await ctx.db.getRepository(MatchEntity).findOneBy({ id });
  if (!match || !(await canViewMatch(ctx, match))) return null;
  if (!match.eligible) return Object.assign(match, { rank: 0 });
  const ranked = await matchesByNeed(ctx).load(match.needId);
  return ranked.find((m) => m.id === id) ?? Object.assign(match, { rank: 0 });
}

/** What deciding a (need, product) pair now reads: facts for all of a request's pairs in a fixed number of statements. */
const pairFacts = defineLoader(
  (ctx) =>
    new DataLoader<string, { need: NeedFacts; enterprise: EnterpriseFacts; product: ProductFacts; context: MatchContext } | null>(async (keys) => {
      const pairs = keys.map((k) => {
        const [needId, productId] = k.split('|');
        return { needId, productId };
      });
      const { needs, enterprises, products, context } = await loadPairInputs(ctx.db.manager, pairs, await requestToday(ctx));
      return pairs.map(({ needId, productId }) => {
        const need = needs.get(needId);
        const product = products.get(productId);
        if (!need || !product) return null;
        return { need, enterprise: enterprises.get(need.enterpriseId)!, product, context };
      });
    }),
);

/**
 * The pair decided now, as the viewer may see it (R10, R13): the enterprise itself and institutions it
 * consented to get every check; anyone else the pair decided without the consent-only figures, with
 * the checks that read them withheld (engine/consent-only.ts), so neither a check, nor `eligible`, nor
 * the terms vary with them. A read of credit-based checks by anyone but the firm itself is recorded,
 * naming the figures the product's criteria used and the viewer was shown.
 */
async function viewerDecision(ctx: RequestContext, needId: string, productId: string, operation: string) {
  const found = await pairFacts(ctx).load(`${needId}|${productId}`);
  if (!found) return null;
  const { need, product, context } = found;
  const privateVisible = await canSeePrivate(ctx, need.enterpriseId);
  const shown = privateVisible ? { enterprise: found.enterprise, product, withheld: [] as ConsentOnlyCheck[] } : withoutConsentOnly(found.enterprise, product);
  const decision = decide(need, shown.enterprise, shown.product, context);
  const withheld = new Set<string>(shown.withheld);
  const creditFields = decision.checks.filter((c) => CREDIT_FIELDS[c.code] && !c.detail.endsWith('.none')).map((c) => CREDIT_FIELDS[c.code]!);
  // Credit-based checks tell the firm's rating and grades: a claimant not yet verified does not read them (issue 11 §6).
  if (creditFields.length && ctx.viewer?.role === 'ENTERPRISE' && !(await isVerifiedHolder(ctx, need.enterpriseId))) {
    throw forbiddenBecause(ctx.lang, 'claimNotVerified');
  }
  if (creditFields.length) await recordCreditRead(ctx, { enterpriseId: need.enterpriseId, fields: creditFields, consented: privateVisible, operation });
  const checks: MatchCheck[] = decision.checks.map((c) => (withheld.has(c.code)
    ? { code: c.code, passed: true, withheld: true, detail: message(ctx.lang, `CHECK_${c.code}.withheld`, { required: String(product[CONSENT_ONLY_CHECKS[c.code as ConsentOnlyCheck].criterion]) }) }
    : { code: c.code, passed: c.passed, withheld: false, detail: message(ctx.lang, c.detail, c.params) }));
  return { decision, checks };
}

/** `Match.checks`: the pair decided now, as explainMatch would. */
export async function matchChecks(ctx: RequestContext, match: MatchEntity): Promise<MatchCheck[]> {
  return (await viewerDecision(ctx, match.needId, match.productId, 'Match.checks'))?.checks ?? [];
}

export function storedTermsView(m: MatchEntity): TermsView {
  return {
    indicativeAnnualRate: m.indicativeRate,
    guarantee: m.guarantorId ? { guarantorId: m.guarantorId, coverageRatio: m.coverageRatio!, feeRate: m.guaranteeFeeRate!, guaranteedAmount: m.guaranteedAmount! } : null,
    riskCompensationReserve: m.reserve,
    poolId: m.poolId,
    bankNetExposure: m.bankNetExposure,
    subsidies: m.subsidies.map((s) => ({
      kind: s.kind, payee: s.payee, payeeId: s.payeeId, amount: new Decimal(s.amount), ruleVersion: s.ruleVersion,
      ...(s.byYear ? { byYear: s.byYear.map((y) => ({ year: y.year, amount: new Decimal(y.amount) })) } : {}),
    })),
    allInAnnualCostRate: m.allInCost,
    policyRuleVersions: m.ruleVersions,
    policyRuleIds: m.ruleIds,
  };
}

/** The id a subsidy's payee is shown with. */
export function payeeGlobalId(payee: string, payeeId: string): string {
  return toGlobalId(payee === 'GUARANTOR' ? 'Institution' : 'Enterprise', payeeId);
}

/**
 * `explainMatch`: every check for any pair, eligible or not, with the terms when eligible. The need
 * must be one the viewer may see; an institution explains its own products only. Anything else reads
 * as not found, so ids do not leak.
 */
export async function explainMatch(ctx: RequestContext, needGlobalId: string, productGlobalId: string) {
  const needId = uuidOf(needGlobalId, 'FinancingNeed');
  if (!needId) throw badArgument('"needId" is not a financing need id', 'needId');
  const productId = uuidOf(productGlobalId, 'FinancialProduct');
  if (!productId) throw badArgument('"productId" is not a product id', 'productId');
  if (ctx.viewer!.role === 'ANALYST') throw forbidden(ctx.lang, 'explainMatch (analysts see aggregates)');
  const need = await needById(ctx).load(needId);
  const found = need && (await canViewNeed(ctx, need)) ? await pairFacts(ctx).load(`${needId}|${productId}`) : null;
  const institution = institutionScope(ctx);
  const ownProduct = found && (!institution || found.product.institutionId === institution || (await storedMatchSeenBy(ctx, needId, productId, institution)));
  if (!found || !ownProduct) throw badArgument('no such need and product for this viewer', 'needId');
  const { decision, checks } = (await viewerDecision(ctx, needId, productId, 'explainMatch'))!;
  return { eligible: decision.eligible, checks, terms: decision.terms };
}

/** Whether the pair's stored match is one the institution sees (a guarantor: routed to it). */
async function storedMatchSeenBy(ctx: RequestContext, needId: string, productId: string, institutionId: string): Promise<boolean> {
  const stored = await ctx.db.getRepository(MatchEntity).findOneBy({ needId, productId });
  return !!stored && institutionSeesMatch(stored, institutionId);
}
