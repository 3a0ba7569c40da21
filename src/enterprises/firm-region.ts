/**
 * RV1 for lists of firms (issue 17 §3; docs/AUTHORITIES.md "Reviews by the authorities"): a regional
 * AUTHORITY publishes whitelist entries, imports credit records and revokes entries of its region's firms
 * only. A firm's region is its enterprise record's region code when the firm is known here (registered; an
 * unclaimed record an import created holds the region its code carries), otherwise the division its credit
 * code carries (characters 3–8, `registeringDivision`). National authorities, admins and the import
 * commands (no token) act on anyone.
 */
import { EntityManager } from 'typeorm';
import { authorityRegion, outsideRegion } from '../auth/authority-region';
import type { Viewer } from '../auth/jwt';
import { distinct } from '../common/collections';
import { Failure } from '../common/failure';
import { checkCreditCode, registeringDivision } from './credit-code';

/** A firm's region: the enterprise record's when there is one, else the division its (valid) code carries; null when neither is known. */
export function firmRegion(creditCode: string, recordRegion: string | null | undefined): string | null {
  return recordRegion ?? registeringDivision(creditCode);
}

/**
 * OUTSIDE_AUTHORITY_REGION on [list, i, 'creditCode'] for each code (of a list's rows: whitelist entries,
 * credit records) whose firm lies outside a regional viewer's region (one statement for the known firms);
 * none for a national viewer, without a statement. Codes that fail R1 are left to the list's own checks.
 */
export async function codesOutsideRegion(em: EntityManager, viewer: Viewer | null, list: string, creditCodes: readonly string[]): Promise<Failure[]> {
  if (authorityRegion(viewer) === null) return [];
  const codes = creditCodes.map((code) => checkCreditCode(code)).map((c) => (c.valid ? c.code : null));
  const known: { credit_code: string; region_code: string }[] = await em.query(
    `SELECT credit_code, region_code FROM enterprise WHERE credit_code = ANY($1::text[])`,
    [distinct(codes.filter((c): c is string => c !== null))],
  );
  const regionOf = new Map(known.map((r) => [r.credit_code, r.region_code]));
  return codes.flatMap((code, i) => {
    if (code === null) return [];
    const outside = outsideRegion(viewer, [list, String(i), 'creditCode'], firmRegion(code, regionOf.get(code)));
    return outside ? [outside] : [];
  });
}

/** OUTSIDE_AUTHORITY_REGION on `field` when the enterprise lies outside a regional viewer's region (no statement for a national viewer). */
export async function enterpriseOutsideRegion(em: EntityManager, viewer: Viewer | null, field: string, enterpriseId: string): Promise<Failure | null> {
  if (authorityRegion(viewer) === null) return null;
  const [firm]: { region_code: string }[] = await em.query(`SELECT region_code FROM enterprise WHERE id = $1`, [enterpriseId]);
  return outsideRegion(viewer, field, firm?.region_code);
}
