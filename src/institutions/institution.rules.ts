/**
 * R12 — institutions and products: kinds, and which kind of need each product kind serves.
 */
import type { Role } from '../auth/roles';
import type { NeedKind } from '../needs/need.rules';

export const INSTITUTION_KINDS = ['BANK', 'GUARANTOR', 'RE_GUARANTOR', 'INVESTOR', 'GOVERNMENT_FUND', 'MICROLOAN', 'LEASING', 'INSURER', 'AUTHORITY'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** Kinds that carry a guarantee profile (R6). */
export const GUARANTEE_KINDS: readonly InstitutionKind[] = ['GUARANTOR', 'RE_GUARANTOR'];

/**
 * Which institutions a token role speaks for (issue 11 §2): BANK for lenders and other providers of loan
 * products (banks, microloan, leasing and insurance companies), GUARANTOR for guarantors and
 * re-guarantors, INVESTOR for investors and government funds. An AUTHORITY institution has no staff
 * tokens of its own: its people hold AUTHORITY tokens, which name no institution.
 */
export const INSTITUTION_KINDS_OF_ROLE: Partial<Record<Role, readonly InstitutionKind[]>> = {
  BANK: ['BANK', 'MICROLOAN', 'LEASING', 'INSURER'],
  GUARANTOR: GUARANTEE_KINDS,
  INVESTOR: ['INVESTOR', 'GOVERNMENT_FUND'],
};

/** True when a `role` token may speak for an institution of this kind. */
export function roleSpeaksFor(role: Role, kind: InstitutionKind): boolean {
  return INSTITUTION_KINDS_OF_ROLE[role]?.includes(kind) ?? false;
}

export const PRODUCT_KINDS = [
  'CREDIT_LOAN', 'FIRST_LOAN', 'GUARANTEED_LOAN', 'IP_PLEDGE_LOAN', 'RECEIVABLES_FINANCING', 'SUPPLY_CHAIN', 'WAREHOUSE_RECEIPT',
  'MORTGAGE_LOAN', 'TURNOVER_FUND', 'LEASING', 'LISTING_LOAN', 'EQUITY_INVESTMENT', 'INVESTMENT_LOAN_LINKAGE',
] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

/** Which need kinds a product kind can serve: equity investment serves equity; 投贷联动 serves both. */
export function needKindsServed(kind: ProductKind): NeedKind[] {
  if (kind === 'EQUITY_INVESTMENT') return ['EQUITY'];
  if (kind === 'INVESTMENT_LOAN_LINKAGE') return ['LOAN', 'EQUITY'];
  return ['LOAN'];
}

/** Default cap on the amplification multiple (融资担保公司监督管理条例 Art. 15): 10, or 15 for a guarantor mainly serving small, micro and agricultural borrowers. */
export function defaultCapMultiple(smallMicroFocused: boolean): number {
  return smallMicroFocused ? 15 : 10;
}
