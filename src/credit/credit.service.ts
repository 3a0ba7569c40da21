/**
 * R5 — credit data: imports (the mutation, `npm run import:credit`, the demo loader share one bulk path),
 * the history, and the current profile. A record is kept per enterprise, source and as-of date; a
 * same-day import replaces that record; the profile follows the newest as-of date, so an older import
 * lands in the history and never overwrites it. Unknown credit codes create unclaimed enterprises.
 */
import { EntityManager, In } from 'typeorm';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { requestToday } from '../database/clock';
import { Decimal } from '../common/decimal';
import { plainTextFailure } from '../common/plain-text';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { inTransaction } from '../database/transaction';
import { checkCreditCode } from '../enterprises/credit-code';
import { codesOutsideRegion } from '../enterprises/firm-region';
import { creditCodeFailure, ensureEnterprises, repeatedCodes } from '../enterprises/enterprise.service';
import { CreditProfileEntity, CreditRecordEntity, DishonestyListing } from './credit.entity';
import { movesChanges, ProfileMove, profileMovesSql, raiseWarnings } from '../loans/warning.service';
import { CreditRating, DishonestyKind, TaxGrade } from './grades';

export interface DishonestyDraft {
  kind: DishonestyKind;
  listedOn: string;
  repairedOn?: string | null;
}

/** One record to import, as the mutation and the file import both deliver it. */
export interface CreditRecordDraft {
  creditCode: string;
  /** Used only to name an enterprise this import creates. */
  name?: string | null;
  rating?: CreditRating | null;
  taxGrade?: TaxGrade | null;
  overdueCount12m?: number | null;
  currentOverdueAmount?: Decimal | null;
  socialSecurityMonths?: number | null;
  hadBankLoan?: boolean | null;
  dishonesty?: DishonestyDraft[] | null;
}

export interface CreditImportRequest {
  source: string;
  asOf: string;
  records: CreditRecordDraft[];
  fileName?: string | null;
  importedBy: string;
}

export interface CreditImportOutcome {
  importId: string;
  /** Records that became (or corrected) their enterprise's current profile. */
  imported: number;
  /** Records older than the profile already held: kept in the history, the profile unchanged. */
  skipped: number;
}

const CHUNK = 10_000;

export const creditProfileByEnterpriseId = defineLoader((ctx) => byKey(ctx, CreditProfileEntity, 'enterpriseId'));

/** Each enterprise's full history, newest first. */
export const creditHistoryByEnterpriseId = defineLoader((ctx) =>
  groupedBy<CreditRecordEntity>(
    (r) => r.enterpriseId,
    (ids) => ctx.db.getRepository(CreditRecordEntity).find({ where: { enterpriseId: In(ids) }, order: { asOf: 'DESC', source: 'ASC' } }),
  ),
);

const hasFigures = (r: CreditRecordDraft) =>
  [r.rating, r.taxGrade, r.overdueCount12m, r.currentOverdueAmount, r.socialSecurityMonths, r.hadBankLoan].some((v) => v != null) || (r.dishonesty?.length ?? 0) > 0;

/**
 * The rules of an import beyond field formats: as-of not in the future, a source and names that are
 * plain text (no leading = + - @, no control characters: plain-text.ts), R1 on every code, something to
 * record, and dishonesty dates that make sense against each other and as-of. "One record per enterprise"
 * is `repeatedCodes`, which the file import runs over every row, parsed or not. `today` is the database's
 * day; null leaves the as-of check (`futureAsOf`) to a caller that reads the day later (the file import
 * checks its rows before it connects).
 */
