/**
 * The fast-moving figures a decision reads (R6 guarantor capacity and borrower balances, R8 pool money,
 * R9 fee subsidies counted against the yearly cap), read with every decision's inputs in the same statement
 * (facts.service.ts) — and only what the candidates can use, by key, so that a decision costs the same
 * however large the ledger grows (issue 13):
 * - the guarantors that have an agreement with the bank of a candidate product that requires a
 *   guarantee, and their fee subsidies this year and later years (a guarantee's fee subsidy is allocated
 *   to the years it covers, DOMAIN E9): those paid, from the running total per guarantor and year, and
 *   those entitled and not yet paid (loans/entitlements.ts `feeSubsidiesCountedSql`), so that a quote
 *   never promises room an unpaid entitlement holds;
 * - the borrowers' balances with each guarantor, from the running total per guarantor and borrower;
 * - the pools of the rules in force.
 * The running totals are kept by the database in the transaction that writes the rows they sum
 * (migration RunningTotals; docs/LEDGER.md). A bank's guarantor options are kept in memory per DataSource,
 * rebuilt when the agreements (the policy stamp) or one of its guarantors' profile rows changed.
 */
import type { DataSource } from 'typeorm';
import { Decimal } from '../common/decimal';
import { feeSubsidiesCountedSql } from '../loans/entitlements';
import { poolAvailable } from '../policy/pool';
import type { GuarantorOption, MatchContext } from './engine/facts';

const ZERO = new Decimal(0);

/**
 * A CTE naming the guarantors the candidates could route a guarantee to, read through the agreements'
 * (bank, guarantor) key: over the pairs `c` (need_id, product_id), those of the banks of its products
 * that require a guarantee; when the candidates are not known yet (`'agreements'`: the product index
 * finds them after the statement, facts.service.ts `loadNeedInputs`), every guarantor with an agreement —
 * a handful of rows, however large the ledger grows.
 */
export function figuresCte(of: 'pairs' | 'agreements'): string {
  return of === 'agreements'
    ? `cg AS MATERIALIZED (SELECT DISTINCT a.guarantor_id FROM cooperation_agreement a)`
    : `cg AS MATERIALIZED (
      SELECT DISTINCT a.guarantor_id FROM cooperation_agreement a
       WHERE a.bank_id IN (SELECT p.institution_id FROM product p WHERE p.id IN (SELECT product_id FROM c) AND p.requires_guarantee))`;
}

/** A rule version in force on $1 (a later version whose date has come replaces it), as facts.service.ts reads the rules. */
const IN_FORCE = (r: string) => `(${r}.effective_from IS NULL OR ${r}.effective_from <= $1::date)
  AND NOT EXISTS (SELECT 1 FROM policy_rule n WHERE n.code = ${r}.code AND n.version > ${r}.version AND (n.effective_from IS NULL OR n.effective_from <= $1::date))`;

/**
 * Select-list items over `cg` and the needs `cn` ($1 = today). Numbers travel as text; a profile row's
 * stamp is its version (xmin, ctid), so that a cached option is never older than the row.
 */
export const FIGURES_SQL = `
      (SELECT json_agg(x) FROM (SELECT b.guarantor_id, b.enterprise_id, b.balance::text AS balance FROM guarantor_borrower_balance b
                                 WHERE b.enterprise_id IN (SELECT enterprise_id FROM cn) AND b.balance <> 0) x) AS balances,
      (SELECT json_agg(x) FROM (SELECT g.institution_id AS id, g.fee_rate::text AS fee_rate, g.net_assets::text AS net_assets, g.liability::text AS liability,
                                       g.cap_multiple::text AS cap_multiple, g.target_multiple::text AS target_multiple, g.xmin::text || ':' || g.ctid::text AS stamp
                                  FROM guarantor_profile g WHERE g.institution_id IN (SELECT guarantor_id FROM cg)) x) AS guarantors,
      (SELECT json_agg(json_build_object('id', p.id, 'capacity', p.capacity::text, 'reserved', p.reserved::text, 'paid', p.paid::text))
         FROM risk_compensation_pool p WHERE p.id IN (SELECT r.pool_id FROM policy_rule r WHERE r.pool_id IS NOT NULL AND ${IN_FORCE('r')})) AS pools,
      (SELECT json_agg(json_build_object('guarantor_id', f.guarantor_id, 'year', f.year, 'total', f.total::text))
         FROM (${feeSubsidiesCountedSql('SELECT guarantor_id FROM cg', 'extract(year FROM $1::date)::int')}) f) AS fee_subsidies`;

interface GuarantorRow { id: string; fee_rate: string; net_assets: string; liability: string; cap_multiple: string; target_multiple: string | null; stamp: string }

