/**
 * The demo's matches put to work (R14 with R6–R9), so the inbox, loans and `stats` show something real:
 * for the best match of some matched demo loan needs, the bank views, contacts or declines; the firm
 * applies; the bank approves and disburses; some loans are partly or fully repaid and one defaults. It
 * goes through the same lifecycle and ledger code as the API (a bank's request context per step), so
 * every figure is what the rules give. The guarantors apply for the subsidies their guarantees are
 * entitled to (issue 17 §3), so an authority finds claims to review.
 */
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { createContext, RequestContext } from '../common/context';
import type { Config } from '../config';
import { Decimal, money } from '../common/decimal';
import { toGlobalId } from '../common/ids';
import type { LoanEntity } from '../loans/loan.entity';
import { recordDefault, recordLoanOutcome, recordRepayment } from '../loans/loan.service';
import { applyStep, lockMatch, respondToMatch } from '../matching/lifecycle.service';
import { DECLINE_REASONS } from '../matching/match.rules';
import type { RefreshQueue } from '../common/refresh';
import { requestToday } from '../database/clock';
import { grantConsentIn } from '../privacy/consent.service';
import { applyForSubsidy } from '../reviews/claim.service';
import { applyForPoolClaim } from '../reviews/pool-claim.service';

/** Changes are refreshed by the caller once the demo is played (it runs before the job queue starts). */
const NO_QUEUE: RefreshQueue = { enqueue: async () => undefined, pending: async () => 0, stop: async () => undefined };

export interface DemoLifecycleSummary { contacted: number; declined: number; loans: number; repaid: number; defaulted: number }

export async function playDemoLifecycle(dataSource: DataSource, config: Config, log: Logger, needs = 24): Promise<DemoLifecycleSummary> {
  const picks: { match_id: string; institution_id: string; amount: string }[] = await dataSource.query(
    `SELECT DISTINCT ON (n.created_at, n.id) m.id AS match_id, m.institution_id, n.amount::text
       FROM financing_need n JOIN match m ON m.need_id = n.id AND m.eligible AND m.status = 'PROPOSED'
      WHERE n.kind = 'LOAN' AND n.status = 'MATCHED'
      ORDER BY n.created_at, n.id, m.score DESC, m.all_in_cost ASC NULLS LAST, m.product_id
      LIMIT $1`, [needs]);
  const bank = (institutionId: string): RequestContext =>
    createContext({ viewer: { sub: 'demo-banker', role: 'BANK', institutionId }, tokenProblem: null, lang: 'zh', db: dataSource, config, log, refresh: NO_QUEUE });
  const summary: DemoLifecycleSummary = { contacted: 0, declined: 0, loans: 0, repaid: 0, defaulted: 0 };
  const must = <T>(result: { ok: true; value: T } | { ok: false; failures: unknown[] }): T => {
    if (!result.ok) throw new Error(`demo lifecycle refused: ${JSON.stringify(result.failures)}`);
    return result.value;
  };

  /** The bank contacts the match, the firm applies (synthetic firms have no users: the step is recorded for the demo), the bank approves and disburses. */
  const contacted = async (ctx: RequestContext, matchId: string) => {
    must(await respondToMatch(ctx, { matchId: toGlobalId('Match', matchId), action: 'CONTACT' }));
    summary.contacted += 1;
  };
  const disburse = async (ctx: RequestContext, pick: { match_id: string; amount: string }): Promise<LoanEntity | null> => {
    const matchId = toGlobalId('Match', pick.match_id);
    await dataSource.transaction(async (em) => {
      const locked = (await lockMatch(em, pick.match_id))!;
      must(await applyStep(em, locked, 'APPLY', { actor: 'demo-enterprise', today: await requestToday(ctx) }));
      await grantConsentIn(em, locked.need.enterpriseId, locked.match.institutionId, 'APPLICATION', 'demo-enterprise');
    });
    must(await recordLoanOutcome(ctx, { matchId, outcome: 'APPROVED' }));
    const disbursed = await recordLoanOutcome(ctx, { matchId, outcome: 'DISBURSED', principal: new Decimal(pick.amount) });
    // A guarantor the demo has filled refuses (CAPACITY_EXCEEDED): that match stays approved.
    if (!disbursed.ok) return null;
    summary.loans += 1;
    const loan = disbursed.value.loan!;
    await applyForGuarantorSubsidies(dataSource, loan.id, (guarantorId) => createContext({
      viewer: { sub: 'demo-guarantor', role: 'GUARANTOR', institutionId: guarantorId }, tokenProblem: null, lang: 'zh', db: dataSource, config, log, refresh: NO_QUEUE,
    }));
    return loan;
  };

  let fallback: { ctx: RequestContext; loan: LoanEntity } | undefined;
  for (const [i, pick] of picks.entries()) {
    const ctx = bank(pick.institution_id);
    const matchId = toGlobalId('Match', pick.match_id);
    const stage = i % 6;
    // Proposed some hours ago (3 to 42, within the 48-hour deadline), so response times and deadlines look like a working week.
    await dataSource.query(`UPDATE match SET created_at = created_at - make_interval(hours => $2) WHERE id = $1`, [pick.match_id, 3 + ((i * 11) % 40)]);
    if (stage === 0) {
      must(await respondToMatch(ctx, { matchId, action: 'VIEW' }));
      continue;
    }
    if (stage === 1) {
      must(await respondToMatch(ctx, { matchId, action: 'DECLINE', declineReason: DECLINE_REASONS[i % DECLINE_REASONS.length], note: '示例：演示数据中的拒绝' }));
      summary.declined += 1;
      continue;
    }
    await contacted(ctx, pick.match_id);
    if (stage === 2) continue;
    const loan = await disburse(ctx, pick);
    if (!loan) continue;
    const loanId = toGlobalId('Loan', loan.id);
    if (stage === 3) {
      must(await recordRepayment(ctx, { loanId, principalRepaid: money(loan.principal.div(2)) }));
    } else if (stage === 4) {
      must(await recordRepayment(ctx, { loanId, principalRepaid: loan.principal }));
      summary.repaid += 1;
    } else if (summary.defaulted === 0 && loan.reserveHeld.gt(0)) {
      await defaultDemoLoan(dataSource, ctx, loan);
      summary.defaulted += 1;
    } else {
      fallback ??= { ctx, loan };
    }
  }
  // One default, on a loan the pool holds a reserve for (R8), so an authority has a pool claim to review: the
  // top-ranked matches above may all be guaranteed loans or outside the pool's region, so take one that reserves.
  if (summary.defaulted === 0) {
    const [pooled]: { match_id: string; institution_id: string; amount: string }[] = await dataSource.query(
      `SELECT m.id AS match_id, m.institution_id, n.amount::text
         FROM financing_need n JOIN match m ON m.need_id = n.id AND m.eligible AND m.status = 'PROPOSED' AND m.reserve > 0
        WHERE n.kind = 'LOAN' AND n.status = 'MATCHED' ORDER BY n.created_at, n.id, m.score DESC, m.product_id LIMIT 1`);
    if (pooled) {
      const ctx = bank(pooled.institution_id);
      await contacted(ctx, pooled.match_id);
      const loan = await disburse(ctx, pooled);
      if (loan?.reserveHeld.gt(0)) fallback = { ctx, loan };
    }
    if (fallback) {
      await defaultDemoLoan(dataSource, fallback.ctx, fallback.loan);
      summary.defaulted += 1;
    }
  }
  log.info({ ...summary }, 'demo matches worked: responses, applications, loans, repayments, a default');
  return summary;
}