export function importFailures(req: CreditImportRequest, today: string | null): Failure[] {
  const failures: Failure[] = [];
  if (!req.source.trim()) failures.push(failure('source', 'REQUIRED'));
  const sourceProblem = plainTextFailure(['source'], req.source);
  if (sourceProblem) failures.push(sourceProblem);
  if (today !== null) failures.push(...futureAsOf(req, today));
  req.records.forEach((r, i) => {
    const at = (...field: string[]) => ['records', String(i), ...field];
    const codeProblem = creditCodeFailure(at('creditCode'), r.creditCode);
    if (codeProblem) failures.push(codeProblem);
    const nameProblem = plainTextFailure(at('name'), r.name);
    if (nameProblem) failures.push(nameProblem);
    if (!hasFigures(r)) failures.push(failure(at(), 'EMPTY_RECORD'));
    (r.dishonesty ?? []).forEach((d, j) => {
      const here = (field: string) => at('dishonesty', String(j), field);
      if (d.listedOn > req.asOf) failures.push(failure(here('listedOn'), 'LISTED_AFTER_AS_OF', { listedOn: d.listedOn, asOf: req.asOf }));
      if (d.repairedOn != null) {
        if (d.repairedOn < d.listedOn) failures.push(failure(here('repairedOn'), 'REPAIRED_BEFORE_LISTED', { listedOn: d.listedOn, repairedOn: d.repairedOn }));
        else if (d.repairedOn > req.asOf) failures.push(failure(here('repairedOn'), 'REPAIRED_AFTER_AS_OF', { repairedOn: d.repairedOn, asOf: req.asOf }));
      }
    });
    failures.push(...duplicates(at('dishonesty'), (r.dishonesty ?? []).map((d) => `${d.kind} ${d.listedOn}`)));
  });
  return failures;
}

/** An import dated after the database's day (`importFailures` without a day leaves this check to the caller). */
export const futureAsOf = (req: Pick<CreditImportRequest, 'asOf'>, today: string): Failure[] =>
  req.asOf > today ? [failure('asOf', 'DATE_IN_FUTURE', { today })] : [];

const listings = (r: CreditRecordDraft): DishonestyListing[] =>
  (r.dishonesty ?? []).map((d) => ({ kind: d.kind, listedOn: d.listedOn, repairedOn: d.repairedOn ?? null }));

/**
 * Writes a validated import inside the caller's transaction: the import row, the records (a same-day
 * record is replaced), then the profiles that this import makes current (never one with a newer as-of).
 */
