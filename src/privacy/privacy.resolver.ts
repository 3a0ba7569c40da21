import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { MANAGERS } from '../auth/auth-checker';
import { AuthedContext, RequestContext } from '../common/context';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { payloadType, toPayload } from '../common/payload';
import { PayloadMutation } from '../common/validation';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById } from '../enterprises/enterprise.service';
import { Enterprise } from '../enterprises/enterprise.type';
import { InstitutionEntity } from '../institutions/institution.entity';
import { institutionById } from '../institutions/institution.service';
import { Institution } from '../institutions/institution.type';
import { creditAccessById, creditAccessPage, creditFilterPage, filterReadById } from './credit-access.service';
import { consentsByEnterpriseId, grantConsent, revokeConsent } from './consent.service';
import { ConsentEntity, CreditAccessEntity, CreditFilterReadEntity } from './privacy.entity';
import { canViewConsent, canViewCreditAccess, isManager, isSelf } from './privacy.policy';
import { Consent, ConsentInput, CreditAccess, CreditAccessConnection, CreditAccessFilter, CreditFilterRead, CreditFilterReadConnection } from './privacy.type';

export const ConsentPayload = payloadType('ConsentPayload', 'consent', () => Consent, 'Result of granting or revoking a consent.');

registerNode<ConsentEntity>({ typename: 'Consent', load: (ctx, id) => ctx.db.getRepository(ConsentEntity).findOneBy({ id }), visible: canViewConsent });
registerNode<CreditAccessEntity>({ typename: 'CreditAccess', load: (ctx, id) => creditAccessById(ctx).load(id), visible: canViewCreditAccess });
registerNode<CreditFilterReadEntity>({ typename: 'CreditFilterRead', load: (ctx, id) => filterReadById(ctx).load(id), visible: isManager });

@Resolver(() => Consent)
export class ConsentResolver {
  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => ConsentPayload, {
    description: 'The caller\'s enterprise lets the institution see its contact details and full credit history (R10). Granting again returns the consent in force.',
  })
  async grantConsent(@Ctx() ctx: AuthedContext, @Arg('input', () => ConsentInput) input: ConsentInput) {
    return toPayload(ctx, 'consent', await grantConsent(ctx, input.institutionId));
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => ConsentPayload, { description: 'Ends the consent in force (CONSENT_NOT_GRANTED when there is none); from then on the institution sees neither.' })
  async revokeConsent(@Ctx() ctx: AuthedContext, @Arg('input', () => ConsentInput) input: ConsentInput) {
    return toPayload(ctx, 'consent', await revokeConsent(ctx, input.institutionId));
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() c: ConsentEntity): string {
    return toGlobalId('Consent', c.id);
  }

  @FieldResolver(() => Institution, { description: 'The institution consented to.' })
  async institution(@Root() c: ConsentEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity> {
    return (await institutionById(ctx).load(c.institutionId))!;
  }

  @FieldResolver(() => Enterprise, { description: 'The enterprise that consented.' })
  async enterprise(@Root() c: ConsentEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(c.enterpriseId))!;
  }

  @FieldResolver(() => Boolean, { description: 'True while in force.' })
  active(@Root() c: ConsentEntity): boolean {
    return c.revokedAt === null;
  }
}

@Resolver(() => CreditAccess)
export class CreditAccessResolver {
  @Authorized([...MANAGERS, 'ENTERPRISE'])
  @Query(() => CreditAccessConnection, {
    description:
      'The audit of credit-data reads (R10), newest first: who read which enterprise\'s credit data, when, which fields. Authorities and admins see every read; an enterprise sees the reads of its own data.',
  })
  creditAccessLog(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CreditAccessFilter, { nullable: true }) filter: CreditAccessFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return creditAccessPage(ctx, filter, { first, after });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() a: CreditAccessEntity): string {
    return toGlobalId('CreditAccess', a.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'The reader (JWT `sub`); hidden (null) from the enterprise, which sees the institution and role.' })
  sub(@Root() a: CreditAccessEntity, @Ctx() ctx: RequestContext): string | null {
    return ctx.viewer?.role === 'ENTERPRISE' ? null : a.sub;
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'The reader\'s institution (BANK, GUARANTOR and INVESTOR tokens).' })
  institution(@Root() a: CreditAccessEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity | null> | null {
    return a.institutionId ? institutionById(ctx).load(a.institutionId) : null;
  }

  @FieldResolver(() => Enterprise, { description: 'The enterprise whose data was read.' })
  async enterprise(@Root() a: CreditAccessEntity, @Ctx() ctx: RequestContext): Promise<EnterpriseEntity> {
    return (await enterpriseById(ctx).load(a.enterpriseId))!;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the detail (consent-only fields) was shown: the enterprise had consented to the reader\'s institution.' })
  detailShown(@Root() a: CreditAccessEntity): boolean {
    return a.consented;
  }

  @FieldResolver(() => CreditFilterRead, {
    nullable: true,
    description: 'The filtered read (a whitelist page with credit criteria) that returned the firm, with its criteria and counts; shown to authorities and admins (null for the enterprise, and for direct reads).',
  })
  filterRead(@Root() a: CreditAccessEntity, @Ctx() ctx: RequestContext): Promise<CreditFilterReadEntity | null> | null {
    if (!a.filterReadId || !isManager(ctx)) return null;
    return filterReadById(ctx).load(a.filterReadId);
  }
}

@Resolver(() => CreditFilterRead)
export class CreditFilterReadResolver {
  @Authorized(MANAGERS)
  @Query(() => CreditFilterReadConnection, {
    description:
      'The audit of filtered credit-data reads (R10), newest first: each whitelist page with credit criteria — who, when, the criteria, the other filters, how many firms were read, kept, excluded and returned. `filter.creditCode` gives the reads that returned that firm. For authorities and admins.',
  })
  creditFilterLog(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CreditAccessFilter, { nullable: true }) filter: CreditAccessFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
  ) {
    return creditFilterPage(ctx, filter, { first, after });
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() f: CreditFilterReadEntity): string {
    return toGlobalId('CreditFilterRead', f.id);
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'The reader\'s institution (BANK tokens).' })
  institution(@Root() f: CreditFilterReadEntity, @Ctx() ctx: RequestContext): Promise<InstitutionEntity | null> | null {
    return f.institutionId ? institutionById(ctx).load(f.institutionId) : null;
  }

  @FieldResolver(() => Int)
  firmsRead(@Root() f: CreditFilterReadEntity): number {
    return f.readCount;
  }

  @FieldResolver(() => Int)
  firmsKept(@Root() f: CreditFilterReadEntity): number {
    return f.keptCount;
  }

  @FieldResolver(() => Int)
  firmsExcluded(@Root() f: CreditFilterReadEntity): number {
    return f.readCount - f.keptCount;
  }

  @FieldResolver(() => Int)
  firmsReturned(@Root() f: CreditFilterReadEntity): number {
    return f.returnedCount;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseConsentResolver {
  @FieldResolver(() => [Consent], { nullable: true, description: 'Its consents, newest first, revoked ones included; shown only to the enterprise itself (null for others).' })
  async consents(@Root() e: EnterpriseEntity, @Ctx() ctx: RequestContext): Promise<ConsentEntity[] | null> {
    if (!(await isSelf(ctx, e.id))) return null;
    return consentsByEnterpriseId(ctx).load(e.id);
  }
}
