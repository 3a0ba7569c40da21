/** R13 YEARS_IN_BUSINESS: full years since the firm's founding date (R3) reach the product's minimum. */
import { criterion, fail, pass, verdict } from './criterion';

/** Full years from `from` to `to` (YYYY-MM-DD), counting a year only once its anniversary is reached. */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

export const yearsInBusiness = criterion({
  code: 'YEARS_IN_BUSINESS',
  order: 90,
  description: 'The firm has been in business long enough',
  variants: ['none', 'unknown', 'ok', 'fail'],
  check({ enterprise, product, context }) {
    const min = product.minYearsInBusiness;
    if (min === null) return pass('none');
    if (!enterprise.foundedOn) return fail('unknown', { min });
    const years = fullYears(enterprise.foundedOn, context.today);
    return verdict(years >= min, years >= min ? 'ok' : 'fail', { years, min, foundedOn: enterprise.foundedOn });
  },
  sql: ({ enterprise: e, product: p }) =>
    `(${p}.min_years_in_business IS NULL OR ${e}.founded_on <= $1::date - make_interval(years => ${p}.min_years_in_business))`,
  reads: { enterprise: ['founded_on'] },
});
