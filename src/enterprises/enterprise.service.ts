/**
 * Enterprises (R1–R3): registration, claiming an unowned record, profile updates, size class.
 */
import DataLoader from 'dataloader';
import { EntityManager, In } from 'typeorm';
import { outsideRegion } from '../auth/authority-region';
import { byKey, defineLoader, groupedBy, RequestContext } from '../common/context';
import { requestToday } from '../database/clock';
import { uuidOf } from '../common/ids';
import { isRegionCode } from '../common/region';
import { CODE_PATTERN, Loose } from '../common/types';
import { duplicates, Failure, failure, ok, refused, Result } from '../common/user-error';
import { inTransaction, sqlState, UNIQUE_VIOLATION } from '../database/transaction';
import { claimOnRegistration, isVerifiedHolder, liveClaimOfSub, supersedeUnverifiedHolder, verifyByToken } from './claim.service';
import { checkCreditCode, creditCodeFailure, registeringDivision } from './credit-code';
import { EnterpriseEntity, EnterpriseQualificationEntity, EnterpriseUserEntity, IndustryChainEntity } from './enterprise.entity';
import { QualificationInput, RegisterEnterpriseInput, UpdateEnterpriseProfileInput } from './enterprise.inputs';
import type { QualificationSource } from './provenance';
import { Sector, SIZE_STANDARD_ID, sizeClassFromYuan } from './size-class';

/** R1 as a userError (kept here too for the callers that import it from the enterprise service). */
export { creditCodeFailure };

export const enterpriseById = defineLoader((ctx) => byKey(ctx, EnterpriseEntity, 'id'));

export const qualificationsByEnterpriseId = defineLoader((ctx) =>
  groupedBy<EnterpriseQualificationEntity>(
    (q) => q.enterpriseId,
    (ids) => ctx.db.getRepository(EnterpriseQualificationEntity).find({ where: { enterpriseId: In(ids) }, order: { source: 'ASC', code: 'ASC', validFrom: 'ASC' } }),
  ),
);

/** Whether an enterprise has been registered (claimed) by a user. */
export const ownedByEnterpriseId = defineLoader(
  (ctx) =>
    new DataLoader<string, boolean>(async (ids) => {
      const rows: { enterprise_id: string }[] = await ctx.db.query(
        'SELECT DISTINCT enterprise_id FROM enterprise_user WHERE enterprise_id = ANY($1::uuid[])',
        [[...ids]],
      );
      const owned = new Set(rows.map((r) => r.enterprise_id));
      return ids.map((id) => owned.has(id));
    }),
);

/** The enterprise a `sub` acts for (registerEnterprise bound it), or null. */
export const enterpriseIdBySub = defineLoader(
  (ctx) =>
    new DataLoader<string, string | null>(async (subs) => {
      const rows = await ctx.db.getRepository(EnterpriseUserEntity).findBy({ sub: In([...subs]) });
      const map = new Map(rows.map((r) => [r.sub, r.enterpriseId]));
      return subs.map((s) => map.get(s) ?? null);
    }),
);

/** The enterprise the viewer acts for, for ENTERPRISE tokens. */
export async function viewerEnterpriseId(ctx: RequestContext): Promise<string | null> {
  if (!ctx.viewer || ctx.viewer.role !== 'ENTERPRISE') return null;
  return enterpriseIdBySub(ctx).load(ctx.viewer.sub);
}

export async function findByCreditCode(ctx: RequestContext, creditCode: string): Promise<EnterpriseEntity | null> {
  const check = checkCreditCode(creditCode);
  if (!check.valid) return null;
  return ctx.db.getRepository(EnterpriseEntity).findOneBy({ creditCode: check.code });
}

export async function listIndustryChains(ctx: RequestContext): Promise<IndustryChainEntity[]> {
  return ctx.db.getRepository(IndustryChainEntity).find({ order: { code: 'ASC' } });
}

