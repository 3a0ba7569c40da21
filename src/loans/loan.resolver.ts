import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { AuthedContext, byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { Decimal } from '../common/decimal';
import { DecimalScalar } from '../common/scalars';
import { toGlobalId } from '../common/ids';
import { registerNode } from '../common/node';
import { message } from '../common/messages';
import { localize, Result } from '../common/user-error';
import { PayloadMutation } from '../common/validation';
import { MatchEntity } from '../matching/match.entity';
import { payeeGlobalId, visibleMatch } from '../matching/match.read';
import { GuaranteeQuote, Match, SubsidyQuote, TermsView } from '../matching/match.type';
import { FinancingNeedEntity } from '../needs/need.entity';
import { needById } from '../needs/need.service';
import { FinancingNeed } from '../needs/need.type';
import { RiskCompensationPoolEntity } from '../policy/policy.entity';
import { RiskCompensationPool } from '../policy/policy.resolver';
import { poolById } from '../policy/policy.service';
import { isSelf } from '../privacy/privacy.policy';
import type { PolicyRuleKind } from '../policy/rule-kinds';
import { LoanEntity } from './loan.entity';
import { RecordDefaultInput, RecordLoanOutcomeInput, RecordRepaymentInput } from './loan.inputs';
import { recordDefault, recordLoanOutcome, recordRepayment } from './loan.service';
import { LedgerEntry, Loan, LossShare, LoanPayload, PayloadWarning } from './loan.type';

/**
 * R10 for loans: the enterprise sees its own, the bank its own, the guarantor those it guarantees;
 * authorities and admins all. Analysts see aggregates (`stats`), not single loans.
 */
export async function canViewLoan(ctx: RequestContext, loan: LoanEntity): Promise<boolean> {
  const viewer = ctx.viewer;
  if (!viewer) return false;
  if (viewer.role === 'AUTHORITY' || viewer.role === 'ADMIN') return true;
  if (viewer.institutionId) return viewer.institutionId === loan.institutionId || viewer.institutionId === loan.guarantorId;
  return isSelf(ctx, loan.enterpriseId);
}

export const loanById = defineLoader((ctx) => byKey(ctx, LoanEntity, 'id'));

registerNode<LoanEntity>({ typename: 'Loan', load: (ctx, id) => loanById(ctx).load(id), visible: canViewLoan });

const loansByMatch = defineLoader((ctx) =>
  groupedBy<LoanEntity>((l) => l.matchId, (ids) => ctx.db.getRepository(LoanEntity).createQueryBuilder('l').where('l.match_id = ANY(:ids::uuid[])', { ids }).orderBy('l.disbursed_at').addOrderBy('l.id').getMany()),
);

interface SubsidyRow { loanId: string; kind: PolicyRuleKind; payee: string; payeeId: string; amount: string; ruleVersion: string; years: { year: number; amount: string }[] }
/**
 * A loan's subsidies, one per rule version and payee, with the calendar years they are allocated to (a fee
 * subsidy's years, DOMAIN E9): what the disbursement entitled it to; the claims say what was paid (issue 17 §3).
 */
const subsidiesByLoan = defineLoader((ctx) =>
  groupedBy<SubsidyRow>((s) => s.loanId, (ids) => ctx.db.query(
    `SELECT loan_id AS "loanId", kind, payee_kind AS payee, payee_id AS "payeeId", sum(amount)::text AS amount, rule_version AS "ruleVersion",
            json_agg(json_build_object('year', year, 'amount', amount::text) ORDER BY year) AS years
       FROM subsidy_entitlement WHERE loan_id = ANY($1::uuid[])
      GROUP BY loan_id, kind, payee_kind, payee_id, rule_version ORDER BY loan_id, kind, rule_version`, [ids])),
);

interface EntryRow { loanId: string; kind: string; party: string; partyId: string | null; amount: string; ruleVersion: string | null; at: Date }
const entriesByLoan = defineLoader((ctx) =>
  groupedBy<EntryRow>((e) => e.loanId, (ids) => ctx.db.query(
    `SELECT loan_id AS "loanId", kind, party, party_id AS "partyId", amount::text, rule_version AS "ruleVersion", at
       FROM ledger_entry WHERE loan_id = ANY($1::uuid[]) ORDER BY loan_id, id`, [ids])),
);

/** The id a ledger party is shown with: a pool, an enterprise or an institution. */
function partyGlobalId(party: string, partyId: string | null): string | null {
  if (!partyId) return null;
  if (party === 'POOL') return toGlobalId('RiskCompensationPool', partyId);
  if (party === 'ENTERPRISE') return toGlobalId('Enterprise', partyId);
  return toGlobalId('Institution', partyId);
}

function loanPayload(ctx: RequestContext, result: Result<{ loan: LoanEntity | null; match: MatchEntity | null }>): LoanPayload {
  if (!result.ok) return { loan: null, match: null, userErrors: result.failures.map((f) => localize(ctx.lang, f)), reserve: null, warnings: [] };
  const { loan, match } = result.value;
  return { loan, match, userErrors: [], ...disbursementReserve(ctx, loan, match) };
}

/**
 * A disbursement says what its match quoted for the reserve, what the loan was due and what the pool
 * reserved (R8), with POOL_RESERVE_SHORT when the pool ran short since the quote (issue 17 §1: no silent zero).
 */
function disbursementReserve(ctx: RequestContext, loan: LoanEntity | null, match: MatchEntity | null): Pick<LoanPayload, 'reserve' | 'warnings'> {
  if (!loan || !match || match.id !== loan.matchId) return { reserve: null, warnings: [] };
  const reserve = { quoted: match.reserve, due: loan.reserveDue, reserved: loan.reserve };
  const short = loan.reserveDue !== null && loan.reserve.lt(loan.reserveDue);
  const params = { quoted: match.reserve.toFixed(2), due: loan.reserveDue?.toFixed(2), reserved: loan.reserve.toFixed(2) };
  return { reserve, warnings: short ? [{ code: 'POOL_RESERVE_SHORT', message: message(ctx.lang, 'POOL_RESERVE_SHORT', params) }] : [] };
}

const BANKERS = ['BANK', 'GUARANTOR', 'INVESTOR'];

@Resolver(() => Loan)
export class LoanResolver {
  @Authorized(BANKERS)
  @PayloadMutation(() => LoanPayload, {
    description:
      'The product\'s institution records its decision on an applied match: APPROVED, DECLINED (with a reason; the slot goes to the next-ranked product) or DISBURSED with principal, rate and term. A disbursement, in one transaction, adds the guarantor\'s liability (R6: refused with CAPACITY_EXCEEDED when the cap or the single-borrower limit would break), reserves pool money (R8, never more than the pool has) and records the subsidies of the match\'s rule versions as entitlements (R9, the fee subsidy within the guarantor\'s yearly cap; booked when an authority pays the payee\'s claim); the need is FUNDED once disbursements reach its amount.',
  })
  async recordLoanOutcome(@Ctx() ctx: AuthedContext, @Arg('input', () => RecordLoanOutcomeInput) input: RecordLoanOutcomeInput): Promise<LoanPayload> {
    return loanPayload(ctx, await recordLoanOutcome(ctx, input));
  }

  @Authorized(BANKERS)
  @PayloadMutation(() => LoanPayload, { description: 'The lending institution records principal repaid: the guarantee falls with it (R6); repaid in full, the pool\'s reserve is released (R8).' })
  async recordRepayment(@Ctx() ctx: AuthedContext, @Arg('input', () => RecordRepaymentInput) input: RecordRepaymentInput): Promise<LoanPayload> {
    const result = await recordRepayment(ctx, input);
    return loanPayload(ctx, result.ok ? { ok: true, value: { loan: result.value, match: null } } : result);
  }

  @Authorized(BANKERS)
  @PayloadMutation(() => LoanPayload, {
    description: 'The lending institution records a default with its net loss; the guarantee is claimed. When the pool owes the bank (R8: min(loss × lossShare, the reserve held)) the default opens the bank\'s claim (Loan.poolClaim, OPEN): the pool keeps that much reserved and releases the rest, and the loss is split when an authority has reviewed and paid (or rejected) the claim — the loss net of the payout (R7 after R8, DOMAIN E10). Otherwise the net loss is split by the agreement\'s risk-sharing rule at once.',
  })
  async recordDefault(@Ctx() ctx: AuthedContext, @Arg('input', () => RecordDefaultInput) input: RecordDefaultInput): Promise<LoanPayload> {
    const result = await recordDefault(ctx, input);
    return loanPayload(ctx, result.ok ? { ok: true, value: { loan: result.value, match: null } } : result);
  }

  @FieldResolver(() => ID, { description: 'Opaque, globally unique id (see `node`).' })
  id(@Root() loan: LoanEntity): string {
    return toGlobalId('Loan', loan.id);
  }

  @FieldResolver(() => Match, { description: 'The match it was disbursed on.' })
  async match(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<MatchEntity> {
    return (await visibleMatch(ctx, loan.matchId)) ?? (await ctx.db.getRepository(MatchEntity).findOneByOrFail({ id: loan.matchId }));
  }

  @FieldResolver(() => FinancingNeed, { description: 'The need it funds.' })
  async need(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<FinancingNeedEntity> {
    return (await needById(ctx).load(loan.needId))!;
  }

  @FieldResolver(() => GuaranteeQuote, { nullable: true, description: 'The guarantee it carries (R6, R7): principal × coverage at disbursement.' })
  guarantee(@Root() loan: LoanEntity): TermsView['guarantee'] {
    return loan.guarantorId
      ? { guarantorId: loan.guarantorId, coverageRatio: loan.coverageRatio!, feeRate: loan.guaranteeFeeRate!, guaranteedAmount: loan.guaranteedAmount! }
      : null;
  }

  @FieldResolver(() => DecimalScalar, { description: 'What the pool reserved at disbursement (R8), CNY.' })
  riskCompensationReserve(@Root() loan: LoanEntity): Decimal {
    return loan.reserve;
  }

  @FieldResolver(() => RiskCompensationPool, { nullable: true, description: 'The pool holding the reserve (R8).' })
  async riskCompensationPool(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<RiskCompensationPoolEntity | null> {
    return loan.poolId ? poolById(ctx).load(loan.poolId) : null;
  }

  @FieldResolver(() => [String], { description: 'Policy rule versions behind the reserve and the subsidies (CODE@vN).' })
  policyRuleVersions(@Root() loan: LoanEntity): string[] {
    return loan.ruleVersions;
  }

  @FieldResolver(() => [LossShare], { description: 'How the net loss less the pool\'s payout was split (R7 after R8, DOMAIN E10); empty unless it defaulted, and while its pool claim waits for an authority\'s decision (poolClaim).' })
  lossSplit(@Root() loan: LoanEntity): LossShare[] {
    return loan.lossSplit.map((p) => ({ party: p.party, amount: new Decimal(p.amount) }));
  }

  @FieldResolver(() => [SubsidyQuote], { description: 'Subsidies the disbursement entitled it to (R9), with their rule versions and the calendar years they are allocated to (a fee subsidy over a multi-year guarantee: by months, DOMAIN E9). Each year\'s part is booked when an authority pays its claim (`subsidyEntitlements`, `applyForSubsidy`).' })
  async subsidies(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<SubsidyQuote[]> {
    return (await subsidiesByLoan(ctx).load(loan.id)).map((s) => ({
      kind: s.kind, payee: s.payee, payeeId: payeeGlobalId(s.payee, s.payeeId), amount: new Decimal(s.amount), ruleVersion: s.ruleVersion,
      years: s.years.map((y) => ({ year: y.year, amount: new Decimal(y.amount) })),
    }));
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Every money movement of the loan, oldest first.' })
  async ledger(@Root() loan: LoanEntity, @Ctx() ctx: RequestContext): Promise<LedgerEntry[]> {
    return (await entriesByLoan(ctx).load(loan.id)).map((e) => ({ ...e, partyId: partyGlobalId(e.party, e.partyId), amount: new Decimal(e.amount) }));
  }
}

@Resolver(() => Match)
export class MatchLoansResolver {
  @Authorized(['ENTERPRISE', 'BANK', 'GUARANTOR', 'INVESTOR', 'AUTHORITY', 'ADMIN'])
  @FieldResolver(() => [Loan], { description: 'Disbursements on the match, oldest first. Not for analysts (they see aggregates).' })
  loans(@Root() m: MatchEntity, @Ctx() ctx: RequestContext): Promise<LoanEntity[]> {
    return loansByMatch(ctx).load(m.id);
  }
}

@Resolver(() => LoanPayload)
export class LoanPayloadResolver {
  @FieldResolver(() => [PayloadWarning], {
    description: 'What was done although the caller may not expect it, e.g. POOL_RESERVE_SHORT: the pool ran short between the quote and the disbursement and reserved less than the loan was due. Empty when refused.',
  })
  warnings(@Root() p: LoanPayload): PayloadWarning[] {
    return p.warnings ?? [];
  }
}
