import { Arg, Authorized, Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from './auth-checker';
import { RequestContext } from '../common/context';
import { Viewer as ViewerClaims } from './jwt';
import { RoleEnum } from './role.enum';
import type { Role } from './roles';
import { fetchNode, Node } from '../common/node';
import { EnterpriseClaimEntity } from '../enterprises/claim.entity';
import { viewerClaim } from '../enterprises/claim.service';
import { EnterpriseClaim } from '../enterprises/claim.type';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById, viewerEnterpriseId } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';

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
  node(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'An id this API issued.' }) id: string): Promise<object | null> {
    return fetchNode(ctx, id);
  }
}
