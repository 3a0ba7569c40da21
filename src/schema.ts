/**
 * The GraphQL schema: resolvers, scalars, the auth checker and input validation (`validateArgument`:
 * the text rule on every argument, then class-validator). `printedSchema` is what schema/schema.graphql holds.
 */
import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { authChecker } from './auth/auth-checker';
import { ViewerResolver } from './auth/viewer.resolver';
import { DateTimeScalar } from './common/scalars';
import { EnterpriseClaimEventResolver, EnterpriseClaimFieldsResolver, EnterpriseClaimResolver } from './enterprises/claim.resolver';
import { validateArgument } from './common/validation';
import { EnterpriseResolver } from './enterprises/enterprise.resolver';
import { InstitutionResolver, ProductResolver } from './institutions/institution.resolver';
import { EnterpriseNeedsResolver, FinancingNeedResolver } from './needs/need.resolver';
import { MatchLifecycleResolver } from './matching/lifecycle.resolver';
import { LoanResolver, MatchLoansResolver } from './loans/loan.resolver';
import { GuaranteeQuoteResolver, MatchResolver, MatchTermsResolver, NeedMatchesResolver } from './matching/match.resolver';
import { BenchmarkRateResolver, CooperationAgreementResolver, PolicyRuleResolver, RiskCompensationPoolResolver, RiskSharingRuleResolver } from './policy/policy.resolver';
import { CreditProfileResolver, CreditRecordResolver, EnterpriseCreditResolver } from './credit/credit.resolver';
import { ConsentResolver, CreditAccessResolver, CreditFilterReadResolver, EnterpriseConsentResolver } from './privacy/privacy.resolver';
import { GuarantorStatsResolver, InstitutionActivityResolver, PoolStatsResolver, StatsResolver } from './stats/stats.resolver';
import { EnterpriseWhitelistResolver, WhitelistBatchResolver, WhitelistEntryResolver, WhitelistResolver } from './whitelists/whitelist.resolver';
import { EventResolver, NotificationResolver, WebhookResolver } from './events/events.resolver';

export const RESOLVERS = [
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
    return schema;
  });
  return built;
}

/** The SDL as committed in schema/schema.graphql: sorted, so the file changes only when the schema does. */
export function printedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
