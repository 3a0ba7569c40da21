/**
 * The policy records (R6–R9): benchmark rates, risk-sharing rules, cooperation agreements, pools,
 * versioned policy rules and guarantors' figures. Each write queues the refresh of the matches it can
 * alter (R13 freshness) in its own transaction.
 */
import { EntityManager } from 'typeorm';
import { byKey, defineLoader, RequestContext } from '../common/context';
import type { PolicyReach } from '../common/refresh';
import { badArgument } from '../common/errors';
import { uuidOf } from '../common/ids';
import { Lang, message } from '../common/messages';
import { isRegionPrefix } from '../common/region';
import { CODE_PATTERN } from '../common/types';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { requestToday } from '../database/clock';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { industryChainFailures } from '../enterprises/enterprise.service';
import { GuarantorProfileEntity, InstitutionEntity } from '../institutions/institution.entity';
import { GUARANTEE_KINDS, InstitutionKind } from '../institutions/institution.rules';
import { authorityRegion, outsideRuleRegion } from '../auth/authority-region';
import { checkParams } from './params';
import {
  BenchmarkRateEntity, CooperationAgreementEntity, PolicyRuleEntity, RiskCompensationPoolEntity, RiskSharingRuleEntity,
} from './policy.entity';
import {
  CreateCooperationAgreementInput, CreatePolicyRuleInput, CreateRiskCompensationPoolInput, CreateRiskSharingRuleInput, SetBenchmarkRateInput,
  UpdateGuarantorProfileInput,
} from './policy.inputs';
import { benchmarkReach, ruleVersionReach } from './policy.reach';
import { calculatorFor } from './registry';
import { coverageRatio, RISK_PARTIES, RiskParty, shareProblems } from './risk-sharing';

/** Institutions that lend and so can have a guarantor behind their loans. */
/** Namespace of the advisory lock that serialises versions of one policy-rule code. */
const POLICY_RULE_LOCK = 2;

export const LENDER_KINDS: readonly InstitutionKind[] = ['BANK', 'MICROLOAN', 'LEASING'];

export const riskSharingRuleById = defineLoader((ctx) => byKey(ctx, RiskSharingRuleEntity, 'id'));
export const poolById = defineLoader((ctx) => byKey(ctx, RiskCompensationPoolEntity, 'id'));

const uniqueViolation = (error: unknown, constraint: string) => sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === constraint;

/**
 * Figures and schemes every region reads, which no region's authority sets alone (issue 17 §3, RV1): the
 * PBOC benchmark rates and the risk-sharing rules (R7: national and provincial schemes, named by any
 * region's cooperation agreements). A regional authority gets NATIONAL_AUTHORITY_ONLY; national
 * authorities and admins act as before.
 */
function nationalOnly(ctx: RequestContext): Failure | null {
  const region = authorityRegion(ctx.viewer);
  return region === null ? null : failure([], 'NATIONAL_AUTHORITY_ONLY', { region });
}

/** setBenchmarkRate: a rate from a date; the same (code, date) again is accepted only with the same rate. */
export async function setBenchmarkRate(ctx: RequestContext, input: SetBenchmarkRateInput): Promise<Result<BenchmarkRateEntity>> {
  const regional = nationalOnly(ctx);
  if (regional) return refused(regional);
  return inTransaction(ctx, async (em) => {
    const inserted: unknown[] = await em.query(
      `INSERT INTO benchmark_rate (code, effective_from, rate, source) VALUES ($1, $2, $3, $4) ON CONFLICT (code, effective_from) DO NOTHING RETURNING code`,
      [input.code, input.effectiveFrom, input.rate.toFixed(), input.source?.trim() || null],
    );
    const row = await em.getRepository(BenchmarkRateEntity).findOneByOrFail({ code: input.code, effectiveFrom: input.effectiveFrom });
    if (!row.rate.eq(input.rate)) {
      return refused(failure('effectiveFrom', 'BENCHMARK_RATE_EXISTS', { code: row.code, effectiveFrom: row.effectiveFrom, rate: row.rate.toFixed() }));
    }
    // A repeat of a rate already known changes nothing, so it re-matches nothing; a new rate re-matches
    // the needs of the rules that read it, if it is the rate in force today (a later one: the daily refresh).
    if (inserted.length) await enqueueReach(ctx, em, await benchmarkReach(em, input.code, input.effectiveFrom, await requestToday(ctx)));
    return ok(row);
  });
}

