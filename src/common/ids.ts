/**
 * Opaque ids (API.md: "Ids are opaque strings"): base64url of `Type:uuid`. `node(id)` reads the type
 * back to find the record; clients must not build or parse them.
 */
/** Every type an id can name: the GraphQL types that implement `Node` (a test holds the schema to this list). */
export const NODE_TYPES = [
  'Enterprise',
  'FinancingNeed',
  'FinancialProduct',
  'Institution',
  'RiskCompensationPool',
  'Whitelist',
  'WhitelistEntry',
  'Consent',
  'CreditAccess',
  'CreditFilterRead',
  'RiskSharingRule',
  'CooperationAgreement',
  'PolicyRule',
  'Match',
  'Loan',
  'EnterpriseClaim',
  'EnterpriseClaimEvent',
  'Roadshow',
  'AuthorityTarget',
  'Guarantee',
  'CollectiveBondIssue',
  'LoanRenewal',
  'PostLoanWarning',
  'Offer',
  'Document',
  'SubsidyEntitlement',
  'SubsidyClaim',
  'ListingReserveEntry',
  'PoolClaim',
] as const;

export type NodeTypeName = (typeof NODE_TYPES)[number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is a uuid (either case): for the ids that are plain uuids, not opaque ids. */
export const isUuid = (value: string): boolean => UUID.test(value.toLowerCase());

export function toGlobalId(type: NodeTypeName, uuid: string): string {
  return Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64url');
}

export function fromGlobalId(id: string): { type: string; uuid: string } | null {
  if (typeof id !== 'string' || id.length > 200 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const text = Buffer.from(id, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return null;
  const type = text.slice(0, colon);
  const uuid = text.slice(colon + 1);
  return UUID.test(uuid) ? { type, uuid } : null;
}

/** The uuid behind an id of the expected type, or null when the id is malformed or of another type. */
export function uuidOf(id: string, type: NodeTypeName): string | null {
  const parsed = fromGlobalId(id);
  return parsed && parsed.type === type ? parsed.uuid : null;
}
