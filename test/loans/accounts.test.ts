/**
 * Issue 12 §5, pure: a movement's postings (accounts.ts) are balanced moves of positive amounts, and the
 * balances they leave are the figures the plans compute — a loan's outstanding, its guarantee, the
 * reserve held, the pool's payout — through any sequence of repayments ending in full or in a default.
 */
import fc from 'fast-check';
import { Decimal } from '../../src/common/decimal';
import { account, balancesOf, LoanAccounts, Posting, postingsOf } from '../../src/loans/accounts';
import { LoanState, planClaimSettlement, planDefault, planRepayment } from '../../src/loans/ledger';

const d = (v: string | number) => new Decimal(v);
const ids: LoanAccounts = { id: 'L', bankId: 'B' };
const balance = (postings: Posting[], a: string) => (balancesOf(postings).get(a) ?? d(0)).toFixed(2);

/** The disbursement entries of a 5,000,000 loan, 80 % guaranteed, with a reserve of 250,000 and a 47,000 fee subsidy. */
const disbursed = () => postingsOf(ids, [
  { kind: 'DISBURSEMENT', party: 'BANK', partyId: 'B', amount: d(5_000_000), ruleVersion: null, ruleId: null },
  { kind: 'GUARANTEE', party: 'GUARANTOR', partyId: 'G', amount: d(4_000_000), ruleVersion: null, ruleId: null },
  { kind: 'RESERVE', party: 'POOL', partyId: 'P', amount: d(250_000), ruleVersion: 'RC@v1', ruleId: 'rc' },
  { kind: 'SUBSIDY', party: 'GUARANTOR', partyId: 'G', amount: d(47_000), ruleVersion: 'FEE@v1', ruleId: 'fee' },
  { kind: 'SUBSIDY', party: 'ENTERPRISE', partyId: 'E', amount: d(0), ruleVersion: 'INT@v1', ruleId: 'int' },
]);

