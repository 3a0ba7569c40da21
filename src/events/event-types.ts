/**
 * Issue 15 §1 — the domain events and who hears them (docs/EVENTS.md). Plain data: the outbox writers,
 * the dispatcher's fan-out, the subscriptions and the notifications all read this table, so adding a kind
 * of event is one line here, its words in events.messages.ts, and one `raiseEvent` call where it happens.
 *
 * Audiences follow R10: `institution` events reach the match's institution (and the guarantor a match or
 * loan is routed to) — its inbox, its webhooks; `enterprise` events reach the firm whose need it is — its
 * subscription, its notifications. Neither side hears what it could not read through the API.
 */
export const EVENT_TYPES = [
  'MATCH_PROPOSED',
  'MATCH_DEADLINE_APPROACHING',
  'MATCH_LAPSED',
  'MATCH_CONTACTED',
  'MATCH_DECLINED',
  'OFFER_MADE',
  'OFFER_ACCEPTED',
  'OFFER_DECLINED',
  'OFFER_EXPIRED',
  'LOAN_DISBURSED',
  'REPAYMENT_DUE',
  'NEW_ELIGIBLE_PRODUCT',
  'RENEWAL_REQUESTED',
  'RENEWAL_APPROVED',
  'RENEWAL_REFUSED',
  'RENEWAL_LAPSED',
  'WARNING',
  'POOL_CLAIM_APPROVED',
  'POOL_CLAIM_REJECTED',
  'POOL_CLAIM_PAID',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface EventAudience {
  /** The institution (and guarantor) of the match or loan hears it: inbox subscription, webhooks. */
  institution: boolean;
  /** The enterprise whose need it is hears it: its subscription and a notification. */
  enterprise: boolean;
}

export const AUDIENCE: Record<EventType, EventAudience> = {
  MATCH_PROPOSED: { institution: true, enterprise: true },
  // The institution's own clock: the firm has nothing to do about it.
  MATCH_DEADLINE_APPROACHING: { institution: true, enterprise: false },
  MATCH_LAPSED: { institution: true, enterprise: true },
  MATCH_CONTACTED: { institution: true, enterprise: true },
  MATCH_DECLINED: { institution: true, enterprise: true },
  OFFER_MADE: { institution: true, enterprise: true },
  OFFER_ACCEPTED: { institution: true, enterprise: true },
  // The bank whose offer lost to another: the enterprise made the choice itself.
  OFFER_DECLINED: { institution: true, enterprise: false },
  OFFER_EXPIRED: { institution: true, enterprise: true },
  LOAN_DISBURSED: { institution: true, enterprise: true },
  REPAYMENT_DUE: { institution: true, enterprise: true },
  // The institution hears the same change as MATCH_PROPOSED.
  NEW_ELIGIBLE_PRODUCT: { institution: false, enterprise: true },
  // Issue 17 §2: a renewal concerns both sides; a post-loan warning is the institution's own business.
  RENEWAL_REQUESTED: { institution: true, enterprise: true },
  RENEWAL_APPROVED: { institution: true, enterprise: true },
  RENEWAL_REFUSED: { institution: true, enterprise: true },
  RENEWAL_LAPSED: { institution: true, enterprise: true },
  WARNING: { institution: true, enterprise: false },
  // Issue 17 §3: the bank's claim on the pool, and what its guarantor shares after it, are the institutions' business.
  POOL_CLAIM_APPROVED: { institution: true, enterprise: false },
  POOL_CLAIM_REJECTED: { institution: true, enterprise: false },
  POOL_CLAIM_PAID: { institution: true, enterprise: false },
};

export const INSTITUTION_EVENTS: readonly EventType[] = EVENT_TYPES.filter((t) => AUDIENCE[t].institution);
export const ENTERPRISE_EVENTS: readonly EventType[] = EVENT_TYPES.filter((t) => AUDIENCE[t].enterprise);

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/** Hours before `respondBy` at which MATCH_DEADLINE_APPROACHING is raised (R14's 48 h deadline). */
export const DEADLINE_REMINDER_HOURS = [24, 4] as const;

/** Days before a loan's maturity at which REPAYMENT_DUE is raised. */
export const REPAYMENT_DUE_DAYS = 30;

/**
 * Refresh scopes (common/refresh.ts kinds) that are a product or rule change: a match they newly
 * propose also tells the firm NEW_ELIGIBLE_PRODUCT. A firm's own change (its credit, its whitelists), a
 * posted need and a freed slot propose matches without it.
 */
export const PRODUCT_OR_RULE_CHANGES: readonly string[] = ['product', 'bank', 'guarantor', 'pool', 'policy', 'all'];

/** Event types raised when a refresh of scope kind `cause` proposes a new match. */
export const proposalEvents = (cause: string | undefined): EventType[] =>
  cause !== undefined && PRODUCT_OR_RULE_CHANGES.includes(cause) ? ['MATCH_PROPOSED', 'NEW_ELIGIBLE_PRODUCT'] : ['MATCH_PROPOSED'];
