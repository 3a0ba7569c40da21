import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { authorityRegion, covers } from '../auth/authority-region';
import { AuthedContext, RequestContext } from '../common/context';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { EnterpriseClaimEntity, EnterpriseClaimEventEntity } from './claim.entity';
import type { ClaimStatus } from './claim.rules';
import {
  claimById, claimEventById, claimEventsPage, claimsPage, contestClaim, decideClaim, eventsByClaimId, holderOf, liveClaimsByEnterpriseId,
} from './claim.service';
import {
  ClaimStatusEnum, ConfirmEnterpriseClaimInput, ContestEnterpriseClaimInput, EnterpriseClaim, EnterpriseClaimConnection, EnterpriseClaimEvent,
  EnterpriseClaimEventConnection, EnterpriseClaimEventFilter, EnterpriseClaimFilter, ResolveEnterpriseClaimInput,
} from './claim.type';
import { EnterpriseEntity } from './enterprise.entity';
import { enterpriseById } from './enterprise.service';
import { Enterprise } from './enterprise.type';

export const EnterpriseClaimPayload = payloadType('EnterpriseClaimPayload', 'claim', () => EnterpriseClaim, 'Result of contesting, confirming or resolving a claim.');

const isManager = (ctx: RequestContext) => ctx.viewer?.role === 'AUTHORITY' || ctx.viewer?.role === 'ADMIN';

/** Admins and national authorities see the claims (and their steps) on any firm; a regional authority, those on its region's firms (issue 17 §3, RV1). */
async function managesFirm(ctx: RequestContext, enterpriseId: string): Promise<boolean> {
  if (!isManager(ctx)) return false;
  const region = authorityRegion(ctx.viewer);
  return region === null || covers(region, (await enterpriseById(ctx).load(enterpriseId))?.regionCode);
}

/** Authorities (a regional one: of the firm's region) and admins see a claim; a claimant sees its own. */
export async function canViewClaim(ctx: RequestContext, claim: EnterpriseClaimEntity): Promise<boolean> {
  return (ctx.viewer?.role === 'ENTERPRISE' && ctx.viewer.sub === claim.sub) || managesFirm(ctx, claim.enterpriseId);
}

registerNode<EnterpriseClaimEntity>({ typename: 'EnterpriseClaim', load: (ctx, id) => claimById(ctx).load(id), visible: canViewClaim });