/**
 * DUPLICATE_ROW for every valid credit code that repeats an earlier one (at [list, index, 'creditCode'],
 * naming the first index). Invalid codes are left to R1's own failure. The file imports run it over every
 * row, including rows with other problems, so a repeated row is reported whatever else is wrong with it.
 */
export function repeatedCodes(list: string, codes: readonly (string | null)[]): Failure[] {
  const firstIndex = new Map<string, number>();
  const failures: Failure[] = [];
  codes.forEach((raw, i) => {
    if (raw === null) return;
    const check = checkCreditCode(raw);
    if (!check.valid) return;
    const first = firstIndex.get(check.code);
    if (first === undefined) firstIndex.set(check.code, i);
    else failures.push(failure([list, String(i), 'creditCode'], 'DUPLICATE_ROW', { first, creditCode: check.code }, 'entry'));
  });
  return failures;
}

type ProfileInput = Loose<RegisterEnterpriseInput> & Loose<UpdateEnterpriseProfileInput>;

/** Chain codes that are not in the industry_chain list, or repeated (for any input naming chains). */
export async function industryChainFailures(em: EntityManager, field: string[], codes: readonly string[]): Promise<Failure[]> {
  if (!codes.length) return [];
  const known = (await em.getRepository(IndustryChainEntity).find()).map((c) => c.code);
  const unknown = codes.flatMap((code, i) =>
    known.includes(code) ? [] : [failure([...field, String(i)], 'UNKNOWN_INDUSTRY_CHAIN', { value: code, known: known.join(', ') })],
  );
  return [...unknown, ...duplicates(field, codes)];
}

/** Rules that need more than one field or the database; format rules are on the input classes. */
async function profileFailures(em: EntityManager, input: ProfileInput, today: string): Promise<Failure[]> {
  const failures: Failure[] = [];
  if (input.regionCode != null && !isRegionCode(input.regionCode)) failures.push(failure('regionCode', 'INVALID_REGION_CODE'));
  if (input.name != null && input.name.trim().length === 0) failures.push(failure('name', 'REQUIRED'));
  if (input.foundedOn != null && input.foundedOn > today) failures.push(failure('foundedOn', 'FOUNDED_IN_FUTURE'));
  if (input.industryChains) failures.push(...(await industryChainFailures(em, ['industryChains'], input.industryChains)));
  if (input.sectorTags) {
    input.sectorTags.forEach((tag, i) => {
      if (!CODE_PATTERN.test(tag)) failures.push(failure(['sectorTags', String(i)], 'INVALID_TAG', { value: tag }));
    });
    failures.push(...duplicates(['sectorTags'], input.sectorTags));
  }
  input.qualifications?.forEach((q: QualificationInput, i) => {
    if (q.validFrom && q.validTo && q.validFrom > q.validTo) {
      failures.push(failure(['qualifications', String(i), 'validTo'], 'MIN_GREATER_THAN_MAX', { min: q.validFrom, max: q.validTo }));
    }
    // The listing reserve pool (seed 003) is kept by authorities as a list (reviews/reserve.service.ts), not declared or recorded here.
    if (q.code === 'LISTING_RESERVE') failures.push(failure(['qualifications', String(i), 'code'], 'LISTING_RESERVE_KEPT_BY_LIST'));
  });
  return failures;
}

/** Copies the profile fields present in `input` onto `e` (null clears) and recomputes the size class. */
function applyProfile(e: EnterpriseEntity, input: ProfileInput): void {
  if (input.name != null) e.name = input.name.trim();
  if (input.sector != null) e.sector = input.sector;
  if (input.regionCode != null) e.regionCode = input.regionCode;
  if (input.foundedOn !== undefined) e.foundedOn = input.foundedOn;
  if (input.employees !== undefined) e.employees = input.employees;
  if (input.revenue !== undefined) e.revenue = input.revenue;
  if (input.totalAssets !== undefined) e.totalAssets = input.totalAssets;
  if (input.industryCode !== undefined) e.industryCode = input.industryCode;
  if (input.industryChains !== undefined) e.industryChains = input.industryChains ?? [];
  // What the firm says of itself is declared (provenance.ts); authorities record the tags rules use.
  if (input.sectorTags !== undefined) e.declaredSectorTags = input.sectorTags ?? [];
  if (input.contact !== undefined) {
    e.contactPerson = input.contact?.person?.trim() || null;
    e.contactPhone = input.contact?.phone?.trim() || null;
    e.contactEmail = input.contact?.email?.trim() || null;
  }
  e.sizeClass = sizeClassFromYuan(e.sector as Sector, e.employees, e.revenue, e.totalAssets);
  e.sizeStandard = SIZE_STANDARD_ID;
}

