/**
 * The GraphQL schema: resolvers, scalars, the auth checker and input validation (`validateArgument`:
 * the text rule on every argument, then class-validator). `printedSchema` is what schema/schema.graphql holds.
 */
import 'reflect-metadata';
import { GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { authChecker } from './auth/auth-checker';
import { ViewerResolver } from './auth/viewer.resolver';
import { nodeTypeOf } from './common/node';
import { DateTimeScalar } from './common/scalars';
import { EnterpriseClaimEventResolver, EnterpriseClaimFieldsResolver, EnterpriseClaimResolver } from './enterprises/claim.resolver';
import { validateArgument } from './common/validation';
import { EnterpriseResolver } from './enterprises/enterprise.resolver';
import { InstitutionResolver, ProductResolver } from './institutions/institution.resolver';
import { EnterpriseNeedsResolver, FinancingNeedResolver } from './needs/need.resolver';
import { MatchLifecycleResolver } from './matching/lifecycle.resolver';
import { LoanPayloadResolver, LoanResolver, MatchLoansResolver } from './loans/loan.resolver';
import { InstitutionRenewalsResolver, LoanRenewalResolver, LoanScheduleResolver, PostLoanWarningResolver } from './loans/afterloan.resolver';
import { GuaranteeResolver, MatchGuaranteeResolver } from './loans/guarantee.resolver';
import { GuaranteeGrowthSubsidyResolver } from './policy/policy.growth.resolver';
import { CollectiveBondIssueResolver, CollectiveBondMemberResolver } from './policy/policy.bond.resolver';
import { GuaranteeQuoteResolver, MatchResolver, MatchTermsResolver, NeedMatchesResolver } from './matching/match.resolver';
import { BenchmarkRateResolver, CooperationAgreementResolver, PolicyRuleResolver, RiskCompensationPoolResolver, RiskSharingRuleResolver } from './policy/policy.resolver';
import { CreditProfileResolver, CreditRecordResolver, EnterpriseCreditResolver } from './credit/credit.resolver';
import { ConsentResolver, CreditAccessResolver, CreditFilterReadResolver, EnterpriseConsentResolver } from './privacy/privacy.resolver';
import { GuarantorStatsResolver, InstitutionActivityResolver, PoolStatsResolver, StatsResolver } from './stats/stats.resolver';
import { LoanRoadshowResolver, MatchRoadshowResolver, NeedRoadshowResolver, RoadshowInvitationResolver, RoadshowPitchResolver, RoadshowResolver } from './roadshows/roadshow.resolver';
import { LoanPoolClaimResolver, PoolClaimResolver } from './reviews/pool-claim.resolver';
import { ListingReserveResolver, LoanEntitlementsResolver, PolicyBudgetResolver, SubsidyClaimResolver, SubsidyEntitlementResolver } from './reviews/review.resolver';
import { AuthorityStatsResolver, AuthorityTargetResolver, GuarantorMonthsResolver, RoadshowFunnelResolver, TargetProgressResolver } from './stats/authority.resolver';
import { EnterpriseWhitelistResolver, WhitelistBatchResolver, WhitelistEntryResolver, WhitelistResolver } from './whitelists/whitelist.resolver';
import { EventResolver, NotificationResolver, WebhookResolver } from './events/events.resolver';
import { NeedOffersResolver, OfferResolver } from './offers/offer.resolver';
import { DocumentDownloadResolver, DocumentResolver } from './documents/document.resolver';

export const RESOLVERS = [
  OfferResolver,
  NeedOffersResolver,
  DocumentResolver,
  DocumentDownloadResolver,
  ViewerResolver,
  EnterpriseResolver,
  EnterpriseClaimResolver,
  EnterpriseClaimEventResolver,
  EnterpriseClaimFieldsResolver,
  EnterpriseNeedsResolver,
  FinancingNeedResolver,
  InstitutionResolver,
  ProductResolver,
  RiskCompensationPoolResolver,
  BenchmarkRateResolver,
  RiskSharingRuleResolver,
  CooperationAgreementResolver,
  PolicyRuleResolver,
  MatchResolver,
  MatchTermsResolver,
  GuaranteeQuoteResolver,
  NeedMatchesResolver,
  MatchLifecycleResolver,
  LoanResolver,
  MatchLoansResolver,
  LoanPayloadResolver,
  LoanScheduleResolver,
  LoanRenewalResolver,
  InstitutionRenewalsResolver,
  PostLoanWarningResolver,
  GuaranteeResolver,
  MatchGuaranteeResolver,
  GuaranteeGrowthSubsidyResolver,
  CollectiveBondIssueResolver,
  CollectiveBondMemberResolver,
  WhitelistEntryResolver,
  WhitelistResolver,
  WhitelistBatchResolver,
  EnterpriseWhitelistResolver,
  CreditProfileResolver,
  CreditRecordResolver,
  EnterpriseCreditResolver,
  ConsentResolver,
  CreditAccessResolver,
  CreditFilterReadResolver,
  EnterpriseConsentResolver,
  StatsResolver,
  InstitutionActivityResolver,
  GuarantorStatsResolver,
  PoolStatsResolver,
  RoadshowResolver,
  RoadshowInvitationResolver,
  RoadshowPitchResolver,
  NeedRoadshowResolver,
  MatchRoadshowResolver,
  LoanRoadshowResolver,
  AuthorityStatsResolver,
  AuthorityTargetResolver,
  GuarantorMonthsResolver,
  RoadshowFunnelResolver,
  TargetProgressResolver,
  SubsidyClaimResolver,
  SubsidyEntitlementResolver,
  LoanEntitlementsResolver,
  PoolClaimResolver,
  LoanPoolClaimResolver,
  PolicyBudgetResolver,
  ListingReserveResolver,
  EventResolver,
  WebhookResolver,
  NotificationResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Builds the schema once per process. */
export function finmatchSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...RESOLVERS] as [Function, ...Function[]],
    authChecker,
    authMode: 'error',
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateArgument,
    // type-graphql 2 asks for a pubSub once the schema has subscriptions. Ours subscribe through the
    // events' hub (events/event-hub.ts, fed by LISTEN/NOTIFY across processes); this in-process one is
    // there for @Subscription({ topics }) and serves nothing today.
    pubSub: createPubSub(),
  }).then((schema) => {
    const subscription = schema.getSubscriptionType();
    if (subscription) subscription.description = 'Events as they happen, over graphql-ws on /graphql, authenticated by the token in connectionParams (docs/EVENTS.md).';
    // type-graphql wraps every resolveType in an async function; compiled execution (common/compiled-execution.ts)
    // takes only a synchronous one, and Node's is.
    (schema.getType('Node') as GraphQLInterfaceType).resolveType = nodeTypeOf;
    readPropertiesDirectly(schema);
    return schema;
  });
  return built;
}

