/**
 * R13 freshness, as the domains see it: a change names what it can alter (a `RefreshScope`) and queues it
 * on the request's `RefreshQueue` inside its own transaction. matching/refresh.queue.ts implements the
 * queue and matching/match.service.ts refreshes a scope; the domains that emit scopes only need this port,
 * so the request context (common/context.ts) carries it without importing matching.
 */
import type { EntityManager } from 'typeorm';

/** What a change can alter, as the refresh queue carries it (R13 freshness). */
export type RefreshScope =
  | { kind: 'product'; id: string }
  | { kind: 'enterprises'; ids: string[] }
  | { kind: 'whitelistBatch'; id: string }
  | { kind: 'creditImport'; id: string }
  | { kind: 'bank'; id: string }
  | { kind: 'guarantor'; id: string }
  /** A risk-compensation pool near its end: the needs whose proposed matches hold a reserve on it. */
  | { kind: 'pool'; id: string }
  /** A policy rule or benchmark rate changed: the needs whose firms one of these reaches (any one of them). */
  | { kind: 'policy'; reach: PolicyReach[] }
  | { kind: 'all' };

/**
 * Whom a policy rule version can concern (policy/eligibility.ts `ruleApplies`), as needs: their kind and
 * their firm's sector tags, size class, region and industry chains. An empty list does not restrict,
 * except `needKinds`, which lists the kinds reached (none: nothing is reached).
 */
export interface PolicyReach {
  needKinds: string[];
  sectorTags: string[];
  sizeClasses: string[];
  regionPrefixes: string[];
  industryChains: string[];
}

export interface RefreshQueue {
  /** Queues a refresh inside `em`'s transaction. */
  enqueue(em: EntityManager, scope: RefreshScope): Promise<void>;
  /** Jobs created or running (for readiness, tests and the benchmark). */
  pending(): Promise<number>;
  stop(): Promise<void>;
}