export async function createRiskSharingRule(ctx: RequestContext, input: CreateRiskSharingRuleInput): Promise<Result<RiskSharingRuleEntity>> {
  const regional = nationalOnly(ctx);
  if (regional) return refused(regional);
  const failures: Failure[] = [];
  if (!input.shares.length) failures.push(failure('shares', 'REQUIRED'));
  input.shares.forEach((s, i) => {
    if (!(RISK_PARTIES as readonly string[]).includes(s.party)) failures.push(failure(['shares', String(i), 'party'], 'UNKNOWN_PARTY', { value: s.party, allowed: RISK_PARTIES.join(', ') }));
  });
  if (failures.length) return refused(...failures);
  const shares = input.shares.map((s) => ({ party: s.party as RiskParty, share: s.share }));
  for (const problem of shareProblems(shares)) {
    if (problem.kind === 'SHARES_NOT_ONE') failures.push(failure('shares', 'SHARES_NOT_ONE', { sum: problem.sum }));
    else failures.push(failure(['shares', String(problem.index), problem.kind === 'PARTY_REPEATED' ? 'party' : 'share'], problem.kind));
  }
  if (failures.length) return refused(...failures);
  try {
    return await inTransaction(ctx, async (em) =>
      ok(await em.getRepository(RiskSharingRuleEntity).save({
        name: input.name.trim(),
        shares: shares.map((s) => ({ party: s.party, share: s.share.toFixed() })),
        coverageRatio: coverageRatio(shares),
      })),
    );
  } catch (error) {
    if (uniqueViolation(error, 'uq_risk_sharing_rule_name')) return refused(failure('name', 'RULE_NAME_TAKEN'));
    throw error;
  }
}

async function institutionOfKind(em: EntityManager, id: string | null, field: string, kinds: readonly InstitutionKind[], action: 'lendUnderAgreement' | 'guaranteeUnderAgreement', lang: Lang): Promise<Failure | null> {
  if (!id) return failure(field, 'INVALID_ID');
  const institution = await em.getRepository(InstitutionEntity).findOneBy({ id });
  if (!institution) return failure(field, 'NOT_FOUND');
  if (!kinds.includes(institution.kind)) return failure(field, 'INSTITUTION_KIND_MISMATCH', { kind: institution.kind, action: message(lang, `INSTITUTION_ACTION.${action}`) });
  return null;
}

/** `cooperationAgreements`: oldest first; of one institution (as lender or guarantor) when named. */
export async function listCooperationAgreements(ctx: RequestContext, institutionId: string | null): Promise<CooperationAgreementEntity[]> {
  const qb = ctx.db.getRepository(CooperationAgreementEntity).createQueryBuilder('a').orderBy('a.created_at', 'ASC').addOrderBy('a.id', 'ASC');
  if (institutionId != null) {
    const id = uuidOf(institutionId, 'Institution');
    if (!id) throw badArgument('"institutionId" is not an institution id', 'institutionId');
    qb.where('a.bank_id = :id OR a.guarantor_id = :id', { id });
  }
  return qb.getMany();
}

/** createCooperationAgreement: a lender, a guarantor with its R6 figures, a rule; one agreement per pair. */
export async function createCooperationAgreement(ctx: RequestContext, input: CreateCooperationAgreementInput): Promise<Result<CooperationAgreementEntity>> {
  const bankId = uuidOf(input.bankId, 'Institution');
  const guarantorId = uuidOf(input.guarantorId, 'Institution');
  const ruleId = uuidOf(input.riskSharingRuleId, 'RiskSharingRule');
  try {
    return await inTransaction(ctx, async (em) => {
      const failures = [
        await institutionOfKind(em, bankId, 'bankId', LENDER_KINDS, 'lendUnderAgreement', ctx.lang),
        await institutionOfKind(em, guarantorId, 'guarantorId', GUARANTEE_KINDS, 'guaranteeUnderAgreement', ctx.lang),
        !ruleId ? failure('riskSharingRuleId', 'INVALID_ID') : (await em.getRepository(RiskSharingRuleEntity).existsBy({ id: ruleId })) ? null : failure('riskSharingRuleId', 'NOT_FOUND'),
      ].filter((f): f is Failure => f !== null);
      if (failures.length) return refused(...failures);
      const agreement = await em.getRepository(CooperationAgreementEntity).save({
        bankId: bankId!, guarantorId: guarantorId!, riskSharingRuleId: ruleId!, feeRate: input.feeRate ?? null, guaranteeAcceptance: input.guaranteeAcceptance ?? 'AUTOMATIC',
      });
      await ctx.refresh.enqueue(em, { kind: 'bank', id: agreement.bankId });
      return ok(agreement);
    });
  } catch (error) {
    if (uniqueViolation(error, 'uq_cooperation_agreement_pair')) return refused(failure('guarantorId', 'AGREEMENT_EXISTS'));
    throw error;
  }
}