/** Replaces the qualifications of one source (provenance.ts); the other source's rows stay. */
async function replaceQualifications(em: EntityManager, enterpriseId: string, list: QualificationInput[] | null | undefined, source: QualificationSource = 'DECLARED'): Promise<void> {
  if (list === undefined) return;
  await em.delete(EnterpriseQualificationEntity, { enterpriseId, source });
  if (list && list.length) {
    await em.insert(
      EnterpriseQualificationEntity,
      list.map((q) => ({ enterpriseId, code: q.code, validFrom: q.validFrom ?? null, validTo: q.validTo ?? null, source })),
    );
  }
}

/**
 * setEnterpriseQualifications (AUTHORITY): records the sector tags and qualifications an authority vouches
 * for — the only ones products, pools and subsidies read. Omitted lists stay; a list replaces the
 * authority's previous one (the firm's declared ones are untouched). The firm's matches are refreshed (R13).
 * A regional authority records them for firms of its region only (OUTSIDE_AUTHORITY_REGION, nothing written).
 */
export async function setAuthorityQualifications(
  ctx: RequestContext, input: { creditCode: string; sectorTags?: string[] | null; qualifications?: QualificationInput[] | null },
): Promise<Result<EnterpriseEntity>> {
  const codeProblem = creditCodeFailure(['creditCode'], input.creditCode);
  if (codeProblem) return refused(codeProblem);
  const creditCode = checkCreditCode(input.creditCode).code;
  return inTransaction(ctx, async (em) => {
    const failures = await profileFailures(em, { sectorTags: input.sectorTags, qualifications: input.qualifications } as ProfileInput, await requestToday(ctx));
    if (failures.length) return refused(...failures);
    const repo = em.getRepository(EnterpriseEntity);
    const enterprise = await repo.createQueryBuilder('e').setLock('pessimistic_write').where('e.credit_code = :creditCode', { creditCode }).getOne();
    if (!enterprise) return refused(failure('creditCode', 'NOT_FOUND'));
    // A regional authority vouches for its region's firms only (issue 17 §3, RV1).
    const outside = outsideRegion(ctx.viewer, 'creditCode', enterprise.regionCode);
    if (outside) return refused(outside);
    if (input.sectorTags != null) {
      enterprise.sectorTags = input.sectorTags;
      await repo.save(enterprise);
    }
    if (input.qualifications != null) await replaceQualifications(em, enterprise.id, input.qualifications, 'AUTHORITY');
    await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [enterprise.id] });
    return ok(await repo.findOneByOrFail({ id: enterprise.id }));
  });
}

/** Is the firm on (or was it ever on) an authority's whitelist? Its registered facts are the list's. */
async function whitelisted(em: EntityManager, enterpriseId: string): Promise<boolean> {
  const rows: unknown[] = await em.query('SELECT 1 FROM whitelist_entry WHERE enterprise_id = $1 LIMIT 1', [enterpriseId]);
  return rows.length > 0;
}

/**
 * The registered facts (name, region) of a whitelisted firm stay as the authority listed them until its
 * holder is verified (issue 11 §6): REGISTERED_FACT_LOCKED for each one `input` would change.
 */
