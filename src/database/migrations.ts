/** Migrations in order. Append-only: a landed migration is never edited (DEVELOPERS.md). */
import { Foundation1763771000000 } from '../../migrations/1763771000000-Foundation';
import { WhitelistsCreditPrivacy1763900000000 } from '../../migrations/1763900000000-WhitelistsCreditPrivacy';
import { SearchWithoutOverdue1763900000001 } from '../../migrations/1763900000001-SearchWithoutOverdue';
import { Matching1764100000000 } from '../../migrations/1764100000000-Matching';
import { MatchingAtScale1764200000000 } from '../../migrations/1764200000000-MatchingAtScale';
import { WhitelistSearchLocks1764300000000 } from '../../migrations/1764300000000-WhitelistSearchLocks';
import { LoansAndLedger1764400000000 } from '../../migrations/1764400000000-LoansAndLedger';
import { RateLimits1764520000000 } from '../../migrations/1764520000000-RateLimits';
import { CreditFilterAudit1764550000000 } from '../../migrations/1764550000000-CreditFilterAudit';
import { EnterpriseClaims1764560000000 } from '../../migrations/1764560000000-EnterpriseClaims';
import { MinAnnualRevenue1764600000000 } from '../../migrations/1764600000000-MinAnnualRevenue';
import { LedgerPostings1764620000000 } from '../../migrations/1764620000000-LedgerPostings';
import { DatabaseClock1764640000000 } from '../../migrations/1764640000000-DatabaseClock';
import { ProductCatalogVersion1764650000000 } from '../../migrations/1764650000000-ProductCatalogVersion';
import { RunningTotals1764660000000 } from '../../migrations/1764660000000-RunningTotals';
import { Events1764670000000 } from '../../migrations/1764670000000-Events';
import { PolicyFigures1764680000000 } from '../../migrations/1764680000000-PolicyFigures';
import { RoadshowsAndTargets1764690000000 } from '../../migrations/1764690000000-RoadshowsAndTargets';
import { CreditAccessBatches1764700000000 } from '../../migrations/1764700000000-CreditAccessBatches';
import { OffersAndDocuments1764710000000 } from '../../migrations/1764710000000-OffersAndDocuments';
import { AfterTheLoan1764720000000 } from '../../migrations/1764720000000-AfterTheLoan';
import { Reviews1764730000000 } from '../../migrations/1764730000000-Reviews';
import { PoolClaims1764740000000 } from '../../migrations/1764740000000-PoolClaims';
import { WhitelistRegions1764750000000 } from '../../migrations/1764750000000-WhitelistRegions';
import { TimeOrderedIds1764760000000 } from '../../migrations/1764760000000-TimeOrderedIds';
import { LoanOldestUnpaid1764770000000 } from '../../migrations/1764770000000-LoanOldestUnpaid';

export const MIGRATIONS = [
  Foundation1763771000000,
  WhitelistsCreditPrivacy1763900000000,
  SearchWithoutOverdue1763900000001,
  Matching1764100000000,
  MatchingAtScale1764200000000,
  WhitelistSearchLocks1764300000000,
  LoansAndLedger1764400000000,
  RateLimits1764520000000,
  CreditFilterAudit1764550000000,
  EnterpriseClaims1764560000000,
  MinAnnualRevenue1764600000000,
  LedgerPostings1764620000000,
  DatabaseClock1764640000000,
  ProductCatalogVersion1764650000000,
  RunningTotals1764660000000,
  Events1764670000000,
  PolicyFigures1764680000000,
  RoadshowsAndTargets1764690000000,
  CreditAccessBatches1764700000000,
  OffersAndDocuments1764710000000,
  AfterTheLoan1764720000000,
  Reviews1764730000000,
  PoolClaims1764740000000,
  WhitelistRegions1764750000000,
  TimeOrderedIds1764760000000,
  LoanOldestUnpaid1764770000000,
];
