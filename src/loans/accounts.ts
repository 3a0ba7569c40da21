/**
 * The ledger's accounts and postings (issue 12 §5; the Formance ledger's model): every money movement of
 * a loan is a posting of a positive CNY amount from one account to another, and the money state — a
 * loan's outstanding principal and the reserve it holds, a guarantee's outstanding amount (hence the
 * guarantor's R6 liability), a pool's reserved and paid (R8) — is the balance of an account:
 * Σ postings in − Σ postings out. This module is the one place that says which account holds which
 * figure: the writer applies a transaction's postings to the stored columns through `FIGURES`, and the
 * reconciliation recomputes every column from all postings through the same `FIGURES`. Pure.
 *
 * | account                              | holds                                                          |
 * |--------------------------------------|----------------------------------------------------------------|
 * | `banks:<bank>`                       | the bank's money lent out (external, like `world`: negative)    |
 * | `loans:<loan>:principal`             | the loan's outstanding principal                                |
 * | `loans:<loan>:loss`                  | transit: a default's net loss until its split (ends at zero)    |
 * | `loans:<loan>:claim`                 | a default's net loss while the bank's claim on the pool is under review (issue 17 §3) |
 * | `guarantors:<g>`                     | the guarantor's commitments (external)                          |
 * | `guarantors:<g>:guarantees:<loan>`   | the guarantee's outstanding amount (R6)                         |
 * | `pools:<pool>`                       | the pool's fund (external: −(reserved + paid))                  |
 * | `pools:<pool>:reserved:<loan>`       | the reserve the pool holds for the loan (R8)                    |
 * | `pools:<pool>:paid:<loan>`           | what the pool paid on the loan's claim (R8)                     |
 * | `rules:<rule>`                       | a subsidy rule's budget (external)                              |
 * | `guarantors:<g>:subsidies`, `enterprises:<e>:subsidies` | subsidies received (R9)                      |
 * | `banks:<b>:losses`, `guarantors:<g>:losses`, `parties:<party>:losses` | loss shares borne (R7)        |
 */
import { Decimal, money } from '../common/decimal';
import type { Entry, EntryKind, LossMove } from './ledger';

export const ASSET = 'CNY';

export const account = {
  bank: (id: string) => `banks:${id}`,
  principal: (loanId: string) => `loans:${loanId}:principal`,
  loss: (loanId: string) => `loans:${loanId}:loss`,
  claim: (loanId: string) => `loans:${loanId}:claim`,
  guarantor: (id: string) => `guarantors:${id}`,
  guarantee: (guarantorId: string, loanId: string) => `guarantors:${guarantorId}:guarantees:${loanId}`,
  pool: (id: string) => `pools:${id}`,
  reserved: (poolId: string, loanId: string) => `pools:${poolId}:reserved:${loanId}`,
  paid: (poolId: string, loanId: string) => `pools:${poolId}:paid:${loanId}`,
  rule: (id: string | null) => (id ? `rules:${id}` : 'world'),
  subsidies: (payee: string, payeeId: string) => `${payee === 'GUARANTOR' ? 'guarantors' : 'enterprises'}:${payeeId}:subsidies`,
  losses: (party: string, partyId: string | null) =>
    (party === 'BANK' && partyId ? `banks:${partyId}:losses` : party === 'GUARANTOR' && partyId ? `guarantors:${partyId}:losses` : `parties:${party.toLowerCase()}:losses`),
};

export type PostingKind = EntryKind | 'WRITE_OFF' | 'RECOVERY';

export interface Posting {
  kind: PostingKind;
  source: string;
  destination: string;
  amount: Decimal;
  ruleId: string | null;
}

/** The loan and its bank; a movement's guarantor, pool, payee or party is on its entry. */
export interface LoanAccounts {
  id: string;
  bankId: string;
}

/** Where an entry's money comes from and goes to. */
function sidesOf(loan: LoanAccounts, e: Entry): [string, string] {
  const party = e.partyId ?? '';
  switch (e.kind) {
    case 'DISBURSEMENT': return [account.bank(loan.bankId), account.principal(loan.id)];
    case 'REPAYMENT': return [account.principal(loan.id), account.bank(loan.bankId)];
    case 'GUARANTEE': return [account.guarantor(party), account.guarantee(party, loan.id)];
    case 'GUARANTEE_RELEASE': return [account.guarantee(party, loan.id), account.guarantor(party)];
    case 'RESERVE': return [account.pool(party), account.reserved(party, loan.id)];
    case 'RESERVE_RELEASE': return [account.reserved(party, loan.id), account.pool(party)];
    case 'CLAIM_PAYOUT': return [account.reserved(party, loan.id), account.paid(party, loan.id)];
    case 'SUBSIDY': return [account.rule(e.ruleId), account.subsidies(e.party, party)];
    case 'LOSS_SHARE': return [account.loss(loan.id), account.losses(e.party, e.partyId)];
  }
}

/**
 * The postings of a movement: one per entry with an amount (an entry of 0.00 moves nothing), and for a
 * default or a claim's settlement first where the money it moves leaves from (`LossMove`, ledger.ts): the
 * loss the parties share into the loan's loss account, which the loss shares then empty; the net loss
 * awaiting the pool's decision into the loan's claim account; the rest back to the bank — at a default the
 * principal recovered, at a settlement the pool's payout (recovered money, E10).
 */