function registeredFactFailures(e: EnterpriseEntity, input: ProfileInput): Failure[] {
  const failures: Failure[] = [];
  if (input.name != null && input.name.trim() !== e.name) failures.push(failure('name', 'REGISTERED_FACT_LOCKED'));
  if (input.regionCode != null && input.regionCode !== e.regionCode) failures.push(failure('regionCode', 'REGISTERED_FACT_LOCKED'));
  return failures;
}

/**
 * registerEnterprise: binds the caller's `sub` to the enterprise with this credit code, creating it, or
 * claiming it when an import created it without an owner (CREDIT_CODE_TAKEN when someone holds it).
 * The binding is a claim (claim.service.ts): VERIFIED when the token carries this credit code as verified,
 * else PENDING until an authority confirms it. A token verified for the code also displaces a holder whose
 * claim is not verified. An unverified claim on a whitelisted firm keeps the listed name and region.
 * A retry by the same `sub` for the same code returns the enterprise unchanged (and verifies a pending
 * claim when the token now vouches for the code).
 */
export async function registerEnterprise(ctx: RequestContext, sub: string, input: RegisterEnterpriseInput): Promise<Result<EnterpriseEntity>> {
  const codeProblem = creditCodeFailure(['creditCode'], input.creditCode);
  if (codeProblem) return refused(codeProblem);
  const creditCode = checkCreditCode(input.creditCode).code;
  const tokenCode = ctx.viewer?.verifiedCreditCode ?? null;
  const verified = tokenCode === creditCode;

  try {
    return await inTransaction(ctx, async (em) => {
      const failures = await profileFailures(em, input, await requestToday(ctx));
      if (failures.length) return refused(...failures);

      const bound = await em.getRepository(EnterpriseUserEntity).findOneBy({ sub });
      if (bound) {
        const mine = await em.getRepository(EnterpriseEntity).findOneByOrFail({ id: bound.enterpriseId });
        if (mine.creditCode !== creditCode) return refused(failure('creditCode', 'ALREADY_REGISTERED', { creditCode: mine.creditCode }));
        if (verified) await verifyByToken(ctx, em, mine.id, sub);
        return ok(mine);
      }
      if (tokenCode && !verified) return refused(failure('creditCode', 'CREDIT_CODE_NOT_VERIFIED', { verified: tokenCode }));
      const contest = await liveClaimOfSub(em, sub);
      if (contest) {
        const contested = await em.getRepository(EnterpriseEntity).findOneByOrFail({ id: contest.enterpriseId });
        if (contested.creditCode !== creditCode) return refused(failure('creditCode', 'ALREADY_REGISTERED', { creditCode: contested.creditCode }));
      }

      const repo = em.getRepository(EnterpriseEntity);
      const draft = repo.create({ creditCode, industryChains: [], sectorTags: [], declaredSectorTags: [], synthetic: false, profileKnown: true });
      applyProfile(draft, input);
      // Insert or find: the unique credit code decides between two concurrent registrations.
      const inserted = await em.createQueryBuilder().insert().into(EnterpriseEntity).values(draft).orIgnore().returning('id').execute();
      let enterpriseId: string;
      if (inserted.raw.length) {
        enterpriseId = inserted.raw[0].id;
      } else {
        const existing = await repo.createQueryBuilder('e').setLock('pessimistic_write').where('e.credit_code = :creditCode', { creditCode }).getOneOrFail();
        const holder = await em.getRepository(EnterpriseUserEntity).findOneBy({ enterpriseId: existing.id });
        if (holder && !(await supersedeUnverifiedHolder(ctx, em, existing.id, holder.sub, verified))) return refused(failure('creditCode', 'CREDIT_CODE_TAKEN'));
        if (!verified && (await whitelisted(em, existing.id))) {
          const locked = registeredFactFailures(existing, input);
          if (locked.length) return refused(...locked);
        }
        applyProfile(existing, input);
        existing.synthetic = false;
        existing.profileKnown = true;
        await repo.save(existing);
        enterpriseId = existing.id;
      }
      await replaceQualifications(em, enterpriseId, input.qualifications);
      await claimOnRegistration(ctx, em, enterpriseId, sub, verified);
      await em.insert(EnterpriseUserEntity, { sub, enterpriseId });
      return ok(await repo.findOneByOrFail({ id: enterpriseId }));
    });
  } catch (error) {
    // The same sub registering two codes at once: the second insert into enterprise_user fails.
    if (sqlState(error) === UNIQUE_VIOLATION) return refused(failure('creditCode', 'ALREADY_REGISTERED', { creditCode }));
    throw error;
  }
}