export async function createPool(ctx: RequestContext, input: CreateRiskCompensationPoolInput): Promise<Result<RiskCompensationPoolEntity>> {
  try {
    return await inTransaction(ctx, async (em) => {
      const repo = em.getRepository(RiskCompensationPoolEntity);
      const { id } = await repo.save({ name: input.name.trim(), funder: input.funder?.trim() || null, capacity: input.capacity, source: input.source?.trim() || null });
      return ok(await repo.findOneByOrFail({ id }));
    });
  } catch (error) {
    if (uniqueViolation(error, 'uq_risk_compensation_pool_name')) return refused(failure('name', 'POOL_NAME_TAKEN'));
    throw error;
  }
}

/**
 * createPolicyRule: parameters checked against the kind's declaration (registry), eligibility checked;
 * an existing code gets its next version (same kind only) and the earlier one stays for the matches and
 * loans that used it. Versions of one code are written one at a time (a transaction lock on the code),
 * so two authorities adding a version at once make versions n and n + 1.
 */
export async function createPolicyRule(ctx: RequestContext, input: CreatePolicyRuleInput): Promise<Result<PolicyRuleEntity>> {
  const calculator = calculatorFor(input.kind);
  const { params, failures } = checkParams(calculator.params, input.params);
  const e = input.eligibility ?? {};
  e.regionPrefixes?.forEach((r, i) => {
    if (!isRegionPrefix(r)) failures.push(failure(['eligibility', 'regionPrefixes', String(i)], 'INVALID_REGION_PREFIX'));
  });
  e.sectorTags?.forEach((t, i) => {
    if (!CODE_PATTERN.test(t)) failures.push(failure(['eligibility', 'sectorTags', String(i)], 'INVALID_TAG', { value: t }));
  });
  for (const [field, values] of [['productKinds', e.productKinds], ['sectorTags', e.sectorTags], ['sizeClasses', e.sizeClasses], ['regionPrefixes', e.regionPrefixes]] as const) {
    if (values) failures.push(...duplicates(['eligibility', field], values));
  }
  failures.push(...regionFailures(e.regionPrefixes ?? [], e.national ?? false));
  (input.requiredDocuments ?? []).forEach((k, i) => {
    if (!CODE_PATTERN.test(k)) failures.push(failure(['requiredDocuments', String(i)], 'INVALID_TAG', { value: k }));
  });
  if (input.requiredDocuments) failures.push(...duplicates(['requiredDocuments'], input.requiredDocuments));
  // A regional authority makes rules for its region only (issue 17 §3).
  const outside = outsideRuleRegion(ctx.viewer, ['eligibility', 'regionPrefixes'], { national: e.national ?? false, regionPrefixes: e.regionPrefixes ?? [] });
  if (outside) failures.push(outside);
  const poolId = input.poolId == null ? null : uuidOf(input.poolId, 'RiskCompensationPool');
  if (input.poolId != null && !poolId) failures.push(failure('poolId', 'INVALID_ID'));
  if (calculator.needsPool && input.poolId == null) failures.push(failure('poolId', 'POOL_REQUIRED'));
  if (!calculator.needsPool && input.poolId != null) failures.push(failure('poolId', 'POOL_NOT_ALLOWED'));
  if (failures.length) return refused(...failures);

  return inTransaction(ctx, async (em) => {
    await em.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [POLICY_RULE_LOCK, input.code]);
    const more = await industryChainFailures(em, ['eligibility', 'industryChains'], e.industryChains ?? []);
    if (poolId && !(await em.getRepository(RiskCompensationPoolEntity).existsBy({ id: poolId }))) more.push(failure('poolId', 'NOT_FOUND'));
    if (more.length) return refused(...more);
    const repo = em.getRepository(PolicyRuleEntity);
    const previous = await repo.findOneBy({ code: input.code, latest: true });
    if (previous && previous.kind !== input.kind) return refused(failure('kind', 'RULE_KIND_CHANGED', { code: input.code, kind: previous.kind }));
    if (previous) await repo.update({ id: previous.id }, { latest: false });
    const rule = await repo.save({
      code: input.code, version: (previous?.version ?? 0) + 1, latest: true, kind: input.kind, poolId, params,
      productKinds: e.productKinds ?? [], sectorTags: e.sectorTags ?? [], sizeClasses: e.sizeClasses ?? [], regionPrefixes: e.regionPrefixes ?? [],
      industryChains: e.industryChains ?? [], national: e.national ?? false, requiredDocuments: input.requiredDocuments ?? [], effectiveFrom: input.effectiveFrom ?? null, source: input.source?.trim() || null, createdBy: ctx.viewer!.sub,
    });
    await enqueueReach(ctx, em, await ruleVersionReach(em, rule.code, rule.id, await requestToday(ctx)));
    return ok(rule);
  });
}

