/**
 * The pure parts of R14 and the ledger: which lifecycle steps follow which, and what a disbursement, a
 * repayment and a default write (R6–R9), to the cent, without a database.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { planClaimSettlement, planDefault, planDisbursement, planRepayment, LoanState } from '../../src/loans/ledger';
import { MATCH_ACTIONS, transition } from '../../src/matching/lifecycle.rules';
import { MATCH_STATUSES } from '../../src/matching/match.rules';
import { readParams } from '../../src/policy/params';
import { calculatorFor } from '../../src/policy/registry';
import type { QuotedRule } from '../../src/policy/quotes';

const d = (v: string | number) => new Decimal(v);

describe('R14 transitions', () => {
  it('follows the lifecycle and refuses the rest', () => {
    expect(transition('VIEW', 'PROPOSED')).toEqual({ kind: 'step', to: 'VIEWED' });
    expect(transition('CONTACT', 'VIEWED')).toEqual({ kind: 'step', to: 'CONTACTED' });
    expect(transition('APPLY', 'CONTACTED')).toEqual({ kind: 'step', to: 'APPLIED' });
    expect(transition('APPROVE', 'APPLIED')).toEqual({ kind: 'step', to: 'APPROVED' });
    expect(transition('DISBURSE', 'APPROVED')).toEqual({ kind: 'step', to: 'DISBURSED' });
    expect(transition('DISBURSE', 'DISBURSED')).toEqual({ kind: 'step', to: 'DISBURSED' });
    expect(transition('LAPSE', 'VIEWED')).toEqual({ kind: 'step', to: 'OVERDUE' });
    expect(transition('CONTACT', 'APPLIED')).toEqual({ kind: 'step', to: 'APPLIED' });
    expect(transition('VIEW', 'CONTACTED')).toEqual({ kind: 'repeat' });
    expect(transition('APPROVE', 'CONTACTED')).toEqual({ kind: 'refused', variant: 'notApplied' });
    expect(transition('DISBURSE', 'APPLIED')).toEqual({ kind: 'refused', variant: 'notApproved' });
    expect(transition('CONTACT', 'DECLINED')).toEqual({ kind: 'refused', variant: 'closed' });
    expect(transition('LAPSE', 'CONTACTED')).toEqual({ kind: 'refused', variant: 'state' });
    expect(transition('DECLINE', 'DISBURSED')).toEqual({ kind: 'refused', variant: 'state' });
  });

  it('never leaves DECLINED or OVERDUE, and only DISBURSE follows DISBURSED', () => {
    fc.assert(fc.property(fc.constantFrom(...MATCH_ACTIONS), fc.constantFrom(...MATCH_STATUSES), (action, from) => {
      const t = transition(action, from);
      if ((from === 'DECLINED' || from === 'OVERDUE') && t.kind === 'step') return false;
      if (from === 'DISBURSED' && t.kind === 'step') return action === 'DISBURSE';
      return true;
    }));
  });
});

const rule = (code: string, kind: QuotedRule['kind'], params: Record<string, string>, poolId: string | null = null): QuotedRule =>
  ({ id: `${code}-id`, code, version: 1, kind, poolId, params: readParams(calculatorFor(kind).params, params) });

const context = (fee = '0', pool = '300000000') => ({
  benchmarkRate: (code: string) => (code === 'PBOC_1Y' ? d('0.0435') : null),
  feeSubsidyBookedThisYear: () => d(fee),
  poolAvailable: () => d(pool),
});

describe('disbursement', () => {
  const guarantee = (netAssets: string, liability: string) => ({
    guarantorId: 'g', coverageRatio: d('0.8'), feeRate: d('0.010'),
    figures: { netAssets: d(netAssets), liability: d(liability), capMultiple: d(10), targetMultiple: null },
    borrowerSizeClass: 'SMALL' as const, borrowerBalanceBefore: d(0),
  });
  const base = { principal: d(5_000_000), annualRate: d('0.045'), termMonths: 12, bankId: 'b', enterpriseId: 'e', productKind: 'GUARANTEED_LOAN' as const };

  it('E5: guarantee 4,000,000, fee subsidy 47,000.00 and risk subsidy 60,000.00, each with its version', () => {
    const plan = planDisbursement({
      ...base, guarantee: guarantee('2000000000', '0'), context: context(),
      rules: [rule('FEE', 'GUARANTEE_FEE_SUBSIDY', { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }), rule('RISK', 'GUARANTEE_RISK_SUBSIDY', { ratio: '0.015' })],
    });
    if (!plan.admitted) throw new Error('refused');
    expect(plan.entries.map((e) => [e.kind, e.amount.toFixed(2), e.ruleVersion])).toEqual([['DISBURSEMENT', '5000000.00', null], ['GUARANTEE', '4000000.00', null]]);
    // The subsidies are entitlements (issue 17 §3): their SUBSIDY entries come with each claim's payment.
    expect(plan.subsidies.map((s) => [s.kind, s.amount.toFixed(2), s.ruleVersion])).toEqual([
      ['GUARANTEE_FEE_SUBSIDY', '47000.00', 'FEE@v1'], ['GUARANTEE_RISK_SUBSIDY', '60000.00', 'RISK@v1'],
    ]);
  });

  it('E3: 2,000,000 of room refuses a guarantee that weighs 3,000,000', () => {
    const plan = planDisbursement({ ...base, guarantee: guarantee('100000000', '998000000'), rules: [], context: context() });
    expect(plan).toMatchObject({ admitted: false, limit: 'cap' });
    if (plan.admitted) return;
    expect([plan.weighted.toFixed(2), plan.room.toFixed(2)]).toEqual(['3000000.00', '2000000.00']);
  });

  it('E4: a pool reserve of 500,000, or what the pool has left', () => {
    const rc = rule('QD-RC', 'RISK_COMPENSATION', { commitmentRatio: '0.05', lossShare: '1' }, 'pool');
    const full = planDisbursement({ ...base, principal: d(10_000_000), productKind: 'CREDIT_LOAN', guarantee: null, rules: [rc], context: context() });
    const short = planDisbursement({ ...base, principal: d(10_000_000), productKind: 'CREDIT_LOAN', guarantee: null, rules: [rc], context: context('0', '120000') });
    expect(full.admitted && full.reserve?.amount.toFixed(2)).toBe('500000.00');
    expect(short.admitted && short.reserve?.amount.toFixed(2)).toBe('120000.00');
  });
});

describe('repayment and default', () => {
  const loan: LoanState = { bankId: 'b', enterpriseId: 'e', outstanding: d(5_000_000), guarantorId: 'g', coverageRatio: d('0.8'), poolId: 'p', reserveHeld: d(250_000) };

  it('releases the guarantee with the principal, and the reserve only in full', () => {
    const part = planRepayment(loan, d(2_000_000));
    expect([part.outstanding.toFixed(2), part.guaranteeOutstanding!.toFixed(2), part.repaid, part.reserveReleased.toFixed(2)]).toEqual(['3000000.00', '2400000.00', false, '0.00']);
    const all = planRepayment(loan, d(5_000_000));
    expect(all.entries.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([['REPAYMENT', '5000000.00'], ['GUARANTEE_RELEASE', '4000000.00'], ['RESERVE_RELEASE', '250000.00']]);
  });

  const anhui = [{ party: 'GUARANTOR' as const, share: d('0.4') }, { party: 'RE_GUARANTOR' as const, share: d('0.3') }, { party: 'BANK' as const, share: d('0.2') }, { party: 'LOCAL_GOVERNMENT' as const, share: d('0.1') }];
  const cents = (split: { party: string; amount: Decimal }[]) => split.map((p) => [p.party, p.amount.toFixed(2)]);

  it('R8 with review: a default keeps what the pool owes reserved, releases the rest and waits for the claim; the guarantee is claimed', () => {
    const plan = planDefault(loan, d(1_000_000), d('0.2'), anhui, 'RC@v1');
    expect([plan.claimable.toFixed(2), plan.reserveReleased.toFixed(2)]).toEqual(['200000.00', '50000.00']);
    expect(plan.lossSplit).toEqual([]);
    expect(plan.entries.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([['RESERVE_RELEASE', '50000.00'], ['GUARANTEE_RELEASE', '4000000.00']]);
    expect([plan.move.from, plan.move.shared.toFixed(2), plan.move.awaiting.toFixed(2)]).toEqual(['principal', '0.00', '1000000.00']);
  });

  it('E10: the claim paid in full, 200,000 — the other 800,000 is split 320,000 / 240,000 / 160,000 / 80,000', () => {
    const settled = planClaimSettlement(loan, d(1_000_000), d(200_000), d(200_000), anhui, 'RC@v1', 'rc');
    expect(settled.shared.toFixed(2)).toBe('800000.00');
    expect(cents(settled.lossSplit)).toEqual([['GUARANTOR', '320000.00'], ['RE_GUARANTOR', '240000.00'], ['BANK', '160000.00'], ['LOCAL_GOVERNMENT', '80000.00']]);
    expect(settled.entries.map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([
      ['CLAIM_PAYOUT', '200000.00'], ['LOSS_SHARE', '320000.00'], ['LOSS_SHARE', '240000.00'], ['LOSS_SHARE', '160000.00'], ['LOSS_SHARE', '80000.00'],
    ]);
  });

  it('a partial approval pays 150,000 and releases 50,000; a rejection releases all 200,000 and splits the whole 1,000,000', () => {
    const part = planClaimSettlement(loan, d(1_000_000), d(200_000), d(150_000), anhui, 'RC@v1', 'rc');
    expect(part.entries.slice(0, 2).map((e) => [e.kind, e.amount.toFixed(2)])).toEqual([['CLAIM_PAYOUT', '150000.00'], ['RESERVE_RELEASE', '50000.00']]);
    expect(cents(part.lossSplit)).toEqual([['GUARANTOR', '340000.00'], ['RE_GUARANTOR', '255000.00'], ['BANK', '170000.00'], ['LOCAL_GOVERNMENT', '85000.00']]);
    const rejected = planClaimSettlement(loan, d(1_000_000), d(200_000), d(0), anhui, 'RC@v1', 'rc');
    expect(rejected.entries[0]).toMatchObject({ kind: 'RESERVE_RELEASE', amount: d(200_000) });
    expect(cents(rejected.lossSplit)).toEqual([['GUARANTOR', '400000.00'], ['RE_GUARANTOR', '300000.00'], ['BANK', '200000.00'], ['LOCAL_GOVERNMENT', '100000.00']]);
  });

  it('E6: without a pool the whole 1,000,000 is split 400,000 / 300,000 / 200,000 / 100,000', () => {
    const shares = [{ party: 'GUARANTOR' as const, share: d('0.4') }, { party: 'RE_GUARANTOR' as const, share: d('0.3') }, { party: 'BANK' as const, share: d('0.2') }, { party: 'LOCAL_GOVERNMENT' as const, share: d('0.1') }];
    const plan = planDefault({ ...loan, poolId: null, reserveHeld: d(0) }, d(1_000_000), null, shares, null);
    expect(plan.lossSplit.map((p) => [p.party, p.amount.toFixed(2)])).toEqual([['GUARANTOR', '400000.00'], ['RE_GUARANTOR', '300000.00'], ['BANK', '200000.00'], ['LOCAL_GOVERNMENT', '100000.00']]);
  });

  it('E10: E4\'s default — the pool owes 500,000.00; paid, the bank bears 2,500,000.00', () => {
    const e4: LoanState = { bankId: 'bank', enterpriseId: 'firm', outstanding: d(10_000_000), guarantorId: null, coverageRatio: null, poolId: 'pool', reserveHeld: d(500_000) };
    const plan = planDefault(e4, d(3_000_000), d(1), null, 'QD@v1');
    expect([plan.claimable.toFixed(2), plan.reserveReleased.toFixed(2), plan.entries.length]).toEqual(['500000.00', '0.00', 0]);
    const settled = planClaimSettlement(e4, d(3_000_000), plan.claimable, plan.claimable, null, 'QD@v1', 'qd');
    expect(cents(settled.lossSplit)).toEqual([['BANK', '2500000.00']]);
  });

  it('splits any loss into parts that add up to it with whatever the pool pays, never more than the reserve', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500_000_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (cents, sharePct, paidPct) => {
      const netLoss = d(cents).div(100);
      const shares = [{ party: 'GUARANTOR' as const, share: d('0.35') }, { party: 'BANK' as const, share: d('0.65') }];
      const plan = planDefault({ ...loan, outstanding: d(5_000_001) }, netLoss, d(sharePct).div(100), shares, null);
      if (!plan.claimable.plus(plan.reserveReleased).eq(loan.reserveHeld) || plan.claimable.gt(loan.reserveHeld)) return false;
      if (plan.claimable.isZero()) return plan.lossSplit.reduce((s, p) => s.plus(p.amount), d(0)).eq(netLoss);
      // E10: the parties share what the pool does not pay, whatever the authority approves.
      const paid = d(plan.claimable.times(paidPct).div(100).toFixed(2));
      const settled = planClaimSettlement(loan, netLoss, plan.claimable, paid, shares, null, null);
      return settled.lossSplit.reduce((s, p) => s.plus(p.amount), d(0)).plus(paid).eq(netLoss);
    }), { seed: 20261122 });
  });
});
