/**
 * What the matching engine reads (R13): plain data, loaded by matching/facts.service.ts. No TypeORM, no
 * GraphQL here (STYLE.md: the engine is testable without a database).
 */
import type { Decimal } from '../../common/decimal';
import type { CreditFacts } from '../../credit/credit.conditions';
import type { CreditRating, TaxGrade } from '../../credit/grades';
import type { Sector, SizeClass } from '../../enterprises/size-class';
import type { ProductKind } from '../../institutions/institution.rules';
import type { CollateralType, EquityStage, NeedKind } from '../../needs/need.rules';
import type { CapacityFigures } from '../../policy/amplification';
import type { QuoteContext } from '../../policy/calculator';
import type { RuleEligibility } from '../../policy/eligibility';
import type { QuotedRule } from '../../policy/quotes';
import type { QualificationTier } from '../../whitelists/tier';

export interface NeedFacts {
  id: string;
  enterpriseId: string;
  kind: NeedKind;
  amount: Decimal;
  termMonths: number | null;
  collateralOffered: CollateralType[];
  maxAnnualRate: Decimal | null;
  acceptGuarantee: boolean;
  equityStage: EquityStage | null;
  preMoneyValuation: Decimal | null;
}

/** What the guarantee, the terms and the score read of a firm: the candidate SQL decided the rest. */
export interface BorrowerFacts {
  id: string;
  regionCode: string;
  sector: Sector;
  sizeClass: SizeClass;
  industryChains: string[];
  sectorTags: string[];
  foundedOn: string | null;
}

/** Everything the checks read of a firm. */
export interface EnterpriseFacts extends BorrowerFacts {
  /** Qualification codes valid today. */
  qualifications: string[];
  /** The highest whitelist tier the firm holds today (R4), or null when on no whitelist. */
  whitelistTier: QualificationTier | null;
  /** The current credit profile (R5), or null when none was imported. */
  credit: CreditFacts | null;
  /** Annual revenue in CNY as the firm states it (R3); null or absent when it states none. */
  revenue?: Decimal | null;
}

export interface ProductFacts {
  id: string;
  institutionId: string;
  kind: ProductKind;
  needKind: NeedKind;
  enabled: boolean;
  activeFrom: string | null;
  activeTo: string | null;
  minAmount: Decimal;
  maxAmount: Decimal;
  minTermMonths: number | null;
  maxTermMonths: number | null;
  minAnnualRate: Decimal | null;
  collateralAccepted: CollateralType[];
  requiresGuarantee: boolean;
  regionPrefixes: string[];
  sectors: Sector[];
  industryChains: string[];
  sizeClasses: SizeClass[];
  minYearsInBusiness: number | null;
  whitelistTierAtLeast: QualificationTier | null;
  qualifications: string[];
  minRating: CreditRating | null;
  minTaxGrade: TaxGrade | null;
  noActiveDishonesty: boolean;
  maxOverdueCount12m: number | null;
  maxCreditDataAgeDays: number | null;
  firstLoanOnly: boolean;
  /** Minimum annual revenue, CNY (null or absent: none). */
  minAnnualRevenue?: Decimal | null;
  equityStages: EquityStage[];
  minTicket: Decimal | null;
  maxTicket: Decimal | null;
  maxPreMoneyValuation: Decimal | null;
  version: number;
}

/** A guarantor a bank can route a guarantee to: an agreement (R7) and the guarantor's R6 figures. */
export interface GuarantorOption {
  guarantorId: string;
  guarantorName: string;
  bankId: string;
  /** The agreement's fee, else the guarantor's own. */
  feeRate: Decimal;
  /** 1 − the bank's share under the agreement's risk-sharing rule (R7). */
  coverageRatio: Decimal;
  figures: CapacityFigures;
}

/** A policy rule version in force (R8, R9): the rule as policy/quotes.ts prices it, and the loans it concerns. */
export interface PolicyRuleFacts extends QuotedRule, RuleEligibility {}

/** Everything outside the need, the firm and the product that a decision reads. */
export interface MatchContext extends QuoteContext {
  today: string;
  /** Guarantors with an agreement, by bank id. */
  guarantorsByBank: ReadonlyMap<string, readonly GuarantorOption[]>;
  /** A borrower's live guaranteed balance with a guarantor (R6 weight and single-borrower limit). */
  borrowerBalance(guarantorId: string, enterpriseId: string): Decimal;
  rules: readonly PolicyRuleFacts[];
}