/**
 * type-graphql gives every field of an object type a resolver that reads the property through its
 * middleware and authorization chain, also when the field has neither: tens of thousands of calls on a
 * bank's page. A field with no roles, no middleware, no arguments and no field resolver, named as its
 * property, keeps graphql's default — the same read, which compiled execution inlines. A field that gains
 * `@Authorized` or a middleware keeps type-graphql's resolver, as before.
 */
function readPropertiesDirectly(schema: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const resolved = new Map<Function, Set<string>>();
  for (const r of storage.fieldResolvers) {
    const target = r.getObjectType?.();
    if (target) resolved.set(target, (resolved.get(target) ?? new Set()).add(r.methodName));
  }
  for (const objectType of storage.objectTypes) {
    const type = schema.getType(objectType.name);
    if (!(type instanceof GraphQLObjectType)) continue;
    const fields = type.getFields();
    for (const field of objectType.fields ?? []) {
      if (field.roles !== undefined || field.middlewares?.length || field.params?.length || field.schemaName !== field.name) continue;
      if (resolved.get(field.target)?.has(field.name)) continue;
      const built = fields[field.schemaName];
      if (built) built.resolve = undefined;
    }
  }
}

/** The SDL as committed in schema/schema.graphql: sorted, so the file changes only when the schema does. */
export function printedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
