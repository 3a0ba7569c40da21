import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * whitelist_search copies each entry's firm profile and credit profile. Its two writers raced: a publish
 * copied the profile before it committed, and a credit import that committed in between updated only
 * the copies it could see, so the new entries kept the old credit figures until the firm's next import
 * (and the same between a profile change and a publish). Both triggers now first lock the firms' rows
 * (FOR NO KEY UPDATE, as an enterprise update does; it does not block a need or a record that refers to
 * the firm) in credit-code order, the order every import writes in, and read after the lock. The copies
 * are resynced once. Append-only: never edit after it landed.
 */
export class WhitelistSearchLocks1764300000000 implements MigrationInterface {
  name = 'WhitelistSearchLocks1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION whitelist_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM enterprise WHERE id IN (SELECT enterprise_id FROM added) ORDER BY credit_code FOR NO KEY UPDATE;
        INSERT INTO whitelist_search (id, enterprise_id, whitelist_id, created_at, tier_rank, valid_from, valid_to,
          revoked_on, region_code, industry_chains, size_class, credit_as_of, rating_rank, tax_rank, active_dishonesty, had_bank_loan)
        SELECT n.id, n.enterprise_id, n.whitelist_id, n.created_at, n.tier_rank, n.valid_from, n.valid_to, n.revoked_on,
          e.region_code, e.industry_chains, CASE WHEN e.profile_known THEN e.size_class END,
          c.as_of, c.rating_rank, c.tax_rank, c.active_dishonesty, c.had_bank_loan
        FROM added n
        JOIN enterprise e ON e.id = n.enterprise_id
        LEFT JOIN credit_profile c ON c.enterprise_id = n.enterprise_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION whitelist_search_credit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM 1 FROM enterprise WHERE id IN (SELECT enterprise_id FROM changed) ORDER BY credit_code FOR NO KEY UPDATE;
        UPDATE whitelist_search s
           SET credit_as_of = c.as_of, rating_rank = c.rating_rank, tax_rank = c.tax_rank,
               active_dishonesty = c.active_dishonesty, had_bank_loan = c.had_bank_loan
          FROM changed c
         WHERE s.enterprise_id = c.enterprise_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      UPDATE whitelist_search s
         SET region_code = e.region_code, industry_chains = e.industry_chains, size_class = CASE WHEN e.profile_known THEN e.size_class END,
             credit_as_of = c.as_of, rating_rank = c.rating_rank, tax_rank = c.tax_rank, active_dishonesty = c.active_dishonesty,
             had_bank_loan = c.had_bank_loan
        FROM enterprise e LEFT JOIN credit_profile c ON c.enterprise_id = e.id
       WHERE e.id = s.enterprise_id
         AND (s.region_code, s.industry_chains, s.size_class, s.credit_as_of, s.rating_rank, s.tax_rank, s.active_dishonesty, s.had_bank_loan)
             IS DISTINCT FROM (e.region_code, e.industry_chains, CASE WHEN e.profile_known THEN e.size_class END, c.as_of, c.rating_rank,
                               c.tax_rank, c.active_dishonesty, c.had_bank_loan)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION whitelist_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO whitelist_search (id, enterprise_id, whitelist_id, created_at, tier_rank, valid_from, valid_to,
          revoked_on, region_code, industry_chains, size_class, credit_as_of, rating_rank, tax_rank, active_dishonesty, had_bank_loan)
        SELECT n.id, n.enterprise_id, n.whitelist_id, n.created_at, n.tier_rank, n.valid_from, n.valid_to, n.revoked_on,
          e.region_code, e.industry_chains, CASE WHEN e.profile_known THEN e.size_class END,
          c.as_of, c.rating_rank, c.tax_rank, c.active_dishonesty, c.had_bank_loan
        FROM added n
        JOIN enterprise e ON e.id = n.enterprise_id
        LEFT JOIN credit_profile c ON c.enterprise_id = n.enterprise_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION whitelist_search_credit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE whitelist_search s
           SET credit_as_of = c.as_of, rating_rank = c.rating_rank, tax_rank = c.tax_rank,
               active_dishonesty = c.active_dishonesty, had_bank_loan = c.had_bank_loan
          FROM changed c
         WHERE s.enterprise_id = c.enterprise_id;
        RETURN NULL;
      END $$`);
  }
}
