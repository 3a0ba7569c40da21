/** R13 WHITELIST_TIER: the firm is on a whitelist today (R4) at the product's tier or higher. */
import { rankSql } from '../../credit/credit.conditions';
import { memberOnSql } from '../../whitelists/membership';
import { QUALIFICATION_TIERS, tierRank } from '../../whitelists/tier';
import { criterion, fail, pass, verdict } from './criterion';

export const whitelistTier = criterion({
  code: 'WHITELIST_TIER',
  order: 100,
  description: 'The firm is on a whitelist at the product\'s tier or higher today',
  variants: ['none', 'notListed', 'ok', 'fail'],
  check({ enterprise, product }) {
    const required = product.whitelistTierAtLeast;
    if (!required) return pass('none');
    if (!enterprise.whitelistTier) return fail('notListed', { required });
    const passed = tierRank(enterprise.whitelistTier) >= tierRank(required);
    return verdict(passed, passed ? 'ok' : 'fail', { tier: enterprise.whitelistTier, required });
  },
  sql: ({ need: n, product: p }) => `(${p}.whitelist_tier_at_least IS NULL OR EXISTS (
             SELECT 1 FROM whitelist_entry w WHERE w.enterprise_id = ${n}.enterprise_id AND ${memberOnSql('w', '$1')}
                AND w.tier_rank >= ${rankSql(`${p}.whitelist_tier_at_least`, QUALIFICATION_TIERS)}))`,
  reads: {},
});
