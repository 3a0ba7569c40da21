/**
 * Issue 17 §2 — a loan's maturity and repayment schedule, pure (no database): what is due when, what a
 * repayment covers, what is overdue on a given day, and the limits of a renewal (续贷).
 *
 * Conventions (docs/LEDGER.md "The repayment schedule"):
 * - BULLET (到期一次还本): one instalment, the whole principal, on the maturity day.
 * - AMORTIZING (等额本金, equal principal instalments): one instalment a month for `termMonths` months;
 *   each is principal / termMonths rounded half-up to the cent, and the last takes what the others left
 *   (principal − (n − 1) × each), so the instalments add up to the principal exactly.
 * - Instalment i falls due i months after the start day, counted from the start (31 January + 1 month is
 *   28 or 29 February, + 2 months 31 March), as PostgreSQL's `date + interval 'i months'` does; the last
 *   one on the maturity day.
 * - Interest is shown per instalment for information (repayments here are principal): the balance before
 *   the instalment × annualRate × the period's months / 12, half-up to the cent (a bullet loan: principal ×
 *   annualRate × termMonths / 12, all in its one instalment).
 * - Repayments are applied to instalments oldest first: an instalment is PAID once the principal repaid
 *   covers it and every earlier one; a due one not covered is OVERDUE from the day after its due day.
 */
import { addDays, addMonths, daysBetween } from '../common/dates';
import { Decimal, money } from '../common/decimal';
import { simpleInterest } from '../policy/subsidies';

export const REPAYMENT_KINDS = ['BULLET', 'AMORTIZING'] as const;
export type RepaymentKind = (typeof REPAYMENT_KINDS)[number];

export interface Instalment {
  seq: number;
  dueOn: string;
  principal: Decimal;
  interest: Decimal;
}

export const INSTALMENT_STATUSES = ['PAID', 'PARTIAL', 'OVERDUE', 'UPCOMING'] as const;
export type InstalmentStatus = (typeof INSTALMENT_STATUSES)[number];

export interface InstalmentStanding extends Instalment {
  /** Principal of this instalment the repayments so far cover (oldest first). */
  paid: Decimal;
  status: InstalmentStatus;
}

export interface Standing {
  asOf: string;
  instalments: InstalmentStanding[];
  /** Principal due on or before `asOf`. */
  due: Decimal;
  repaid: Decimal;
  /** Principal that fell due before `asOf` and is not repaid (an instalment due on `asOf` is due, not overdue). */
  overdue: Decimal;
  /** Days since the oldest unpaid due instalment fell due (0 when nothing is overdue). */
  overdueDays: number;
  /** The first instalment not fully paid that falls due on or after `asOf`, if any. */
  next: InstalmentStanding | null;
}

/** The schedule of a loan disbursed on `startsOn` (see the conventions above). */
export function buildSchedule(loan: { principal: Decimal; annualRate: Decimal; termMonths: number; startsOn: string; repayment: RepaymentKind }): Instalment[] {
  const { principal, annualRate, termMonths, startsOn } = loan;
  if (loan.repayment === 'BULLET') {
    return [{ seq: 1, dueOn: addMonths(startsOn, termMonths), principal: money(principal), interest: money(simpleInterest(principal, annualRate, termMonths)) }];
  }
  const each = money(principal.div(termMonths));
  const out: Instalment[] = [];
  let balance = money(principal);
  for (let i = 1; i <= termMonths; i++) {
    const part = i === termMonths ? balance : each;
    out.push({ seq: i, dueOn: addMonths(startsOn, i), principal: part, interest: money(simpleInterest(balance, annualRate, 1)) });
    balance = balance.minus(part);
  }
  return out;
}

/**
 * An extension (展期, the approved 无还本续贷): the principal due at the old maturity — the last
 * instalment — falls due `months` later instead, with the interest of the longer period; the instalments
 * before it are unchanged.
 */
export function extendSchedule(instalments: readonly Instalment[], months: number, annualRate: Decimal): Instalment[] {
  const last = instalments[instalments.length - 1];
  const extended = { ...last, dueOn: addMonths(last.dueOn, months), interest: money(last.interest.plus(simpleInterest(last.principal, annualRate, months))) };
  return [...instalments.slice(0, -1), extended];
}

/** Where a loan stands on `asOf`, with `repaid` principal applied to its instalments oldest first. */
export function standing(instalments: readonly Instalment[], repaid: Decimal, asOf: string): Standing {
  let left = repaid;
  let due = new Decimal(0);
  let dueBefore = new Decimal(0);
  let overdueDays = 0;
  let next: InstalmentStanding | null = null;
  const rows = instalments.map((i): InstalmentStanding => {
    const paid = Decimal.min(left, i.principal);
    left = left.minus(paid);
    const isDue = i.dueOn <= asOf;
    if (isDue) due = due.plus(i.principal);
    if (i.dueOn < asOf) dueBefore = dueBefore.plus(i.principal);
    const full = paid.eq(i.principal);
    const status: InstalmentStatus = full ? 'PAID' : i.dueOn < asOf ? 'OVERDUE' : paid.gt(0) ? 'PARTIAL' : 'UPCOMING';
    const row = { ...i, paid, status };
    if (status === 'OVERDUE' && overdueDays === 0) overdueDays = daysBetween(i.dueOn, asOf);
    if (!full && i.dueOn >= asOf && !next) next = row;
    return row;
  });
  const overdue = Decimal.max(0, dueBefore.minus(repaid));
  return { asOf, instalments: rows, due, repaid, overdue, overdueDays: overdue.gt(0) ? overdueDays : 0, next };
}

/** Days before maturity in which a renewal may be asked for: from 60 to 30 days before (issue 17 §2). */
export const RENEWAL_WINDOW_DAYS = { opens: 60, closes: 30 } as const;

export function renewalWindow(maturity: string): { opensOn: string; closesOn: string } {
  return { opensOn: addDays(maturity, -RENEWAL_WINDOW_DAYS.opens), closesOn: addDays(maturity, -RENEWAL_WINDOW_DAYS.closes) };
}

/**
 * The longest total extension of a loan of `termMonths` (贷款通则 第十二条: a short-term loan, up to 12
 * months, at most its term; a medium-term one, up to 5 years, at most half its term; a longer one at most 3
 * years).
 */
export function maxExtensionMonths(termMonths: number): number {
  if (termMonths <= 12) return termMonths;
  if (termMonths <= 60) return Math.floor(termMonths / 2);
  return 36;
}
