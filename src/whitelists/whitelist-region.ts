/**
 * RV1 for whitelists (issue 17 §3; docs/AUTHORITIES.md "Reviews by the authorities"): a regional
 * AUTHORITY lists and revokes firms of its region only. A firm's region is its enterprise record's
 * region code when the firm is known here (registered; an unclaimed record an import created holds the
 * region its code carries), otherwise the division its credit code carries (characters 3–8,
 * `registeringDivision`). National authorities, admins and the import command (no token) list anyone.
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, outsideRegion } from '../auth/authority-region';
import type { Viewer } from '../auth/jwt';
import { distinct } from '../common/collections';
import { Failure } from '../common/failure';
import { checkCreditCode, registeringDivision } from '../enterprises/credit-code';

/** A firm's region: the enterprise record's when there is one, else the division its (valid) code carries; null when neither is known. */
export function firmRegion(creditCode: string, recordRegion: string | null | undefined): string | null {
  return recordRegion ?? registeringDivision(creditCode);
}

/**
 * OUTSIDE_AUTHORITY_REGION on ['entries', i, 'creditCode'] for each entry whose firm lies outside a
 * regional viewer's region (one statement for the known firms); none for a national viewer, without a
 * statement. Entries whose code fails R1 are left to `entryFailures`.
 */
export async function entriesOutsideRegion(em: EntityManager, viewer: Viewer | null, entries: readonly { creditCode: string }[]): Promise<Failure[]> {
  if (authorityRegion(viewer) === null) return [];
  const codes = entries.map((e) => checkCreditCode(e.creditCode)).map((c) => (c.valid ? c.code : null));
  const known: { credit_code: string; region_code: string }[] = await em.query(
    `SELECT credit_code, region_code FROM enterprise WHERE credit_code = ANY($1::text[])`,
    [distinct(codes.filter((c): c is string => c !== null))],
  );
  const regionOf = new Map(known.map((r) => [r.credit_code, r.region_code]));
  return codes.flatMap((code, i) => {
    if (code === null) return [];
    const outside = outsideRegion(viewer, ['entries', String(i), 'creditCode'], firmRegion(code, regionOf.get(code)));
    return outside ? [outside] : [];
  });
}

/** OUTSIDE_AUTHORITY_REGION on `field` when the enterprise lies outside a regional viewer's region (no statement for a national viewer). */
export async function enterpriseOutsideRegion(em: EntityManager, viewer: Viewer | null, field: string, enterpriseId: string): Promise<Failure | null> {
  if (authorityRegion(viewer) === null) return null;
  const [firm]: { region_code: string }[] = await em.query(`SELECT region_code FROM enterprise WHERE id = $1`, [enterpriseId]);
  return outsideRegion(viewer, field, firm?.region_code);
}