@Resolver(() => EnterpriseClaim)
export class EnterpriseClaimResolver {
  @Authorized(MANAGERS)
  @Query(() => EnterpriseClaimConnection, { description: 'Claims on firms, newest first: the authorities\' queue (filter PENDING and CONTESTED) and any firm\'s claims. A regional authority\'s are those on its region\'s firms.' })
  enterpriseClaims(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => EnterpriseClaimFilter, { nullable: true }) filter: EnterpriseClaimFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return claimsPage(ctx, filter, { first, after });
  }

  @Authorized(MANAGERS)
  @Query(() => EnterpriseClaimEventConnection, { description: 'The audit of claims, newest first: every step (made, verified, contested, resolved), who took it and when. A regional authority\'s are those on its region\'s firms.' })
  enterpriseClaimEvents(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => EnterpriseClaimEventFilter, { nullable: true }) filter: EnterpriseClaimEventFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return claimEventsPage(ctx, filter, { first, after });
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => EnterpriseClaimPayload, {
    description:
      'The real owner disputes the holder\'s claim on a firm. Both claims become CONTESTED (the holder\'s needs leave banks\' inboxes) until an authority resolves them. A VERIFIED holder can be contested only with a token verified for the same code (CLAIM_ALREADY_VERIFIED otherwise: ask the authority).',
  })
  async contestEnterpriseClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ContestEnterpriseClaimInput) input: ContestEnterpriseClaimInput) {
    return toPayload(ctx, 'claim', await contestClaim(ctx, input));
  }

  @Authorized(['AUTHORITY'])
  @PayloadMutation(() => EnterpriseClaimPayload, { description: 'An authority verifies a PENDING claim (CLAIM_NOT_DECIDABLE otherwise); its needs are then proposed to banks. A regional authority decides claims on its region\'s firms only (OUTSIDE_AUTHORITY_REGION).' })
  async confirmEnterpriseClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ConfirmEnterpriseClaimInput) input: ConfirmEnterpriseClaimInput) {
    return toPayload(ctx, 'claim', await decideClaim(ctx, { claimId: input.claimId, decision: 'VERIFY', note: input.note }, true));
  }

  @Authorized(['AUTHORITY'])
  @PayloadMutation(() => EnterpriseClaimPayload, {
    description:
      'An authority decides a claim. VERIFY a contest: the contester becomes the holder, the holder\'s claim is rejected and its open needs withdrawn. VERIFY the holder: contests are rejected. REJECT the holder (also a verified one): it loses the firm. REJECT a contest: when none is left the holder\'s claim is reinstated. A regional authority decides claims on its region\'s firms only (OUTSIDE_AUTHORITY_REGION).',
  })
  async resolveEnterpriseClaim(@Ctx() ctx: AuthedContext, @Arg('input', () => ResolveEnterpriseClaimInput) input: ResolveEnterpriseClaimInput) {
    return toPayload(ctx, 'claim', await decideClaim(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() c: EnterpriseClaimEntity): string {
    return toGlobalId('EnterpriseClaim', c.id);
  }

  @FieldResolver(() => Enterprise, { description: 'The firm claimed.' })
  async enterprise(@Root() c: EnterpriseClaimEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(c.enterpriseId))!;
  }

  @FieldResolver(() => String, { description: 'The claimant (JWT `sub`).' })
  claimant(@Root() c: EnterpriseClaimEntity): string {
    return c.sub;
  }

  @FieldResolver(() => EnterpriseClaim, { nullable: true, description: 'For a contest: the claim it disputes (authorities and admins; null for others).' })
  async contestOf(@Root() c: EnterpriseClaimEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseClaimEntity | null> {
    if (!c.contestOf || !isManager(ctx)) return null;
    return claimById(ctx).load(c.contestOf);
  }

  @FieldResolver(() => [EnterpriseClaimEvent], { nullable: true, description: 'Its steps, oldest first (authorities and admins; null for others).' })
  async events(@Root() c: EnterpriseClaimEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseClaimEventEntity[] | null> {
    return isManager(ctx) ? eventsByClaimId(ctx).load(c.id) : null;
  }
}

/** A claim's steps are the authorities' audit, as `EnterpriseClaim.events` and `enterpriseClaimEvents` show them. */
registerNode<EnterpriseClaimEventEntity>({ typename: 'EnterpriseClaimEvent', load: (ctx, id) => claimEventById(ctx).load(id), visible: (ctx, e) => managesFirm(ctx, e.enterpriseId) });

@Resolver(() => EnterpriseClaimEvent)
export class EnterpriseClaimEventResolver {
  @FieldResolver(() => ID, { description: 'Opaque, globally unique id.' })
  id(@Root() e: EnterpriseClaimEventEntity): string {
    return toGlobalId('EnterpriseClaimEvent', e.id);
  }

  @FieldResolver(() => EnterpriseClaim, { description: 'The claim.' })
  async claim(@Root() e: EnterpriseClaimEventEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseClaimEntity> {
    return (await claimById(ctx).load(e.claimId))!;
  }

  @FieldResolver(() => Enterprise, { description: 'The firm.' })
  async enterprise(@Root() e: EnterpriseClaimEventEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(e.enterpriseId))!;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseClaimFieldsResolver {
  @FieldResolver(() => ClaimStatusEnum, {
    nullable: true,
    description: 'Where the holder\'s claim stands: VERIFIED when whoever acts for the firm proved it is the firm; PENDING or CONTESTED otherwise; null when nobody claimed it (an authority\'s record).',
  })
  async claimStatus(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext): Promise<ClaimStatus | null> {
    const live = await liveClaimsByEnterpriseId(ctx).load(e.id);
    // A holder rejected while contests stand: the firm is still disputed.
    return holderOf(live)?.status ?? (live.length ? 'CONTESTED' : null);
  }

  @FieldResolver(() => EnterpriseClaim, { nullable: true, description: 'The holder\'s claim, with its evidence: for authorities, admins and the holder itself (null for others).' })
  async claim(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseClaimEntity | null> {
    const holder = holderOf(await liveClaimsByEnterpriseId(ctx).load(e.id));
    return holder && (await canViewClaim(ctx, holder)) ? holder : null;
  }
}
