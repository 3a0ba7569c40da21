/**
 * R13's credit checks (CREDIT_RATING … FIRST_LOAN): each binds one R5 criterion of credit/credit.conditions.ts
 * — its check on a profile and its SQL, written there once and shared with the whitelist page's filters —
 * to the product column that holds it. Without a profile, a set criterion fails with `noData`.
 */
import { checkOne, CreditCheckCode, CreditCriterion, isSet } from '../../credit/credit.conditions';
import type { ProductFacts } from '../engine/facts';
import { criterion, Criterion, fail, verdict } from './criterion';

const CREDIT_VARIANTS = ['none', 'noData', 'ok', 'fail'] as const;
type CreditVariant = (typeof CREDIT_VARIANTS)[number];

export function creditCriterion<const C extends CreditCheckCode>(spec: {
  code: C;
  order: number;
  description: string;
  /** The R5 criterion, named on the product as on a whitelist filter. */
  credit: CreditCriterion & { name: keyof ProductFacts };
  /** The product column holding it. */
  column: string;
  /** Its figure is shown only with the firm's consent (R10). */
  consentOnly?: boolean;
}): Criterion<C, CreditVariant> {
  const { credit, column } = spec;
  return criterion({
    code: spec.code,
    order: spec.order,
    description: spec.description,
    variants: CREDIT_VARIANTS,
    check({ enterprise, product, context }) {
      const required = product[credit.name];
      if (!isSet(required)) return verdict(true, 'none');
      const c = checkOne(credit, enterprise.credit, required, context.today);
      const params = { actual: c.actual === null ? '' : String(c.actual), required: String(c.required) };
      if (c.actual === null) return fail('noData', params);
      return verdict(c.passed, c.passed ? 'ok' : 'fail', params);
    },
    sql({ credit: cp, product: p }) {
      const unset = credit.flag ? `NOT ${p}.${column}` : `${p}.${column} IS NULL`;
      const required = credit.columnSql ? credit.columnSql(`${p}.${column}`) : '';
      return `(${unset} OR ${credit.sql({ alias: cp, asOfColumn: 'as_of', today: '$1::date' }, required)})`;
    },
    reads: { credit: [credit.profileColumn] },
    creditField: credit.field,
    consentOnly: spec.consentOnly ? { fact: credit.fact, criterion: credit.name } : undefined,
  });
}
