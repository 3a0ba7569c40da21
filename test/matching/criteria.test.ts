/**
 * R13 — the registry of criteria (src/matching/criteria/) is complete: each registered criterion has a
 * code and a place of its own, an SQL predicate for the candidate search, and a message in Chinese and
 * English for every variant its detail takes; the engine, MatchCheckCode, the consent-only checks and
 * the credit-read audit all read the same list. `problemsOf` is shown failing on broken criteria.
 */
import { message } from '../../src/common/messages';
import { CREDIT_CRITERIA } from '../../src/credit/credit.conditions';
import { CREDIT_FIELDS, CRITERIA, Criterion, MATCH_CHECK_CODES } from '../../src/matching/criteria';
import { criterion, pass } from '../../src/matching/criteria/criterion';
import { CONSENT_ONLY_CHECKS } from '../../src/matching/engine/consent-only';
import { MatchCheckCodeEnum } from '../../src/matching/match.enums';

const ALIASES = { need: 'n', enterprise: 'e', credit: 'cp', product: 'p' };
const worded = (key: string) => (['zh', 'en'] as const).every((lang) => !/^(输入无效|Invalid input)/.test(message(lang, key, {})));

/** What is missing from a criterion for the engine, the candidate search and explainMatch to use it. */
function problemsOf(c: Criterion): string[] {
  const problems: string[] = [];
  if (!/^[A-Z][A-Z0-9_]*$/.test(c.code)) problems.push(`${c.code}: the code is not a GraphQL enum value`);
  if (!c.description) problems.push(`${c.code}: no description for MatchCheckCode`);
  if (typeof c.sql !== 'function') problems.push(`${c.code}: no SQL predicate`);
  else if (!/\b(n|e|cp|p)\.\w+/.test(c.sql(ALIASES))) problems.push(`${c.code}: the SQL predicate reads no column of the pair`);
  if (typeof c.check !== 'function') problems.push(`${c.code}: no check`);
  if (!c.variants?.length) problems.push(`${c.code}: no variants`);
  for (const v of c.variants ?? []) if (!worded(`CHECK_${c.code}.${v}`)) problems.push(`${c.code}: no zh/en message for CHECK_${c.code}.${v}`);
  for (const v of c.engineVariants ?? []) if (!c.variants.includes(v)) problems.push(`${c.code}: engine variant ${v} is not a variant`);
  if (c.consentOnly && !worded(`CHECK_${c.code}.withheld`)) problems.push(`${c.code}: consent-only, with no message for CHECK_${c.code}.withheld`);
  if (c.reads.credit?.length && !c.creditField) problems.push(`${c.code}: reads the credit profile and names no field for the access log`);
  return problems;
}

describe('the registry of R13 criteria', () => {
  it.each(CRITERIA.map((c) => [c.code, c] as const))('%s is complete', (_code, c) => {
    expect(problemsOf(c)).toEqual([]);
  });

  it('finds what is missing from a broken criterion', () => {
    const broken = criterion({
      code: 'BROKEN', order: 1, description: '', variants: ['ok', 'unworded'], check: () => pass('ok'), sql: () => 'true', reads: { credit: ['rating_rank'] },
    });
    expect(problemsOf(broken)).toEqual([
      'BROKEN: no description for MatchCheckCode',
      'BROKEN: the SQL predicate reads no column of the pair',
      'BROKEN: no zh/en message for CHECK_BROKEN.ok',
      'BROKEN: no zh/en message for CHECK_BROKEN.unworded',
      'BROKEN: reads the credit profile and names no field for the access log',
    ]);
    expect(problemsOf({ ...CRITERIA[0], sql: undefined } as unknown as Criterion)).toEqual([`${CRITERIA[0].code}: no SQL predicate`]);
  });

  it('gives each criterion its own code and place, and lists them in that order', () => {
    expect(new Set(CRITERIA.map((c) => c.code)).size).toBe(CRITERIA.length);
    expect(new Set(CRITERIA.map((c) => c.order)).size).toBe(CRITERIA.length);
    expect(CRITERIA.map((c) => c.order)).toEqual([...CRITERIA.map((c) => c.order)].sort((a, b) => a - b));
    expect(MATCH_CHECK_CODES).toEqual(CRITERIA.map((c) => c.code));
  });

  it('keeps R13\'s order of the checks DOMAIN.md lists, with ANNUAL_REVENUE after YEARS_IN_BUSINESS', () => {
    expect(MATCH_CHECK_CODES).toEqual([
      'NEED_KIND', 'PRODUCT_ACTIVE', 'AMOUNT', 'TERM', 'REGION', 'SECTOR', 'CHAIN', 'SIZE_CLASS', 'YEARS_IN_BUSINESS', 'ANNUAL_REVENUE', 'WHITELIST_TIER',
      'QUALIFICATION', 'CREDIT_RATING', 'TAX_GRADE', 'DISHONESTY', 'OVERDUE', 'CREDIT_DATA_AGE', 'FIRST_LOAN', 'COLLATERAL', 'RATE', 'GUARANTEE',
      'EQUITY_STAGE', 'EQUITY_TICKET', 'EQUITY_VALUATION',
    ]);
  });

  it('is what MatchCheckCode, the consent-only checks and the credit-read audit list', () => {
    expect(Object.keys(MatchCheckCodeEnum)).toEqual([...MATCH_CHECK_CODES]);
    expect(Object.keys(CONSENT_ONLY_CHECKS)).toEqual(['OVERDUE']);
    expect(CONSENT_ONLY_CHECKS.OVERDUE).toEqual({ fact: 'overdueCount12m', criterion: 'maxOverdueCount12m' });
    expect(CREDIT_FIELDS).toEqual({
      CREDIT_RATING: 'rating', TAX_GRADE: 'taxGrade', DISHONESTY: 'activeDishonesty', OVERDUE: 'overdueCount12m', CREDIT_DATA_AGE: 'asOf', FIRST_LOAN: 'firstLoan',
    });
  });

  it('reads each column name from one table only (the search from a need\'s side loads them into one row)', () => {
    const tables = new Map<string, Set<string>>();
    for (const c of CRITERIA) {
      for (const [table, columns] of Object.entries(c.reads)) for (const column of columns ?? []) tables.set(column, (tables.get(column) ?? new Set()).add(table));
    }
    expect([...tables].filter(([, t]) => t.size > 1)).toEqual([]);
  });

  it('registers one R13 check for each R5 credit criterion, in R5\'s order', () => {
    expect(CRITERIA.filter((c) => c.creditField).map((c) => c.code)).toEqual(CREDIT_CRITERIA.map((c) => c.code));
  });
});