/** What FIGURES_SQL reads. */
export interface FiguresRow {
  balances: { guarantor_id: string; enterprise_id: string; balance: string }[] | null;
  guarantors: GuarantorRow[] | null;
  pools: { id: string; capacity: string; reserved: string; paid: string }[] | null;
  fee_subsidies: { guarantor_id: string; year: number; total: string }[] | null;
}

/** An agreement between a bank and a guarantor (R7), as the policy tables hold it. */
export interface AgreementFacts { bankId: string; guarantorId: string; name: string; feeRate: Decimal | null; coverageRatio: Decimal }

/** The agreements, by the stamp of the policy tables they were read with. */
export interface Agreements { stamp: string; agreements: readonly AgreementFacts[] }

/** Per DataSource: each bank's options with the key they were built for; the agreements by bank, per agreements read. */
const options = new WeakMap<DataSource, Map<string, { key: string; options: GuarantorOption[] }>>();
const byBank = new WeakMap<readonly AgreementFacts[], Map<string, AgreementFacts[]>>();

function agreementsOf(agreements: readonly AgreementFacts[], bankId: string): readonly AgreementFacts[] {
  let banks = byBank.get(agreements);
  if (!banks) {
    banks = new Map();
    for (const a of agreements) {
      const list = banks.get(a.bankId);
      if (list) list.push(a);
      else banks.set(a.bankId, [a]);
    }
    byBank.set(agreements, banks);
  }
  return banks.get(bankId) ?? [];
}

const dec = (v: string | null) => (v === null ? null : new Decimal(v));

/** A bank's options: each agreement whose guarantor has a profile, with the guarantor's R6 figures (R7 coverage; the agreement's fee, else the guarantor's). */
function optionsOf(agreements: readonly AgreementFacts[], profiles: ReadonlyMap<string, GuarantorRow>): GuarantorOption[] {
  const list: GuarantorOption[] = [];
  for (const a of agreements) {
    const g = profiles.get(a.guarantorId);
    if (!g) continue;
    list.push({
      guarantorId: a.guarantorId, guarantorName: a.name, bankId: a.bankId, feeRate: a.feeRate ?? new Decimal(g.fee_rate), coverageRatio: a.coverageRatio,
      figures: { netAssets: new Decimal(g.net_assets), liability: new Decimal(g.liability), capMultiple: new Decimal(g.cap_multiple), targetMultiple: dec(g.target_multiple) },
    });
  }
  return list;
}

/**
 * The context's figures for a decision whose candidate products that require a guarantee belong to
 * `banks`. A bank's options are rebuilt when the agreements changed or a profile row of one of its
 * guarantors did (or is read for the first time, or has gone): the key names each row's stamp.
 */
export function figuresContext(
  dataSource: DataSource, row: FiguresRow, policy: Agreements, banks: Iterable<string>, today: string,
): Pick<MatchContext, 'guarantorsByBank' | 'feeSubsidyBookedThisYear' | 'feeSubsidyBookedIn' | 'poolAvailable' | 'borrowerBalance'> {
  let cache = options.get(dataSource);
  if (!cache) options.set(dataSource, (cache = new Map()));
  const profiles = new Map((row.guarantors ?? []).map((g) => [g.id, g]));
  const guarantorsByBank = new Map<string, GuarantorOption[]>();
  for (const bankId of banks) {
    if (guarantorsByBank.has(bankId)) continue;
    const agreements = agreementsOf(policy.agreements, bankId);
    const key = `${policy.stamp}|${today}|${agreements.map((a) => `${a.guarantorId}:${profiles.get(a.guarantorId)?.stamp ?? '-'}`).join(',')}`;
    let cached = cache.get(bankId);
    if (cached?.key !== key) cache.set(bankId, (cached = { key, options: optionsOf(agreements, profiles) }));
    guarantorsByBank.set(bankId, cached.options);
  }
  const pools = new Map((row.pools ?? []).map((p) => [p.id, poolAvailable(new Decimal(p.capacity), new Decimal(p.paid), new Decimal(p.reserved))]));
  // This year's and later years' (a guarantee's fee subsidy is allocated to the years it covers, DOMAIN E9).
  const fees = new Map((row.fee_subsidies ?? []).map((f) => [`${f.guarantor_id}:${f.year}`, new Decimal(f.total)]));
  const thisYear = Number(today.slice(0, 4));
  const balances = new Map((row.balances ?? []).map((r) => [`${r.guarantor_id}:${r.enterprise_id}`, new Decimal(r.balance)]));
  return {
    guarantorsByBank,
    feeSubsidyBookedThisYear: (guarantorId) => fees.get(`${guarantorId}:${thisYear}`) ?? ZERO,
    feeSubsidyBookedIn: (guarantorId, year) => fees.get(`${guarantorId}:${year}`) ?? ZERO,
    poolAvailable: (poolId) => pools.get(poolId) ?? ZERO,
    borrowerBalance: (guarantorId, enterpriseId) => balances.get(`${guarantorId}:${enterpriseId}`) ?? ZERO,
  };
}