/**
 * Issue 17 §1: a subsidy or pool rule states the regions it applies to, or is marked national — a rule
 * with neither paid Qingdao's subsidies on Beijing loans. Not both: a national rule lists no prefixes.
 */
function regionFailures(regionPrefixes: readonly string[], national: boolean): Failure[] {
  if (national && regionPrefixes.length) return [failure(['eligibility', 'national'], 'NATIONAL_WITH_REGIONS')];
  if (!national && !regionPrefixes.length) return [failure(['eligibility', 'regionPrefixes'], 'REGION_REQUIRED')];
  return [];
}

/** Queues the re-decision of the needs a policy change reaches (none: nothing to queue). */
async function enqueueReach(ctx: RequestContext, em: EntityManager, reach: PolicyReach[]): Promise<void> {
  if (reach.length) await ctx.refresh.enqueue(em, { kind: 'policy', reach });
}

/** updateGuarantorProfile: new net assets, fee or multiples change the guarantor's capacity (R6). */
export async function updateGuarantorProfile(ctx: RequestContext, input: UpdateGuarantorProfileInput): Promise<Result<InstitutionEntity>> {
  const id = uuidOf(input.institutionId, 'Institution');
  if (!id) return refused(failure('institutionId', 'INVALID_ID'));
  const { institutionId: _id, ...changes } = input;
  if (Object.values(changes).every((v) => v == null)) return refused(failure([], 'NOTHING_TO_UPDATE'));
  const today = await requestToday(ctx);
  if (input.netAssetsAsOf && input.netAssetsAsOf > today) return refused(failure('netAssetsAsOf', 'DATE_IN_FUTURE', { today }));
  return inTransaction(ctx, async (em) => {
    const profile = await em.getRepository(GuarantorProfileEntity).createQueryBuilder('g').setLock('pessimistic_write').where('g.institution_id = :id', { id }).getOne();
    if (!profile) return refused(failure('institutionId', 'NOT_FOUND'));
    if (input.netAssets != null) {
      profile.netAssets = input.netAssets;
      profile.netAssetsAsOf = input.netAssetsAsOf ?? today;
    } else if (input.netAssetsAsOf != null) profile.netAssetsAsOf = input.netAssetsAsOf;
    if (input.feeRate != null) profile.feeRate = input.feeRate;
    if (input.capMultiple != null) profile.capMultiple = input.capMultiple;
    if (input.targetMultiple != null) profile.targetMultiple = input.targetMultiple;
    await em.getRepository(GuarantorProfileEntity).save(profile);
    await ctx.refresh.enqueue(em, { kind: 'guarantor', id });
    return ok(await em.getRepository(InstitutionEntity).findOneByOrFail({ id }));
  });
}
