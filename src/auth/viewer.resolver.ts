import { Arg, Authorized, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from './auth-checker';
import { RequestContext } from '../common/context';
import { Viewer as ViewerClaims } from './jwt';
import { RoleEnum } from './role.enum';
import type { Role } from './roles';
import { fromGlobalId } from '../common/ids';
import { Node } from '../common/node';
import { EnterpriseClaimEntity } from '../enterprises/claim.entity';
import { canViewClaim } from '../enterprises/claim.resolver';
import { claimById, viewerClaim } from '../enterprises/claim.service';
import { EnterpriseClaim } from '../enterprises/claim.type';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { canViewEnterprise } from '../enterprises/enterprise.policy';
import { enterpriseById, viewerEnterpriseId } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { ProductEntity } from '../institutions/product.entity';
import { canViewNeed, needById } from '../needs/need.service';
import { visibleMatch } from '../matching/match.read';
import { CooperationAgreementEntity, PolicyRuleEntity, RiskCompensationPoolEntity, RiskSharingRuleEntity } from '../policy/policy.entity';
import { filterReadById } from '../privacy/credit-access.service';
import { ConsentEntity, CreditAccessEntity } from '../privacy/privacy.entity';
import { isManager, isSelf } from '../privacy/privacy.policy';
import { canViewLoan, loanById } from '../loans/loan.resolver';
import { entryById, whitelistById } from '../whitelists/whitelist.service';

@ObjectType('Viewer', { description: 'Who the token speaks for.' })
export class ViewerType {
  @Field({ description: 'The person (JWT `sub`).' })
  sub: string;

  @Field(() => RoleEnum, { description: 'Their role.' })
  role: Role;
}

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Authorized(ANY_ROLE)
  @Query(() => ViewerType, { description: 'The caller: role, and the enterprise or institution it acts for.' })
  viewer(@Ctx() ctx: RequestContext): ViewerClaims {
    return ctx.viewer!;
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: 'For an ENTERPRISE token: the enterprise its `sub` registered; null before registerEnterprise.' })
  async enterprise(@Root() viewer: ViewerClaims, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity | null> {
    if (viewer.role !== 'ENTERPRISE') return null;
    const id = await viewerEnterpriseId(ctx);
    return id ? enterpriseById(ctx).load(id) : null;
  }

  @FieldResolver(() => EnterpriseClaim, {
    nullable: true,
    description: 'For an ENTERPRISE token: its live claim — on the firm it registered, or a contest it filed — with its status (issue 11 §6); null when it has none.',
  })
  claim(@Root() viewer: ViewerClaims, @Ctx() ctx: RequestContext): Promise<EnterpriseClaimEntity | null> | null {
    return viewer.role === 'ENTERPRISE' ? viewerClaim(ctx) : null;
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'For BANK, GUARANTOR and INVESTOR tokens: their institution.' })
  institution(@Root() viewer: ViewerClaims, @Ctx() ctx: RequestContext): Promise<InstitutionEntity | null> | null {
    return viewer.institutionId ? institutionById(ctx).load(viewer.institutionId) : null;
  }

  @Authorized(ANY_ROLE)
  @Query(() => Node, { nullable: true, description: 'Any object by its id; null when it does not exist or the viewer may not see it.' })
  async node(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'An id this API issued.' }) id: string): Promise<object | null> {
    const parsed = fromGlobalId(id);
    if (!parsed) return null;
    const { type, uuid } = parsed;
    switch (type) {
      case 'Enterprise': {
        const e = await enterpriseById(ctx).load(uuid);
        return e && (await canViewEnterprise(ctx, e.id)) ? e : null;
      }
      case 'FinancingNeed': {
        const n = await needById(ctx).load(uuid);
        return n && (await canViewNeed(ctx, n)) ? n : null;
      }
      case 'Institution':
        return institutionById(ctx).load(uuid);
      case 'FinancialProduct':
        return ctx.db.getRepository(ProductEntity).findOneBy({ id: uuid });
      case 'RiskCompensationPool':
        return ctx.db.getRepository(RiskCompensationPoolEntity).findOneBy({ id: uuid });
      case 'Whitelist':
        return whitelistById(ctx).load(uuid);
      case 'WhitelistEntry': {
        const entry = await entryById(ctx).load(uuid);
        return entry && (await canViewEnterprise(ctx, entry.enterpriseId)) ? entry : null;
      }
      case 'Consent': {
        const consent = await ctx.db.getRepository(ConsentEntity).findOneBy({ id: uuid });
        if (!consent) return null;
        const mine = (await isSelf(ctx, consent.enterpriseId)) || ctx.viewer?.institutionId === consent.institutionId;
        return mine ? consent : null;
      }
      case 'CreditAccess': {
        const read = await ctx.db.getRepository(CreditAccessEntity).findOneBy({ id: uuid });
        if (!read) return null;
        const allowed = ctx.viewer?.role === 'AUTHORITY' || ctx.viewer?.role === 'ADMIN' || (await isSelf(ctx, read.enterpriseId));
        return allowed ? read : null;
      }
      case 'CreditFilterRead':
        return isManager(ctx) ? filterReadById(ctx).load(uuid) : null;
      case 'RiskSharingRule':
        return ctx.db.getRepository(RiskSharingRuleEntity).findOneBy({ id: uuid });
      case 'CooperationAgreement':
        return ctx.db.getRepository(CooperationAgreementEntity).findOneBy({ id: uuid });
      case 'PolicyRule':
        return ctx.db.getRepository(PolicyRuleEntity).findOneBy({ id: uuid });
      case 'Match':
        return visibleMatch(ctx, uuid);
      case 'EnterpriseClaim': {
        const claim = await claimById(ctx).load(uuid);
        return claim && canViewClaim(ctx, claim) ? claim : null;
      }
      case 'Loan': {
        const loan = await loanById(ctx).load(uuid);
        return loan && (await canViewLoan(ctx, loan)) ? loan : null;
      }
      default:
        return null;
    }
  }
}
