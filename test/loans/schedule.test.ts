/**
 * Issue 17 §2 — the repayment schedule, pure: bullet and amortizing (equal principal, the last instalment
 * taking the cents) to the cent, month-end due days, repayments applied oldest first, extensions.
 */
import { Decimal, money } from '../../src/common/decimal';
import { interestSubsidy, simpleInterest } from '../../src/policy/subsidies';
import { addMonths } from '../../src/common/dates';
import { buildSchedule, extendSchedule, maxExtensionMonths, renewalWindow, standing } from '../../src/loans/schedule';
import { profileChanges } from '../../src/loans/warning.service';

const d = (v: string) => new Decimal(v);
const plain = (rows: { seq: number; dueOn: string; principal: Decimal; interest: Decimal }[]) =>
  rows.map((r) => [r.seq, r.dueOn, r.principal.toFixed(2), r.interest.toFixed(2)]);

describe('due days', () => {
  it('count months from the start and clamp to the month\'s end, as PostgreSQL does', () => {
    expect([1, 2, 3, 13].map((m) => addMonths('2027-01-31', m))).toEqual(['2027-02-28', '2027-03-31', '2027-04-30', '2028-02-29']);
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });
});

describe('BULLET', () => {
  it('one instalment of the whole principal at maturity, interest principal × rate × term / 12', () => {
    expect(plain(buildSchedule({ principal: d('1000000'), annualRate: d('0.0435'), termMonths: 12, startsOn: '2027-01-31', repayment: 'BULLET' })))
      .toEqual([[1, '2028-01-31', '1000000.00', '43500.00']]);
  });
});

describe('interest', () => {
  it('is principal × rate × months / 12, divided last, as 贴息 computes it: a half cent rounds up', () => {
    expect(money(simpleInterest(d('1'), d('0.06'), 1)).toFixed(2)).toBe('0.01');
    expect(interestSubsidy({ principal: d('1'), annualRate: d('0.06'), termMonths: 1, ratio: d('1') }).amount.toFixed(2)).toBe('0.01');
  });
});

describe('AMORTIZING (equal principal, 等额本金)', () => {
  const schedule = buildSchedule({ principal: d('1000000'), annualRate: d('0.0435'), termMonths: 7, startsOn: '2027-01-31', repayment: 'AMORTIZING' });

  it('1,000,000 over 7 months: 142,857.14 six times and 142,857.16 last, interest on the balance a month at a time', () => {
    expect(plain(schedule)).toEqual([
      [1, '2027-02-28', '142857.14', '3625.00'],
      [2, '2027-03-31', '142857.14', '3107.14'],
      [3, '2027-04-30', '142857.14', '2589.29'],
      [4, '2027-05-31', '142857.14', '2071.43'],
      [5, '2027-06-30', '142857.14', '1553.57'],
      [6, '2027-07-31', '142857.14', '1035.71'],
      [7, '2027-08-31', '142857.16', '517.86'],
    ]);
    expect(schedule.reduce((s, i) => s.plus(i.principal), d('0')).toFixed(2)).toBe('1000000.00');
  });

  it('applies repayments oldest first: one instalment repaid, the second 5 days overdue, the third next', () => {
    const s = standing(schedule, d('142857.14'), '2027-04-05');
    expect(s.instalments.slice(0, 3).map((i) => i.status)).toEqual(['PAID', 'OVERDUE', 'UPCOMING']);
    expect([s.due.toFixed(2), s.overdue.toFixed(2), s.overdueDays, s.next?.dueOn]).toEqual(['285714.28', '142857.14', 5, '2027-04-30']);
    const onTheDay = standing(schedule, d('142857.14'), '2027-03-31');
    expect([onTheDay.overdue.toFixed(2), onTheDay.overdueDays, onTheDay.next?.seq]).toEqual(['0.00', 0, 2]);
    const partial = standing(schedule, d('200000'), '2027-03-01');
    expect(partial.instalments.slice(0, 2).map((i) => [i.status, i.paid.toFixed(2)])).toEqual([['PAID', '142857.14'], ['PARTIAL', '57142.86']]);
  });
});

describe('renewal limits', () => {
  it('the window runs from 60 to 30 days before maturity', () => {
    expect(renewalWindow('2028-01-31')).toEqual({ opensOn: '2027-12-02', closesOn: '2028-01-01' });
  });

  it('贷款通则 第十二条: short-term at most the term, medium-term half of it, long-term 36 months', () => {
    expect([6, 12, 24, 60, 120].map(maxExtensionMonths)).toEqual([6, 12, 12, 30, 36]);
  });

  it('an extension moves the last instalment with the longer period\'s interest', () => {
    const bullet = buildSchedule({ principal: d('1000000'), annualRate: d('0.0435'), termMonths: 12, startsOn: '2027-01-31', repayment: 'BULLET' });
    expect(plain(extendSchedule(bullet, 6, d('0.0435')))).toEqual([[1, '2028-07-31', '1000000.00', '65250.00']]);
  });

  it('LEDGER.md\'s example: 1,200,000 at 0.0435 for 12 months extended 6: 52,200.00 + 26,100.00 = 78,300.00', () => {
    const bullet = buildSchedule({ principal: d('1200000'), annualRate: d('0.0435'), termMonths: 12, startsOn: '2027-01-31', repayment: 'BULLET' });
    expect(plain(bullet)).toEqual([[1, '2028-01-31', '1200000.00', '52200.00']]);
    expect(plain(extendSchedule(bullet, 6, d('0.0435')))).toEqual([[1, '2028-07-31', '1200000.00', '78300.00']]);
  });
});

describe('what worsens on a credit profile', () => {
  const base = { enterpriseId: 'e', rating: 'AA' as const, overdueCount12m: 0, currentOverdueAmount: null as string | null, listings: [] as string[] };
  it('a new listing, a new overdue and a downgrade with its notches; an upgrade or nothing new is no change', () => {
    expect(profileChanges(base, { ...base, rating: 'BBB', overdueCount12m: 1, listings: ['MAJOR_TAX_VIOLATION 2026-10-01'] }).map((c) => [c.kind, c.measure ?? null])).toEqual([
      ['DISHONESTY', null], ['OVERDUE', null], ['RATING_DOWNGRADE', 2],
    ]);
    expect(profileChanges(base, { ...base, rating: 'AAA' })).toEqual([]);
    expect(profileChanges({ ...base, listings: ['MAJOR_TAX_VIOLATION 2026-10-01'] }, { ...base, listings: ['MAJOR_TAX_VIOLATION 2026-10-01'] })).toEqual([]);
  });

  it('a current overdue amount that appears is a new overdue; one that was there already, or a zero, is not', () => {
    const amount = (before: string | null, after: string | null) =>
      profileChanges({ ...base, currentOverdueAmount: before }, { ...base, currentOverdueAmount: after }).map((c) => c.kind);
    expect([amount(null, '1500.00'), amount('0.00', '0.01'), amount('200.00', '1500.00'), amount(null, '0.00')]).toEqual([['OVERDUE'], ['OVERDUE'], [], []]);
  });
});
