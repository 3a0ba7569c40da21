/**
 * Issue 17 §2 — renewal (续贷; 无还本续贷, seed 004 Art. (26), (34)): the enterprise asks its current
 * lender, 60 to 30 days before maturity, to renew without repaying the principal first; the lender answers
 * within RENEWAL_RESPONSE_DAYS. Art. (34) allows 展期 (extension) or 借新还旧 (a new loan repaying the old):
 * an approval here is the extension — the same loan, its guarantee and reserve carried on, the principal
 * due at maturity falling due `approvedMonths` later (schedule.ts `extendSchedule`), within 贷款通则's
 * limits. A refusal, or no answer by the deadline, falls back to Art. (26)'s turnover funds (贷款周转金, R9's
 * TURNOVER_FUND_SUBSIDY): a LOAN need for the outstanding principal (purpose REFINANCING, needed by the
 * maturity) is posted for the enterprise and matched at once, so the TURNOVER_FUND products that fit it —
 * with the turnover subsidy on their terms — are proposed like any match. Every decision is on record for
 * the authorities (Art. (26): 续贷审批情况及时通报制度, `renewalReport`).
 */
import { DataSource, EntityManager } from 'typeorm';
import { AuthedContext, RequestContext } from '../common/context';
import { addDays } from '../common/dates';
import { Decimal } from '../common/decimal';
import { uuidOf } from '../common/ids';
import { failure, ok, refused, Result } from '../common/user-error';
import { TODAY_SQL } from '../database/clock';
import { inTransaction } from '../database/transaction';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { raiseEvent } from '../events/outbox';
import { refreshNeeds } from '../matching/match.service';
import { activeStatusSql } from '../needs/need.lifecycle';
import { FinancingNeedEntity } from '../needs/need.entity';
import { LoanEntity } from './loan.entity';
import { extendSchedule, maxExtensionMonths, renewalWindow, standing } from './schedule';
import { readInstalments, writeInstalments } from './schedule.service';

/** Days the lender has to answer a renewal request (the request comes at least 30 days before maturity). */
export const RENEWAL_RESPONSE_DAYS = 10;

export const RENEWAL_STATUSES = ['REQUESTED', 'APPROVED', 'REFUSED', 'LAPSED'] as const;
export type RenewalStatus = (typeof RENEWAL_STATUSES)[number];

export const RENEWAL_ACTIONS = ['APPROVE', 'REFUSE'] as const;
export type RenewalAction = (typeof RENEWAL_ACTIONS)[number];

