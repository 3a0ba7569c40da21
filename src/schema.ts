/**
 * The GraphQL schema: resolvers, scalars, the auth checker and input validation (`validateArgument`:
 * the text rule on every argument, then class-validator). `printedSchema` is what schema/schema.graphql holds.
 */
import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth/auth-checker';
import { ViewerResolver } from './auth/viewer.resolver';
import { DateTimeScalar } from './common/scalars';
import { EnterpriseClaimEventResolver, EnterpriseClaimFieldsResolver, EnterpriseClaimResolver } from './enterprises/claim.resolver';
import { validateArgument } from './common/validation';
import { EnterpriseResolver } from './enterprises/enterprise.resolver';
import { InstitutionResolver, ProductResolver } from './institutions/institution.resolver';
import { EnterpriseNeedsResolver, FinancingNeedResolver } from './needs/need.resolver';
import { MatchLifecycleResolver } from './matching/lifecycle.resolver';
import { LoanPayloadResolver, LoanResolver, MatchLoansResolver } from './loans/loan.resolver';
import { GuaranteeResolver, MatchGuaranteeResolver } from './loans/guarantee.resolver';
import { GuaranteeGrowthSubsidyResolver } from './policy/policy.growth.resolver';
import { CollectiveBondIssueResolver, CollectiveBondMemberResolver } from './policy/policy.bond.resolver';
import { GuaranteeQuoteResolver, MatchResolver, MatchTermsResolver, NeedMatchesResolver } from './matching/match.resolver';
import { BenchmarkRateResolver, CooperationAgreementResolver, PolicyRuleResolver, RiskCompensationPoolResolver, RiskSharingRuleResolver } from './policy/policy.resolver';
import { CreditProfileResolver, CreditRecordResolver, EnterpriseCreditResolver } from './credit/credit.resolver';
import { ConsentResolver, CreditAccessResolver, CreditFilterReadResolver, EnterpriseConsentResolver } from './privacy/privacy.resolver';
import { GuarantorStatsResolver, InstitutionActivityResolver, PoolStatsResolver, StatsResolver } from './stats/stats.resolver';
import { EnterpriseWhitelistResolver, WhitelistBatchResolver, WhitelistEntryResolver, WhitelistResolver } from './whitelists/whitelist.resolver';

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
  LoanPayloadResolver,
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
  });
  return built;
}

/** The SDL as committed in schema/schema.graphql: sorted, so the file changes only when the schema does. */
export function printedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