describe('accounts and postings', () => {
  it('a disbursement: principal, guarantee, reserve and subsidy each move from their source; an entry of 0.00 posts nothing', () => {
    const postings = disbursed();
    expect(postings.map((p) => [p.kind, p.source, p.destination, p.amount.toFixed(2), p.ruleId])).toEqual([
      ['DISBURSEMENT', 'banks:B', 'loans:L:principal', '5000000.00', null],
      ['GUARANTEE', 'guarantors:G', 'guarantors:G:guarantees:L', '4000000.00', null],
      ['RESERVE', 'pools:P', 'pools:P:reserved:L', '250000.00', 'rc'],
      ['SUBSIDY', 'rules:fee', 'guarantors:G:subsidies', '47000.00', 'fee'],
    ]);
  });

  it('E4, E6 and E10 in accounts: a default parks the net loss in the claim account; the claim paid, the split empties the loss account, the payout is recovered money', () => {
    const loan: LoanState = { bankId: 'B', enterpriseId: 'E', outstanding: d(5_000_000), guarantorId: 'G', coverageRatio: d('0.8'), poolId: 'P', reserveHeld: d(250_000) };
    const shares = [{ party: 'GUARANTOR' as const, share: d('0.4') }, { party: 'RE_GUARANTOR' as const, share: d('0.3') }, { party: 'BANK' as const, share: d('0.2') }, { party: 'LOCAL_GOVERNMENT' as const, share: d('0.1') }];
    const plan = planDefault(loan, d(1_000_000), d('0.2'), shares, 'RC@v1', 'rc');
    const defaulted = [...disbursed(), ...postingsOf(ids, plan.entries, plan.move)];
    const figures = ['loans:L:principal', 'loans:L:claim', 'loans:L:loss', 'guarantors:G:guarantees:L', 'pools:P:reserved:L', 'pools:P:paid:L', 'pools:P', 'banks:B', 'banks:B:losses', 'guarantors:G:losses', 'parties:re_guarantor:losses', 'parties:local_government:losses'];
    // Under review: 200,000 stays reserved, 50,000 goes back to the pool, the 1,000,000 waits; the rest of the principal is recovered.
    expect(figures.map((a) => balance(defaulted, a))).toEqual(['0.00', '1000000.00', '0.00', '0.00', '200000.00', '0.00', '-200000.00', '-1000000.00', '0.00', '0.00', '0.00', '0.00']);
    const settled = planClaimSettlement(loan, d(1_000_000), plan.claimable, plan.claimable, shares, 'RC@v1', 'rc');
    const postings = [...defaulted, ...postingsOf(ids, settled.entries, settled.move)];
    // E10: the pool pays 200,000; the other 800,000 is split 320,000 / 240,000 / 160,000 / 80,000, and the payout is recovered money.
    expect(figures.map((a) => balance(postings, a))).toEqual(['0.00', '0.00', '0.00', '0.00', '0.00', '200000.00', '-200000.00', '-800000.00', '160000.00', '320000.00', '240000.00', '80000.00']);
  });

  it('E10: a payout that covers the whole loss writes nothing off; the outstanding principal and the payout are recovered to the bank', () => {
    const loan: LoanState = { bankId: 'B', enterpriseId: 'E', outstanding: d(5_000_000), guarantorId: 'G', coverageRatio: d('0.8'), poolId: 'P', reserveHeld: d(250_000) };
    const shares = [{ party: 'GUARANTOR' as const, share: d('0.4') }, { party: 'BANK' as const, share: d('0.6') }];
    const plan = planDefault(loan, d(200_000), d(1), shares, 'RC@v1', 'rc');
    const settled = planClaimSettlement(loan, d(200_000), plan.claimable, plan.claimable, shares, 'RC@v1', 'rc');
    const postings = [...postingsOf(ids, plan.entries, plan.move), ...postingsOf(ids, settled.entries, settled.move)];
    expect([plan.claimable.toFixed(2), settled.shared.toFixed(2)]).toEqual(['200000.00', '0.00']);
    expect(postings.filter((p) => p.destination === 'loans:L:loss' || p.kind === 'LOSS_SHARE')).toEqual([]);
    expect(postings.filter((p) => p.kind === 'RECOVERY').map((p) => [p.source, p.destination, p.amount.toFixed(2)])).toEqual([
      ['loans:L:principal', 'banks:B', '4800000.00'], ['loans:L:claim', 'banks:B', '200000.00'],
    ]);
    const all = [...disbursed(), ...postings];
    expect(['loans:L:principal', 'loans:L:claim', 'loans:L:loss', 'pools:P:paid:L'].map((a) => balance(all, a))).toEqual(['0.00', '0.00', '0.00', '200000.00']);
  });

  it('without a claim on the pool the loss is split at once: the whole reserve goes back, nothing waits', () => {
    const loan: LoanState = { bankId: 'B', enterpriseId: 'E', outstanding: d(5_000_000), guarantorId: 'G', coverageRatio: d('0.8'), poolId: 'P', reserveHeld: d(250_000) };
    const plan = planDefault(loan, d(1_000_000), null, [{ party: 'GUARANTOR', share: d('0.4') }, { party: 'BANK', share: d('0.6') }], 'RC@v1', 'rc');
    const postings = [...disbursed(), ...postingsOf(ids, plan.entries, plan.move)];
    expect(['loans:L:claim', 'loans:L:loss', 'pools:P:reserved:L', 'guarantors:G:losses', 'banks:B:losses'].map((a) => balance(postings, a))).toEqual(['0.00', '0.00', '0.00', '400000.00', '600000.00']);
  });

  it('through any repayments, the principal, guarantee and reserve accounts hold what the plans say; every posting moves a positive amount between two accounts', () => {
    const seed = 20261201;
    // eslint-disable-next-line no-console
    console.log(`accounts property seed ${seed}`);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 2_000_000_00 }), { minLength: 1, maxLength: 8 }), fc.option(fc.integer({ min: 1, max: 100 })), (cents, lossPct) => {
      let state: LoanState = { bankId: 'B', enterpriseId: 'E', outstanding: d(5_000_000), guarantorId: 'G', coverageRatio: d('0.8'), poolId: 'P', reserveHeld: d(250_000) };
      let guarantee = d(4_000_000);
      const postings = disbursed();
      for (const c of cents) {
        if (state.outstanding.isZero()) break;
        const plan = planRepayment(state, Decimal.min(d(c).div(100), state.outstanding));
        postings.push(...postingsOf(ids, plan.entries));
        state = { ...state, outstanding: plan.outstanding, reserveHeld: state.reserveHeld.minus(plan.reserveReleased) };
        guarantee = plan.guaranteeOutstanding!;
      }
      if (lossPct !== null && state.outstanding.gt(0)) {
        const netLoss = Decimal.max(d(state.outstanding.times(lossPct).div(100).toFixed(2)), d('0.01'));
        const shares = [{ party: 'GUARANTOR' as const, share: d('0.35') }, { party: 'BANK' as const, share: d('0.65') }];
        const plan = planDefault(state, netLoss, d(1), shares, 'RC@v1', 'rc');
        postings.push(...postingsOf(ids, plan.entries, plan.move));
        if (plan.claimable.gt(0)) {
          const settled = planClaimSettlement(state, netLoss, plan.claimable, plan.claimable, shares, 'RC@v1', 'rc');
          postings.push(...postingsOf(ids, settled.entries, settled.move));
        }
        state = { ...state, outstanding: d(0), reserveHeld: d(0) };
        guarantee = d(0);
      }
      const b = balancesOf(postings);
      const at = (a: string) => (b.get(a) ?? d(0)).toFixed(2);
      return at(account.principal('L')) === state.outstanding.toFixed(2) && at(account.guarantee('G', 'L')) === guarantee.toFixed(2)
        && at(account.reserved('P', 'L')) === state.reserveHeld.toFixed(2) && at(account.loss('L')) === '0.00' && at(account.claim('L')) === '0.00'
        && postings.every((p) => p.amount.gt(0) && p.source !== p.destination)
        && [...b.values()].reduce((s, v) => s.plus(v), d(0)).isZero();
    }), { seed, numRuns: 200 });
  }, 30_000);
});