export interface RenewalRow {
  id: string;
  loanId: string;
  enterpriseId: string;
  institutionId: string;
  status: RenewalStatus;
  extensionMonths: number;
  approvedMonths: number | null;
  maturityBefore: string;
  maturityAfter: string | null;
  outstanding: Decimal;
  requestedOn: string;
  respondBy: string;
  note: string | null;
  reason: string | null;
  fallbackNeedId: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export const RENEWAL_COLUMNS = `r.id, r.loan_id AS "loanId", r.enterprise_id AS "enterpriseId", r.institution_id AS "institutionId", r.status,
  r.extension_months AS "extensionMonths", r.approved_months AS "approvedMonths", to_char(r.maturity_before, 'YYYY-MM-DD') AS "maturityBefore",
  to_char(r.maturity_after, 'YYYY-MM-DD') AS "maturityAfter", r.outstanding::text AS outstanding, to_char(r.requested_on, 'YYYY-MM-DD') AS "requestedOn",
  to_char(r.respond_by, 'YYYY-MM-DD') AS "respondBy", r.note, r.reason, r.fallback_need_id AS "fallbackNeedId", r.decided_at AS "decidedAt", r.created_at AS "createdAt"`;

/** A renewal as the API shows it (a class, so that `node` knows its type: common/node.ts). */
export class RenewalRecord {}

export const renewalOf = (row: Omit<RenewalRow, 'outstanding'> & { outstanding: string | Decimal }): RenewalRow =>
  Object.assign(new RenewalRecord(), { ...row, outstanding: new Decimal(row.outstanding) });

async function renewalById(em: EntityManager, id: string, lock = false): Promise<RenewalRow | null> {
  const [row] = await em.query(`SELECT ${RENEWAL_COLUMNS} FROM loan_renewal r WHERE r.id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? renewalOf(row) : null;
}

const lockLoanRow = (em: EntityManager, loanId: string) =>
  em.getRepository(LoanEntity).createQueryBuilder('l').setLock('pessimistic_write').where('l.id = :id', { id: loanId }).getOne();

/** The renewal event's subjects: the lender (and the guarantor: its guarantee runs on), the enterprise, the need and match. */
const subjects = (loan: LoanEntity) => ({ institutionId: loan.institutionId, guarantorId: loan.guarantorId, enterpriseId: loan.enterpriseId, needId: loan.needId, matchId: loan.matchId });

/** requestLoanRenewal: the borrower asks its lender for a renewal of an active loan, 60 to 30 days before maturity. */
export async function requestRenewal(ctx: AuthedContext, input: { loanId: string; extensionMonths: number; note?: string | null }): Promise<Result<RenewalRow>> {
  const loanId = uuidOf(input.loanId, 'Loan');
  if (!loanId) return refused(failure('loanId', 'INVALID_ID'));
  const enterpriseId = await viewerEnterpriseId(ctx);
  if (!enterpriseId) return refused(failure([], 'NOT_REGISTERED'));
  return inTransaction(ctx, async (em) => {
    const loan = await lockLoanRow(em, loanId);
    if (!loan || loan.enterpriseId !== enterpriseId) return refused(failure('loanId', 'NOT_FOUND'));
    if (loan.status !== 'ACTIVE') return refused(failure('loanId', 'LOAN_NOT_ACTIVE', { status: loan.status }));
    const { instalments, today } = await readInstalments(em, loan.id);
    const window = renewalWindow(loan.maturity);
    if (today < window.opensOn || today > window.closesOn) {
      return refused(failure('loanId', 'RENEWAL_OUTSIDE_WINDOW', { maturity: loan.maturity, opensOn: window.opensOn, closesOn: window.closesOn, today }));
    }
    const owed = standing(instalments, loan.principal.minus(loan.outstanding), today);
    if (owed.overdue.gt(0)) return refused(failure('loanId', 'RENEWAL_LOAN_OVERDUE', { overdue: owed.overdue.toFixed(2), days: owed.overdueDays }));
    const left = maxExtensionMonths(loan.termMonths) - loan.extensionMonths;
    if (input.extensionMonths > left) return refused(failure('extensionMonths', 'EXTENSION_TOO_LONG', { left, term: loan.termMonths }));
    const respondBy = addDays(today, RENEWAL_RESPONSE_DAYS);
    const [row] = await em.query(
      `INSERT INTO loan_renewal (loan_id, enterprise_id, institution_id, extension_months, maturity_before, outstanding, requested_on, respond_by, note, requested_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (loan_id, maturity_before) DO NOTHING RETURNING id`,
      [loan.id, enterpriseId, loan.institutionId, input.extensionMonths, loan.maturity, loan.outstanding.toFixed(2), today, respondBy, input.note?.trim() || null, ctx.viewer.sub]);
    if (!row) {
      const [before] = await em.query(`SELECT status FROM loan_renewal WHERE loan_id = $1 AND maturity_before = $2`, [loan.id, loan.maturity]);
      return refused(failure('loanId', 'RENEWAL_ALREADY_REQUESTED', { status: before.status, maturity: loan.maturity }));
    }
    await raiseEvent(em, {
      type: 'RENEWAL_REQUESTED', ...subjects(loan),
      payload: { loanId: loan.id, renewalId: row.id, extensionMonths: input.extensionMonths, maturity: loan.maturity, respondBy, outstanding: loan.outstanding.toFixed(2) },
    });
    return ok((await renewalById(em, row.id))!);
  });
}

/** respondToLoanRenewal: the lender approves (an extension) or refuses (with a reason) before the deadline. */
export async function respondToRenewal(
  ctx: AuthedContext,
  input: { renewalId: string; action: RenewalAction; reason?: string | null; extensionMonths?: number | null },
): Promise<Result<RenewalRow>> {
  const id = uuidOf(input.renewalId, 'LoanRenewal');
  if (!id) return refused(failure('renewalId', 'INVALID_ID'));
  const reason = input.reason?.trim() || null;
  if (input.action === 'REFUSE' && !reason) return refused(failure('reason', 'REQUIRED'));
  if (input.action === 'REFUSE' && input.extensionMonths != null) return refused(failure('extensionMonths', 'NOT_APPLICABLE', { action: input.action }, 'action'));
  return inTransaction(ctx, async (em) => {
    const seen = await renewalById(em, id);
    if (!seen || seen.institutionId !== ctx.viewer.institutionId) return refused(failure('renewalId', 'NOT_FOUND'));
    // The loan first, as every loan writer locks it, then the request.
    const loan = (await lockLoanRow(em, seen.loanId))!;
    const renewal = (await renewalById(em, id, true))!;
    if (renewal.status !== 'REQUESTED') return refused(failure('renewalId', 'RENEWAL_CLOSED', { status: renewal.status }));
    const { instalments, today } = await readInstalments(em, loan.id);
    if (today > renewal.respondBy) return refused(failure('renewalId', 'RENEWAL_DEADLINE_PASSED', { respondBy: renewal.respondBy }));
    if (loan.status !== 'ACTIVE') return refused(failure('renewalId', 'LOAN_NOT_ACTIVE', { status: loan.status }));
    if (input.action === 'REFUSE') {
      await closeWithFallback(em, renewal, loan, 'REFUSED', reason, ctx.viewer.sub, today);
      return ok((await renewalById(em, id))!);
    }
    const months = input.extensionMonths ?? renewal.extensionMonths;
    const left = maxExtensionMonths(loan.termMonths) - loan.extensionMonths;
    if (months > left) return refused(failure('extensionMonths', 'EXTENSION_TOO_LONG', { left, term: loan.termMonths }));
    const extended = extendSchedule(instalments, months, loan.annualRate);
    const maturity = extended[extended.length - 1].dueOn;
    await writeInstalments(em, loan.id, extended.slice(-1));
    await em.query(`UPDATE loan SET maturity = $2, extension_months = extension_months + $3, updated_at = now() WHERE id = $1`, [loan.id, maturity, months]);
    await em.query(
      `UPDATE loan_renewal SET status = 'APPROVED', approved_months = $2, maturity_after = $3, reason = $4, decided_by = $5, decided_at = now(), updated_at = now() WHERE id = $1`,
      [id, months, maturity, reason, ctx.viewer.sub]);
    await raiseEvent(em, { type: 'RENEWAL_APPROVED', ...subjects(loan), payload: { loanId: loan.id, renewalId: id, approvedMonths: months, maturity, previousMaturity: loan.maturity } });
    return ok((await renewalById(em, id))!);
  });
}

/**
 * A refused or lapsed request: closed, and the turnover-fund fallback posted — a LOAN need for the
 * outstanding principal over the requested months, purpose REFINANCING, needed by the maturity, channel
 * BANK_REFERRAL (the lender's answer sends the firm on), matched in this transaction. An identical active
 * need of the firm's (R11's duplicate rule) is used instead of a second one.
 */
async function closeWithFallback(em: EntityManager, renewal: RenewalRow, loan: LoanEntity, status: 'REFUSED' | 'LAPSED', reason: string | null, by: string, today: string): Promise<void> {
  const needId = loan.status === 'ACTIVE' ? await postFallbackNeed(em, renewal, loan, today) : null;
  await em.query(
    `UPDATE loan_renewal SET status = $2, reason = $3, decided_by = $4, decided_at = now(), fallback_need_id = $5, updated_at = now() WHERE id = $1`,
    [renewal.id, status, reason, by, needId]);
  await raiseEvent(em, {
    type: status === 'REFUSED' ? 'RENEWAL_REFUSED' : 'RENEWAL_LAPSED', ...subjects(loan),
    payload: { loanId: loan.id, renewalId: renewal.id, maturity: loan.maturity, outstanding: loan.outstanding.toFixed(2), ...(reason ? { reason } : {}), ...(needId ? { fallbackNeedId: needId } : {}) },
  });
}

async function postFallbackNeed(em: EntityManager, renewal: RenewalRow, loan: LoanEntity, today: string): Promise<string> {
  const repo = em.getRepository(FinancingNeedEntity);
  const need = repo.create({
    enterpriseId: loan.enterpriseId, kind: 'LOAN', status: 'OPEN', channel: 'BANK_REFERRAL', amount: loan.outstanding, termMonths: renewal.extensionMonths,
    purpose: 'REFINANCING', collateralOffered: [], maxAnnualRate: null, acceptGuarantee: true, neededBy: loan.maturity > today ? loan.maturity : null,
    postedBy: `renewal:${renewal.id}`,
  });
  const inserted = await em.createQueryBuilder().insert().into(FinancingNeedEntity).values(need).orIgnore().returning('id').execute();
  if (inserted.raw.length) {
    const id: string = inserted.raw[0].id;
    await refreshNeeds(em, [id], { today });
    return id;
  }
  const existing = await repo.createQueryBuilder('n')
    .where('n.enterprise_id = :e AND n.kind = :k AND n.amount = :a AND n.term_months = :t', { e: loan.enterpriseId, k: 'LOAN', a: loan.outstanding.toFixed(2), t: renewal.extensionMonths })
    .andWhere(activeStatusSql('n')).getOneOrFail();
  return existing.id;
}

/**
 * The deadline: requests still unanswered after their `respondBy` (the database's day) lapse, each with
 * its fallback, a few per transaction; run by the deadline sweep (refresh.queue.ts). Returns how many.
 */
export async function lapseRenewals(db: DataSource): Promise<number> {
  let lapsed = 0;
  for (;;) {
    const count = await db.transaction(async (em) => {
      const due: { id: string; loan_id: string; today: string }[] = await em.query(
        `SELECT id, loan_id, ${TODAY_SQL} AS today FROM loan_renewal WHERE status = 'REQUESTED' AND respond_by < shanghai_today() ORDER BY respond_by, id LIMIT 20`);
      let n = 0;
      for (const d of due) {
        const loan = (await lockLoanRow(em, d.loan_id))!;
        const renewal = (await renewalById(em, d.id, true))!;
        if (renewal.status !== 'REQUESTED') continue;
        await closeWithFallback(em, renewal, loan, 'LAPSED', null, 'system', d.today);
        n++;
      }
      return n;
    });
    lapsed += count;
    if (count === 0) return lapsed;
  }
}

/** The renewals a viewer may see: the lender's (a guarantor: of loans it guarantees), the borrower's, all for authorities and admins. */
export async function renewalScope(ctx: RequestContext): Promise<{ where: string; params: unknown[] } | null> {
  const viewer = ctx.viewer;
  if (!viewer) return null;
  if (viewer.role === 'AUTHORITY' || viewer.role === 'ADMIN') return { where: 'true', params: [] };
  if (viewer.institutionId) return { where: `(r.institution_id = $1 OR EXISTS (SELECT 1 FROM loan l WHERE l.id = r.loan_id AND l.guarantor_id = $1))`, params: [viewer.institutionId] };
  const enterpriseId = await viewerEnterpriseId(ctx);
  return enterpriseId ? { where: 'r.enterprise_id = $1', params: [enterpriseId] } : null;
}