export async function writeImport(em: EntityManager, req: CreditImportRequest, onProgress?: (written: number) => void): Promise<CreditImportOutcome> {
  const source = req.source.trim();
  const [{ id: importId }] = await em.query(
    `INSERT INTO credit_import (source, as_of, record_count, imported, skipped, file_name, imported_by)
     VALUES ($1, $2, $3, 0, 0, $4, $5) RETURNING id`,
    [source, req.asOf, req.records.length, req.fileName ?? null, req.importedBy],
  );
  // In credit-code order, so two imports touching the same firms lock them in the same order (no deadlock).
  const sorted = req.records
    .map((r) => ({ ...r, creditCode: checkCreditCode(r.creditCode).code }))
    .sort((a, b) => (a.creditCode < b.creditCode ? -1 : a.creditCode > b.creditCode ? 1 : 0));
  let imported = 0;
  let written = 0;
  for (let start = 0; start < sorted.length; start += CHUNK) {
    const chunk = sorted.slice(start, start + CHUNK);
    await ensureEnterprises(em, chunk.map((r) => ({ creditCode: r.creditCode, name: r.name?.trim() || r.creditCode })));
    const records: { id: string }[] = await em.query(
      `INSERT INTO credit_record (enterprise_id, source, as_of, import_id, rating, tax_grade, overdue_count_12m,
                                  current_overdue_amount, social_security_months, had_bank_loan, dishonesty)
       SELECT e.id, $1, $2::date, $3, u.rating, u.tax_grade, u.overdue, u.amount::numeric, u.months, u.loan, u.dishonesty::jsonb
         FROM unnest($4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::int[], $10::bool[], $11::text[])
              AS u(code, rating, tax_grade, overdue, amount, months, loan, dishonesty)
         JOIN enterprise e ON e.credit_code = u.code
       ON CONFLICT (enterprise_id, source, as_of) DO UPDATE SET
         import_id = EXCLUDED.import_id, rating = EXCLUDED.rating, tax_grade = EXCLUDED.tax_grade,
         overdue_count_12m = EXCLUDED.overdue_count_12m, current_overdue_amount = EXCLUDED.current_overdue_amount,
         social_security_months = EXCLUDED.social_security_months, had_bank_loan = EXCLUDED.had_bank_loan,
         dishonesty = EXCLUDED.dishonesty, updated_at = now()
       RETURNING id`,
      [
        source, req.asOf, importId,
        chunk.map((r) => r.creditCode),
        chunk.map((r) => r.rating ?? null),
        chunk.map((r) => r.taxGrade ?? null),
        chunk.map((r) => r.overdueCount12m ?? null),
        chunk.map((r) => (r.currentOverdueAmount == null ? null : r.currentOverdueAmount.toFixed(2))),
        chunk.map((r) => r.socialSecurityMonths ?? null),
        chunk.map((r) => r.hadBankLoan ?? null),
        chunk.map((r) => JSON.stringify(listings(r))),
      ],
    );
    // R5: the profile moves only forward in as-of; the same as-of is a correction and replaces it. Issue 17
    // §2: the same statement tells the figures before and after of borrowers with a live loan, to warn on what worsens.
    const current: ProfileMove[] = await em.query(
      profileMovesSql(
        `INSERT INTO credit_profile (enterprise_id, record_id, source, as_of, rating, tax_grade, overdue_count_12m,
                                     current_overdue_amount, social_security_months, had_bank_loan, dishonesty, active_dishonesty)
         SELECT r.enterprise_id, r.id, r.source, r.as_of, r.rating, r.tax_grade, r.overdue_count_12m, r.current_overdue_amount,
                r.social_security_months, r.had_bank_loan, r.dishonesty,
                EXISTS (SELECT 1 FROM jsonb_array_elements(r.dishonesty) d WHERE d->>'repairedOn' IS NULL)
           FROM credit_record r WHERE r.id = ANY($1::uuid[])
         ON CONFLICT (enterprise_id) DO UPDATE SET
           record_id = EXCLUDED.record_id, source = EXCLUDED.source, as_of = EXCLUDED.as_of, rating = EXCLUDED.rating,
           tax_grade = EXCLUDED.tax_grade, overdue_count_12m = EXCLUDED.overdue_count_12m,
           current_overdue_amount = EXCLUDED.current_overdue_amount, social_security_months = EXCLUDED.social_security_months,
           had_bank_loan = EXCLUDED.had_bank_loan, dishonesty = EXCLUDED.dishonesty,
           active_dishonesty = EXCLUDED.active_dishonesty, updated_at = now()
         WHERE credit_profile.as_of <= EXCLUDED.as_of
         RETURNING *`,
        'SELECT enterprise_id FROM credit_record WHERE id = ANY($1::uuid[])',
      ),
      [records.map((r) => r.id)],
    );
    await raiseWarnings(em, movesChanges(current));
    imported += current.length;
    written += chunk.length;
    onProgress?.(written);
  }
  const skipped = req.records.length - imported;
  await em.query('UPDATE credit_import SET imported = $2, skipped = $3 WHERE id = $1', [importId, imported, skipped]);
  return { importId, imported, skipped };
}

/** importCreditRecords: validate every record, then import in one transaction, or nothing. */
export async function importCredit(ctx: RequestContext, req: CreditImportRequest): Promise<Result<CreditImportOutcome>> {
  const failures = [...importFailures(req, await requestToday(ctx)), ...repeatedCodes('records', req.records.map((r) => r.creditCode))];
  if (failures.length) return refused(...failures);
  return inTransaction(ctx, async (em) => {
    // A regional authority imports its region's firms only (issue 17 §3, RV1).
    const outside = await codesOutsideRegion(em, ctx.viewer, 'records', req.records.map((r) => r.creditCode));
    if (outside.length) return refused(...outside);
    const outcome = await writeImport(em, req);
    await ctx.refresh.enqueue(em, { kind: 'creditImport', id: outcome.importId });
    return ok(outcome);
  });
}
