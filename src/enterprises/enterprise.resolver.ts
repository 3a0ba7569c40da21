import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ANY_ROLE } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { badArgument } from '../common/errors';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { localize } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from './enterprise.entity';
import { RegisterEnterpriseInput, SetEnterpriseQualificationsInput, UpdateEnterpriseProfileInput } from './enterprise.inputs';
import { canSeePrivate, isSelf } from '../privacy/privacy.policy';
import { assertCanViewEnterprise, canViewEnterprise } from './enterprise.policy';
import {
  creditCodeFailure, enterpriseById, findByCreditCode, listIndustryChains, ownedByEnterpriseId, qualificationsByEnterpriseId,
  registerEnterprise, setAuthorityQualifications, updateEnterpriseProfile,
} from './enterprise.service';
import { Contact, Enterprise, IndustryChain, Qualification } from './enterprise.type';

export const EnterprisePayload = payloadType('EnterprisePayload', 'enterprise', () => Enterprise, 'Result of registering or changing an enterprise.');

registerNode<EnterpriseEntity>({ typename: 'Enterprise', load: (ctx, id) => enterpriseById(ctx).load(id), visible: (ctx, e) => canViewEnterprise(ctx, e.id) });

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Authorized(ANY_ROLE)
  @Query(() => Enterprise, {
    nullable: true,
    description: 'One enterprise by its credit code (trimmed, upper-cased). An ENTERPRISE token may ask only for its own.',
  })
  async enterprise(@Ctx() ctx: RequestContext, @Arg('creditCode', { description: '统一社会信用代码.' }) creditCode: string): Promise<EnterpriseEntity | null> {
    const problem = creditCodeFailure(['creditCode'], creditCode);
    if (problem) {
      throw badArgument(localize(ctx.lang, problem).message, 'creditCode', { reason: problem.code });
    }
    const enterprise = await findByCreditCode(ctx, creditCode);
    await assertCanViewEnterprise(ctx, enterprise);
    return enterprise;
  }

  @Authorized(ANY_ROLE)
  @Query(() => [IndustryChain], { description: 'The industry chains (产业链) enterprises and products can name.' })
  industryChains(@Ctx() ctx: RequestContext) {
    return listIndustryChains(ctx);
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => EnterprisePayload, {
    description:
      'Registers the caller\'s enterprise and binds the token\'s `sub` to it with a claim (issue 11 §6): VERIFIED when the token carries this credit code as verified (`creditCode` + `creditCodeVerified: true`), else PENDING until an authority confirms it (see `viewer.claim`). On a credit code an import created without an owner, claims it and fills its profile (an unverified claim keeps a whitelisted firm\'s name and region: REGISTERED_FACT_LOCKED); on one with an owner, CREDIT_CODE_TAKEN — unless the token is verified for the code and the holder\'s claim is not, which displaces the holder. Sector tags and qualifications given here are the firm\'s declared ones.',
  })
  async registerEnterprise(@Ctx() ctx: AuthedContext, @Arg('input', () => RegisterEnterpriseInput) input: RegisterEnterpriseInput) {
    return toPayload(ctx, 'enterprise', await registerEnterprise(ctx, ctx.viewer.sub, input));
  }

  @Authorized(['ENTERPRISE', 'ADMIN'])
  @PayloadMutation(() => EnterprisePayload, { description: 'Changes an enterprise profile and recomputes its size class (R2).' })
  async updateEnterpriseProfile(@Ctx() ctx: AuthedContext, @Arg('input', () => UpdateEnterpriseProfileInput) input: UpdateEnterpriseProfileInput) {
    return toPayload(ctx, 'enterprise', await updateEnterpriseProfile(ctx, input));
  }

  @Authorized(['AUTHORITY'])
  @PayloadMutation(() => EnterprisePayload, {
    description:
      'Records the sector tags and qualifications an authority vouches for (issue 11 §6): the only ones products\' QUALIFICATION check, risk-compensation pools and subsidies read. The firm\'s declared ones stay as declared. Its matches are refreshed. A regional authority records them for firms of its region only (OUTSIDE_AUTHORITY_REGION).',
  })
  async setEnterpriseQualifications(@Ctx() ctx: AuthedContext, @Arg('input', () => SetEnterpriseQualificationsInput) input: SetEnterpriseQualificationsInput) {
    return toPayload(ctx, 'enterprise', await setAuthorityQualifications(ctx, input));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() e: EnterpriseEntity): string {
    return toGlobalId('Enterprise', e.id);
  }

  @FieldResolver(() => Boolean, { description: 'True once a user registered (claimed) the enterprise; false for a record an import created.' })
  claimed(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ownedByEnterpriseId(ctx).load(e.id);
  }

  @FieldResolver(() => [Qualification], { description: 'Qualifications held, with validity (R3).' })
  qualifications(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext) {
    return qualificationsByEnterpriseId(ctx).load(e.id);
  }

  @FieldResolver(() => Contact, { nullable: true, description: 'Contact details: null unless the viewer may see them (R10: the enterprise itself, or an institution it consented to).' })
  async contact(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext): Promise<Contact | null> {
    // The holder sees what it entered, verified or not; others by R10.
    if (!(await isSelf(ctx, e.id)) && !(await canSeePrivate(ctx, e.id))) return null;
    return { person: e.contactPerson, phone: e.contactPhone, email: e.contactEmail };
  }
}