/**
 * updateEnterpriseProfile: an ENTERPRISE changes its own; an ADMIN names the enterprise. A holder whose
 * claim is not verified cannot change a whitelisted firm's registered facts (REGISTERED_FACT_LOCKED).
 */
export async function updateEnterpriseProfile(ctx: RequestContext, input: UpdateEnterpriseProfileInput): Promise<Result<EnterpriseEntity>> {
  const viewer = ctx.viewer!;
  let enterpriseId: string | null;
  if (viewer.role === 'ENTERPRISE') {
    enterpriseId = await viewerEnterpriseId(ctx);
    if (!enterpriseId) return refused(failure('enterpriseId', 'NOT_REGISTERED'));
    if (input.enterpriseId != null && uuidOf(input.enterpriseId, 'Enterprise') !== enterpriseId) {
      return refused(failure('enterpriseId', 'NOT_FOUND'));
    }
  } else {
    if (input.enterpriseId == null) return refused(failure('enterpriseId', 'REQUIRED'));
    enterpriseId = uuidOf(input.enterpriseId, 'Enterprise');
    if (!enterpriseId) return refused(failure('enterpriseId', 'INVALID_ID'));
  }
  const id = enterpriseId;
  return inTransaction(ctx, async (em) => {
    const repo = em.getRepository(EnterpriseEntity);
    const enterprise = await repo.createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
    if (!enterprise) return refused(failure('enterpriseId', 'NOT_FOUND'));
    const failures = await profileFailures(em, input, await requestToday(ctx));
    if (failures.length) return refused(...failures);
    if (viewer.role === 'ENTERPRISE' && !(await isVerifiedHolder(ctx, enterprise.id)) && (await whitelisted(em, enterprise.id))) {
      const locked = registeredFactFailures(enterprise, input);
      if (locked.length) return refused(...locked);
    }
    applyProfile(enterprise, input);
    await repo.save(enterprise);
    await replaceQualifications(em, enterprise.id, input.qualifications);
    await ctx.refresh.enqueue(em, { kind: 'enterprises', ids: [enterprise.id] });
    return ok(await repo.findOneByOrFail({ id: enterprise.id }));
  });
}

/** The administrative division a credit code carries (`registeringDivision`), or 000000 (no region) for a record that must hold one. */
export function regionOfCreditCode(creditCode: string): string {
  return registeringDivision(creditCode) ?? '000000';
}

/**
 * Creates an unclaimed record for each of these (valid, normalised) credit codes that is not known yet
 * (R4: "an unknown credit code creates an unclaimed enterprise that its owner can claim later"). Such a
 * record knows its code, the listed name and the region its code carries; registerEnterprise fills the
 * rest. One INSERT per call, whatever the number of codes; callers join on credit_code to find the ids.
 */
export async function ensureEnterprises(em: EntityManager, firms: readonly { creditCode: string; name: string }[]): Promise<number> {
  const codes = firms.map((f) => f.creditCode);
  const [{ created }]: { created: number }[] = await em.query(
    `WITH created AS (
       INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard, profile_known)
       SELECT u.code, u.name, 'OTHER', u.region, $4, $5, false
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u(code, name, region)
       ON CONFLICT (credit_code) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS created FROM created`,
    [codes, firms.map((f) => f.name), codes.map(regionOfCreditCode), sizeClassFromYuan('OTHER', null, null, null), SIZE_STANDARD_ID],
  );
  return created;
}
