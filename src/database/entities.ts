/** Every entity the DataSource knows; one list, shared by the server, the CLI and ormconfig.ts. */
import { EnterpriseClaimEntity, EnterpriseClaimEventEntity } from '../enterprises/claim.entity';
import { EnterpriseEntity, EnterpriseQualificationEntity, EnterpriseUserEntity, IndustryChainEntity } from '../enterprises/enterprise.entity';
import { GuarantorProfileEntity, InstitutionEntity } from '../institutions/institution.entity';
import { ProductEntity } from '../institutions/product.entity';
import { FinancingNeedEntity, IdempotencyKeyEntity } from '../needs/need.entity';
import {
  BenchmarkRateEntity, CollectiveBondIssueEntity, CollectiveBondMemberEntity, CooperationAgreementEntity, PolicyRuleEntity, RiskCompensationPoolEntity, RiskSharingRuleEntity,
} from '../policy/policy.entity';
import { MatchEntity } from '../matching/match.entity';
import { LoanEntity } from '../loans/loan.entity';
import { GuaranteeRequestEntity } from '../loans/guarantee.entity';
import { CreditImportEntity, CreditProfileEntity, CreditRecordEntity } from '../credit/credit.entity';
import { ConsentEntity, CreditAccessEntity, CreditFilterReadEntity } from '../privacy/privacy.entity';
import { RoadshowEntity, RoadshowInvitationEntity, RoadshowPitchEntity } from '../roadshows/roadshow.entity';
import { ListingReserveEntryEntity, PolicyBudgetEntity, PoolClaimEntity, SubsidyClaimEntity, SubsidyEntitlementEntity } from '../reviews/review.entity';
import { AuthorityTargetEntity } from '../stats/target.entity';
import { OfferEntity } from '../offers/offer.entity';
import { DocumentEntity } from '../documents/document.entity';
import { WhitelistBatchEntity, WhitelistEntity, WhitelistEntryEntity, WhitelistSearchEntity } from '../whitelists/whitelist.entity';

export const ENTITIES = [
  EnterpriseEntity,
  EnterpriseQualificationEntity,
  EnterpriseUserEntity,
  EnterpriseClaimEntity,
  EnterpriseClaimEventEntity,
  IndustryChainEntity,
  InstitutionEntity,
  GuarantorProfileEntity,
  ProductEntity,
  FinancingNeedEntity,
  IdempotencyKeyEntity,
  BenchmarkRateEntity,
  RiskCompensationPoolEntity,
  RiskSharingRuleEntity,
  CooperationAgreementEntity,
  PolicyRuleEntity,
  CollectiveBondIssueEntity,
  CollectiveBondMemberEntity,
  MatchEntity,
  LoanEntity,
  GuaranteeRequestEntity,
  WhitelistEntity,
  WhitelistBatchEntity,
  WhitelistEntryEntity,
  WhitelistSearchEntity,
  CreditImportEntity,
  CreditRecordEntity,
  CreditProfileEntity,
  ConsentEntity,
  CreditAccessEntity,
  CreditFilterReadEntity,
  RoadshowEntity,
  RoadshowInvitationEntity,
  RoadshowPitchEntity,
  AuthorityTargetEntity,
  OfferEntity,
  DocumentEntity,
  SubsidyEntitlementEntity,
  SubsidyClaimEntity,
  PoolClaimEntity,
  PolicyBudgetEntity,
  ListingReserveEntryEntity,
];