/** Each guarantor payee of a demo loan applies for its entitlements, naming the documents the rule asks for. */
async function applyForGuarantorSubsidies(dataSource: DataSource, loanId: string, guarantor: (id: string) => RequestContext): Promise<void> {
  const entitlements: { id: string; payee_id: string; required: string[] }[] = await dataSource.query(
    `SELECT e.id, e.payee_id, r.required_documents AS required FROM subsidy_entitlement e JOIN policy_rule r ON r.id = e.policy_rule_id
      WHERE e.loan_id = $1 AND e.payee_kind = 'GUARANTOR' AND e.amount > 0 ORDER BY e.year, e.id`, [loanId]);
  for (const e of entitlements) {
    const documents = e.required.map((kind, i) => ({ kind, reference: `DEMO-${kind}-${i + 1}`, description: '示例材料' }));
    const applied = await applyForSubsidy(guarantor(e.payee_id), { entitlementId: toGlobalId('SubsidyEntitlement', e.id), documents });
    if (!applied.ok) throw new Error(`demo lifecycle refused: ${JSON.stringify(applied.failures)}`);
  }
}

/** The bank writes the loan off with 30 % of its principal lost and applies for the pool claim the default opened. */
async function defaultDemoLoan(dataSource: DataSource, bank: RequestContext, loan: LoanEntity): Promise<void> {
  const done = await recordDefault(bank, { loanId: toGlobalId('Loan', loan.id), netLoss: money(loan.principal.times('0.3')) });
  if (!done.ok) throw new Error(`demo lifecycle refused: ${JSON.stringify(done.failures)}`);
  await applyForPoolClaimOf(dataSource, bank, loan.id);
}

/** The bank applies for the pool claim its default opened (if the pool owed anything), naming the documents the pool rule asks for: an authority finds it to review. */
async function applyForPoolClaimOf(dataSource: DataSource, bank: RequestContext, loanId: string): Promise<void> {
  const [claim]: { required: string[] }[] = await dataSource.query(
    `SELECT r.required_documents AS required FROM pool_claim c JOIN policy_rule r ON r.id = c.policy_rule_id WHERE c.loan_id = $1`, [loanId]);
  if (!claim) return;
  const documents = [...new Set(['LOAN_CONTRACT', ...claim.required])].map((kind, i) => ({ kind, reference: `DEMO-${kind}-${i + 1}`, description: '示例材料' }));
  const applied = await applyForPoolClaim(bank, { loanId: toGlobalId('Loan', loanId), documents });
  if (!applied.ok) throw new Error(`demo lifecycle refused: ${JSON.stringify(applied.failures)}`);
}
