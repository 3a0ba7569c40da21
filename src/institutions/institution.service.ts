/**
 * R12 — institutions (with R6 guarantor profiles) and their products.
 */
import { institutionCache } from '../auth/institution-cache';
import { EntityManager } from 'typeorm';
import { byKey, defineLoader, RequestContext } from '../common/context';
import { forbiddenBecause } from '../auth/errors';
import { distinct } from '../common/collections';
import { PageArgs } from '../common/connection';
import { requestToday } from '../database/clock';
import { Decimal } from '../common/decimal';
import { badArgument } from '../common/errors';
import { queryDate, queryDecimal } from '../common/scalars';
import { uuidOf } from '../common/ids';
import { message } from '../common/messages';
import { isRegionCode, isRegionPrefix } from '../common/region';
import { CODE_PATTERN, Loose } from '../common/types';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { childPages, keysetPage } from '../database/pages';
import { constraintOf, inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { industryChainFailures } from '../enterprises/enterprise.service';
import { GuarantorProfileEntity, InstitutionEntity } from './institution.entity';
import { CreateInstitutionInput, CreateProductInput, UpdateProductInput } from './institution.inputs';
import { defaultCapMultiple, GUARANTEE_KINDS, needKindsServed } from './institution.rules';
import { InstitutionFilter, ProductFilter } from './institution.type';
import { ProductEntity } from './product.entity';


export const institutionById = defineLoader((ctx) => byKey(ctx, InstitutionEntity, 'id'));

export const productById = defineLoader((ctx) => byKey(ctx, ProductEntity, 'id'));

export const guarantorProfileByInstitutionId = defineLoader((ctx) => byKey(ctx, GuarantorProfileEntity, 'institutionId'));

export const productsByInstitution = defineLoader((ctx) =>
  childPages<ProductEntity>(ctx, { entity: ProductEntity, parentColumn: 'institution_id', parentProperty: 'institutionId' }),
);

export async function listInstitutions(ctx: RequestContext, filter: InstitutionFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(InstitutionEntity).createQueryBuilder('i');
  if (filter?.kind?.length) qb.andWhere('i.kind IN (:...kinds)', { kinds: distinct(filter.kind) });
  if (filter?.nameContains) qb.andWhere("i.name ILIKE '%' || :name || '%'", { name: filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`) });
  if (filter?.regionPrefix) qb.andWhere('left(i.region_code, length(:regionPrefix)) = :regionPrefix', { regionPrefix: filter.regionPrefix });
  return keysetPage(ctx, qb, 'i', page);
}

export async function listProducts(ctx: RequestContext, filter: ProductFilter | null | undefined, page: PageArgs) {
  const qb = ctx.db.getRepository(ProductEntity).createQueryBuilder('p');
  if (filter?.institutionId) {
    const institutionId = uuidOf(filter.institutionId, 'Institution');
    if (!institutionId) throw badArgument('"filter.institutionId" is not an institution id', 'filter.institutionId');
    qb.andWhere('p.institution_id = :institutionId', { institutionId });
  }
  if (filter?.kind?.length) qb.andWhere('p.kind IN (:...kinds)', { kinds: distinct(filter.kind) });
  if (filter?.needKind) qb.andWhere('p.need_kind = :needKind', { needKind: filter.needKind });
  if (filter?.activeOn) {
    qb.andWhere('p.enabled AND (p.active_from IS NULL OR p.active_from <= :activeOn::date) AND (p.active_to IS NULL OR p.active_to >= :activeOn::date)', {
      activeOn: queryDate(filter.activeOn, 'filter.activeOn'),
    });
  }
  if (filter?.amount) qb.andWhere(':amount::numeric BETWEEN p.min_amount AND p.max_amount', { amount: queryDecimal(filter.amount, 'filter.amount').toFixed() });
  if (filter?.regionCode) {
    qb.andWhere('(cardinality(p.region_prefixes) = 0 OR EXISTS (SELECT 1 FROM unnest(p.region_prefixes) rp WHERE left(:regionCode, length(rp)) = rp))', {
      regionCode: filter.regionCode,
    });
  }
  return keysetPage(ctx, qb, 'p', page);
}

/** createInstitution (authority, admin). Guarantors must bring their R6 figures; others must not. */
export async function createInstitution(ctx: RequestContext, input: CreateInstitutionInput): Promise<Result<InstitutionEntity>> {
  const failures: Failure[] = [];
  const isGuarantor = GUARANTEE_KINDS.includes(input.kind);
  if (input.regionCode != null && !isRegionCode(input.regionCode)) failures.push(failure('regionCode', 'INVALID_REGION_CODE'));
  input.coverageRegions?.forEach((r, i) => {
    if (!isRegionPrefix(r)) failures.push(failure(['coverageRegions', String(i)], 'INVALID_REGION_PREFIX'));
  });
  if (input.coverageRegions) failures.push(...duplicates(['coverageRegions'], input.coverageRegions));
  if (isGuarantor && !input.guarantee) failures.push(failure('guarantee', 'GUARANTEE_PROFILE_REQUIRED'));
  if (!isGuarantor && input.guarantee) failures.push(failure('guarantee', 'GUARANTEE_PROFILE_NOT_ALLOWED'));
  const g = input.guarantee;
  // The database's day (src/database/clock.ts), as every process has it.
  const today = await requestToday(ctx);
  if (g?.netAssetsAsOf && g.netAssetsAsOf > today) failures.push(failure(['guarantee', 'netAssetsAsOf'], 'DATE_IN_FUTURE', { today }));
  if (failures.length) return refused(...failures);

  try {
    const created = await inTransaction(ctx, async (em) => {
      const institution = await em.getRepository(InstitutionEntity).save(
        em.getRepository(InstitutionEntity).create({
          kind: input.kind,
          name: input.name.trim(),
          regionCode: input.regionCode ?? null,
          coverageRegions: input.coverageRegions ?? [],
        }),
      );
      if (g) {
        const smallMicroFocused = g.smallMicroFocused ?? false;
        const opening = g.openingLiability ?? new Decimal(0);
        await em.insert(GuarantorProfileEntity, {
          institutionId: institution.id,
          netAssets: g.netAssets,
          netAssetsAsOf: g.netAssetsAsOf ?? today,
          feeRate: g.feeRate,
          capMultiple: g.capMultiple ?? new Decimal(defaultCapMultiple(smallMicroFocused)),
          targetMultiple: g.targetMultiple ?? null,
          smallMicroFocused,
          openingLiability: opening,
          liability: opening,
        });
      }
      return ok(institution);
    });
    // Committed: the gate may trust it from the first token that names it (auth/institution-cache.ts).
    if (created.ok) institutionCache(ctx.db).remember(created.value);
    return created;
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION && constraintOf(error) === 'uq_institution_name') return refused(failure('name', 'INSTITUTION_NAME_TAKEN'));
    throw error;
  }
}

/** An institution token may manage only its own institution's products. */
function assertManages(ctx: RequestContext, institutionId: string): void {
  const viewer = ctx.viewer!;
  if (viewer.institutionId && viewer.institutionId !== institutionId) {
    throw forbiddenBecause(ctx.lang, 'ownProductsOnly');
  }
}

type ProductShape = Pick<
  ProductEntity,
  'kind' | 'needKind' | 'minAmount' | 'maxAmount' | 'minTermMonths' | 'maxTermMonths' | 'minAnnualRate' | 'maxAnnualRate' | 'regionPrefixes' | 'industryChains' |
  'qualifications' | 'equityStages' | 'minTicket' | 'maxTicket' | 'maxPreMoneyValuation' | 'activeFrom' | 'activeTo' | 'collateralAccepted' | 'sectors' | 'sizeClasses'
>;

/** Rules across fields of the product as it will be (after an update is applied). */
async function productFailures(em: EntityManager, p: ProductShape, hasEquityInput: boolean): Promise<Failure[]> {
  const failures: Failure[] = [];
  if (!needKindsServed(p.kind).includes(p.needKind)) failures.push(failure('needKind', 'NEED_KIND_MISMATCH', { kind: p.kind, needKind: needKindsServed(p.kind).join(' / ') }));
  if (p.minAmount.gt(p.maxAmount)) failures.push(failure('minAmount', 'MIN_GREATER_THAN_MAX', { min: p.minAmount.toFixed(2), max: p.maxAmount.toFixed(2) }));
  if (p.minTermMonths != null && p.maxTermMonths != null && p.minTermMonths > p.maxTermMonths) {
    failures.push(failure('minTermMonths', 'MIN_GREATER_THAN_MAX', { min: p.minTermMonths, max: p.maxTermMonths }));
  }
  if (p.minAnnualRate && p.maxAnnualRate && p.minAnnualRate.gt(p.maxAnnualRate)) {
    failures.push(failure('minAnnualRate', 'MIN_GREATER_THAN_MAX', { min: p.minAnnualRate.toFixed(), max: p.maxAnnualRate.toFixed() }));
  }
  if (p.activeFrom && p.activeTo && p.activeFrom > p.activeTo) failures.push(failure('activeTo', 'ACTIVE_WINDOW_INVALID'));
  if (hasEquityInput && p.needKind !== 'EQUITY') failures.push(failure('equity', 'EQUITY_CRITERIA_NOT_ALLOWED'));
  if (p.minTicket && p.maxTicket && p.minTicket.gt(p.maxTicket)) {
    failures.push(failure(['equity', 'minTicket'], 'MIN_GREATER_THAN_MAX', { min: p.minTicket.toFixed(2), max: p.maxTicket.toFixed(2) }));
  }
  p.regionPrefixes.forEach((r, i) => {
    if (!isRegionPrefix(r)) failures.push(failure(['eligibility', 'regionPrefixes', String(i)], 'INVALID_REGION_PREFIX'));
  });
  failures.push(...(await industryChainFailures(em, ['eligibility', 'industryChains'], p.industryChains)));
  p.qualifications.forEach((q, i) => {
    if (!CODE_PATTERN.test(q)) failures.push(failure(['eligibility', 'qualifications', String(i)], 'INVALID_TAG', { value: q }));
  });
  for (const [field, values] of [
    ['regionPrefixes', p.regionPrefixes], ['qualifications', p.qualifications], ['sectors', p.sectors], ['sizeClasses', p.sizeClasses],
  ] as const) {
    failures.push(...duplicates(['eligibility', field], values));
  }
  failures.push(...duplicates(['collateralAccepted'], p.collateralAccepted));
  failures.push(...duplicates(['equity', 'stages'], p.equityStages));
  return failures;
}

/** Copies the fields present in `input` (create or update) onto the product; null clears. */
function applyProductFields(p: ProductEntity, input: Loose<CreateProductInput> & Loose<UpdateProductInput>): void {
  if (input.name != null) p.name = input.name.trim();
  if (input.minAmount != null) p.minAmount = input.minAmount;
  if (input.maxAmount != null) p.maxAmount = input.maxAmount;
  if (input.minTermMonths !== undefined) p.minTermMonths = input.minTermMonths;
  if (input.maxTermMonths !== undefined) p.maxTermMonths = input.maxTermMonths;
  if (input.minAnnualRate !== undefined) p.minAnnualRate = input.minAnnualRate;
  if (input.maxAnnualRate !== undefined) p.maxAnnualRate = input.maxAnnualRate;
  if (input.collateralAccepted !== undefined) p.collateralAccepted = input.collateralAccepted ?? [];
  if (input.requiresGuarantee != null) p.requiresGuarantee = input.requiresGuarantee;
  if (input.activeFrom !== undefined) p.activeFrom = input.activeFrom;
  if (input.activeTo !== undefined) p.activeTo = input.activeTo;
  if (input.enabled != null) p.enabled = input.enabled;
  if (input.eligibility !== undefined) {
    const e = input.eligibility ?? {};
    p.regionPrefixes = e.regionPrefixes ?? [];
    p.sectors = e.sectors ?? [];
    p.industryChains = e.industryChains ?? [];
    p.sizeClasses = e.sizeClasses ?? [];
    p.minYearsInBusiness = e.minYearsInBusiness ?? null;
    p.whitelistTierAtLeast = e.whitelistTierAtLeast ?? null;
    p.qualifications = e.qualifications ?? [];
    p.minRating = e.minRating ?? null;
    p.minTaxGrade = e.minTaxGrade ?? null;
    p.noActiveDishonesty = e.noActiveDishonesty ?? false;
    p.maxOverdueCount12m = e.maxOverdueCount12m ?? null;
    p.maxCreditDataAgeDays = e.maxCreditDataAgeDays ?? null;
    p.firstLoanOnly = e.firstLoanOnly ?? false;
    p.minAnnualRevenue = e.minAnnualRevenue ?? null;
  }
  if (input.equity !== undefined) {
    const q = input.equity ?? {};
    p.equityStages = q.stages ?? [];
    p.minTicket = q.minTicket ?? null;
    p.maxTicket = q.maxTicket ?? null;
    p.maxPreMoneyValuation = q.maxPreMoneyValuation ?? null;
  }
}

export async function createProduct(ctx: RequestContext, input: CreateProductInput): Promise<Result<ProductEntity>> {
  const institutionId = uuidOf(input.institutionId, 'Institution');
  if (!institutionId) return refused(failure('institutionId', 'INVALID_ID'));
  assertManages(ctx, institutionId);
  return inTransaction(ctx, async (em) => {
    const institution = await em.getRepository(InstitutionEntity).findOneBy({ id: institutionId });
    if (!institution) return refused(failure('institutionId', 'NOT_FOUND'));
    if (institution.kind === 'AUTHORITY') return refused(failure('institutionId', 'INSTITUTION_KIND_MISMATCH', { kind: institution.kind, action: message(ctx.lang, 'INSTITUTION_ACTION.offerProducts') }));
    const repo = em.getRepository(ProductEntity);
    const product = repo.create({
      institutionId,
      kind: input.kind,
      needKind: input.needKind,
      requiresGuarantee: input.kind === 'GUARANTEED_LOAN',
      enabled: true,
      version: 1,
    });
    applyProductFields(product, { ...input, eligibility: input.eligibility ?? null, equity: input.equity ?? null, collateralAccepted: input.collateralAccepted ?? null });
    const failures = await productFailures(em, product, input.equity != null);
    if (failures.length) return refused(...failures);
    const saved = await repo.save(product);
    await ctx.refresh.enqueue(em, { kind: 'product', id: saved.id });
    return ok(saved);
  });
}

export async function updateProduct(ctx: RequestContext, input: UpdateProductInput): Promise<Result<ProductEntity>> {
  const id = uuidOf(input.productId, 'FinancialProduct');
  if (!id) return refused(failure('productId', 'INVALID_ID'));
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(ProductEntity);
    const product = await repo.createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
    if (!product) return refused(failure('productId', 'NOT_FOUND'));
    assertManages(ctx, product.institutionId);
    const { productId: _ignored, ...changes } = input;
    if (Object.values(changes).every((v) => v === undefined)) return refused(failure([], 'NOTHING_TO_UPDATE'));
    applyProductFields(product, input);
    const failures = await productFailures(em, product, input.equity != null);
    if (failures.length) return refused(...failures);
    product.version += 1;
    const saved = await repo.save(product);
    await ctx.refresh.enqueue(em, { kind: 'product', id: saved.id });
    return ok(saved);
  });
}