export function postingsOf(loan: LoanAccounts, entries: readonly Entry[], move?: LossMove): Posting[] {
  const postings: Posting[] = [];
  if (move) {
    const source = move.from === 'principal' ? account.principal(loan.id) : account.claim(loan.id);
    const recovered = money(move.total.minus(move.shared).minus(move.awaiting));
    if (move.shared.gt(0)) postings.push({ kind: 'WRITE_OFF', source, destination: account.loss(loan.id), amount: move.shared, ruleId: null });
    if (move.awaiting.gt(0)) postings.push({ kind: 'WRITE_OFF', source, destination: account.claim(loan.id), amount: move.awaiting, ruleId: null });
    if (recovered.gt(0)) postings.push({ kind: 'RECOVERY', source, destination: account.bank(loan.bankId), amount: recovered, ruleId: null });
  }
  for (const e of entries) {
    if (!e.amount.gt(0)) continue;
    const [source, destination] = sidesOf(loan, e);
    postings.push({ kind: e.kind, source, destination, amount: e.amount, ruleId: e.ruleId });
  }
  return postings;
}

/** Each account's balance after `postings`: Σ in − Σ out (the transit and external accounts included). */
export function balancesOf(postings: readonly Posting[]): Map<string, Decimal> {
  const balances = new Map<string, Decimal>();
  const add = (a: string, v: Decimal) => balances.set(a, (balances.get(a) ?? new Decimal(0)).plus(v));
  for (const p of postings) {
    add(p.destination, p.amount);
    add(p.source, p.amount.negated());
  }
  return balances;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * The stored figures the reconciliation checks: the balances of accounts (and GUARANTOR_LIABILITY, R6's
 * weighting of them), then the running totals, each checked against the rows it sums (RUNNING_TOTALS).
 */
export const LEDGER_FIGURES = [
  'LOAN_OUTSTANDING', 'LOAN_RESERVE_HELD', 'LOAN_COMPENSATION_PAID', 'GUARANTEE_OUTSTANDING', 'POOL_RESERVED', 'POOL_PAID', 'GUARANTOR_LIABILITY',
  'GUARANTOR_FEE_SUBSIDIES', 'GUARANTOR_BORROWER_BALANCE', 'GUARANTOR_FEE_SUBSIDIES_ENTITLED', 'LOAN_AWAITING_POOL',
] as const;
export type LedgerFigure = (typeof LEDGER_FIGURES)[number];
export type RunningTotal = Extract<LedgerFigure, 'GUARANTOR_FEE_SUBSIDIES' | 'GUARANTOR_BORROWER_BALANCE' | 'GUARANTOR_FEE_SUBSIDIES_ENTITLED' | 'LOAN_AWAITING_POOL'>;

/**
 * Which stored column each account's balance is: the account pattern, its subject (the captured id:
 * a loan, or a pool) and the column. GUARANTOR_LIABILITY is not one account: it is R6's weighting of the
 * guarantee accounts per borrower (reconciliation.ts).
 */
export const FIGURES: { figure: Exclude<LedgerFigure, 'GUARANTOR_LIABILITY' | RunningTotal>; pattern: string; table: 'loan' | 'guarantee' | 'risk_compensation_pool'; column: string }[] = [
  { figure: 'LOAN_OUTSTANDING', pattern: `^loans:(${UUID}):principal$`, table: 'loan', column: 'outstanding' },
  { figure: 'LOAN_RESERVE_HELD', pattern: `^pools:${UUID}:reserved:(${UUID})$`, table: 'loan', column: 'reserve_held' },
  { figure: 'LOAN_COMPENSATION_PAID', pattern: `^pools:${UUID}:paid:(${UUID})$`, table: 'loan', column: 'compensation_paid' },
  { figure: 'GUARANTEE_OUTSTANDING', pattern: `^guarantors:${UUID}:guarantees:(${UUID})$`, table: 'guarantee', column: 'outstanding' },
  { figure: 'POOL_RESERVED', pattern: `^pools:(${UUID}):reserved:${UUID}$`, table: 'risk_compensation_pool', column: 'reserved' },
  { figure: 'POOL_PAID', pattern: `^pools:(${UUID}):paid:${UUID}$`, table: 'risk_compensation_pool', column: 'paid' },
];

/** The column of each table a figure's subject is. */
export const SUBJECT_COLUMN = { loan: 'id', guarantee: 'loan_id', risk_compensation_pool: 'id' } as const;

/** A loan's claim account: the net loss a default parked while its pool claim is reviewed (issue 17 §3). */
export const CLAIM_ACCOUNT = `^loans:(${UUID}):claim$`;

/** A guarantee account: the guarantor and the loan. */
export const GUARANTEE_ACCOUNT = `^guarantors:(${UUID}):guarantees:(${UUID})$`;

/**
 * SQL: every (figure, subject, account, delta) the postings `p` of `from` (ledger_posting, or the rows
 * just inserted) matching `where` give, each posting counted on both sides. Built from constants only.
 */
export const figureDeltasSql = (from: 'ledger_posting' | 'posted', where: string) => `
  SELECT f.figure, (regexp_match(s.account, f.pattern))[1]::uuid AS subject, s.account, s.delta
    FROM ${from} p
   CROSS JOIN LATERAL (VALUES (p.destination, p.amount), (p.source, -p.amount)) AS s(account, delta)
    JOIN (VALUES ${FIGURES.map((f) => `('${f.figure}', '${f.pattern}')`).join(', ')}) AS f(figure, pattern) ON s.account ~ f.pattern
   WHERE ${where}`;
