/**
 * R11 — financing needs: kinds, purposes, collateral, equity stages, channels and the status lifecycle.
 * OPEN → MATCHED → IN_PROGRESS → FUNDED, or WITHDRAWN / CLOSED_UNFUNDED / EXPIRED (past needed-by).
 */
export const NEED_KINDS = ['LOAN', 'EQUITY'] as const;
export type NeedKind = (typeof NEED_KINDS)[number];

export const NEED_STATUSES = ['OPEN', 'MATCHED', 'IN_PROGRESS', 'FUNDED', 'WITHDRAWN', 'CLOSED_UNFUNDED', 'EXPIRED'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];

/** Statuses in which a need is still being worked: it can be withdrawn, can expire, and blocks a duplicate. */
export const ACTIVE_NEED_STATUSES: readonly NeedStatus[] = ['OPEN', 'MATCHED', 'IN_PROGRESS'];

export const LOAN_PURPOSES = ['WORKING_CAPITAL', 'EQUIPMENT', 'R_AND_D', 'EXPANSION', 'REFINANCING', 'TRADE', 'OTHER'] as const;
export type LoanPurpose = (typeof LOAN_PURPOSES)[number];

export const COLLATERAL_TYPES = ['NONE', 'REAL_ESTATE', 'EQUIPMENT', 'RECEIVABLES', 'WAREHOUSE_RECEIPT', 'IP_PLEDGE', 'EQUITY_PLEDGE'] as const;
export type CollateralType = (typeof COLLATERAL_TYPES)[number];

export const EQUITY_STAGES = ['SEED', 'ANGEL', 'SERIES_A', 'SERIES_B', 'SERIES_C_PLUS', 'PRE_IPO'] as const;
export type EquityStage = (typeof EQUITY_STAGES)[number];

export const CHANNELS = ['MINI_PROGRAM', 'WEB', 'BANK_REFERRAL', 'ROADSHOW'] as const;
export type Channel = (typeof CHANNELS)[number];

export const TERM_MONTHS_MIN = 1;
export const TERM_MONTHS_MAX = 360;

export function isActive(status: NeedStatus): boolean {
  return ACTIVE_NEED_STATUSES.includes(status);
}

/** The status a reader sees: an active need past its needed-by date has expired, swept or not yet. */
export function effectiveStatus(status: NeedStatus, neededBy: string | null, today: string): NeedStatus {
  return isActive(status) && neededBy !== null && neededBy < today ? 'EXPIRED' : status;
}
