/**
 * R4 — membership: an enterprise is on a whitelist at date D when an entry has validFrom ≤ D ≤ validTo
 * and no revocation on or before D. Dates are YYYY-MM-DD strings, compared as text.
 */
import { QualificationTier, tierRank } from './tier';

export interface EntryValidity {
  tier: QualificationTier;
  validFrom: string;
  validTo: string;
  revokedOn: string | null;
}

export function isMemberOn(entry: EntryValidity, date: string): boolean {
  return entry.validFrom <= date && date <= entry.validTo && !(entry.revokedOn !== null && entry.revokedOn <= date);
}

/** What a bank's 资质查询 answers from a firm's entries: member or not, highest tier, valid until. */
export function membershipOn(entries: readonly EntryValidity[], date: string): { onWhitelist: boolean; highestTier: QualificationTier | null; validTo: string | null } {
  const current = entries.filter((e) => isMemberOn(e, date));
  if (!current.length) return { onWhitelist: false, highestTier: null, validTo: null };
  const highest = current.reduce((best, e) => (tierRank(e.tier) > tierRank(best.tier) ? e : best));
  const validTo = current.reduce((latest, e) => (e.validTo > latest ? e.validTo : latest), current[0].validTo);
  return { onWhitelist: true, highestTier: highest.tier, validTo };
}

/** The same test in SQL over an alias with valid_from, valid_to, revoked_on; `date` is a parameter (:asOf, $2). */
export function memberOnSql(alias: string, date: string): string {
  return `(${alias}.valid_from <= ${date}::date AND ${alias}.valid_to >= ${date}::date AND (${alias}.revoked_on IS NULL OR ${alias}.revoked_on > ${date}::date))`;
}
