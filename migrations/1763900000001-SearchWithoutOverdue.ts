import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whitelist page does not filter on the overdue count: that figure is consent-only detail (R10),
 * and a filter on it would tell a bank, firm by firm, what it may not read. whitelist_search stops
 * carrying it, and the triggers stop copying it.
 */
export class SearchWithoutOverdue1763900000001 implements MigrationInterface {
  name = 'SearchWithoutOverdue1763900000001';

  async up(q: QueryRunner): Promise<void> {
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
    await q.query(`ALTER TABLE whitelist_search DROP COLUMN overdue_count_12m`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whitelist_search ADD COLUMN overdue_count_12m integer`);
    await q.query(`UPDATE whitelist_search s SET overdue_count_12m = c.overdue_count_12m FROM credit_profile c WHERE c.enterprise_id = s.enterprise_id`);
    await q.query(`
      CREATE OR REPLACE FUNCTION whitelist_search_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO whitelist_search (id, enterprise_id, whitelist_id, created_at, tier_rank, valid_from, valid_to,
          revoked_on, region_code, industry_chains, size_class, credit_as_of, rating_rank, tax_rank, active_dishonesty,
          overdue_count_12m, had_bank_loan)
        SELECT n.id, n.enterprise_id, n.whitelist_id, n.created_at, n.tier_rank, n.valid_from, n.valid_to, n.revoked_on,
          e.region_code, e.industry_chains, CASE WHEN e.profile_known THEN e.size_class END,
          c.as_of, c.rating_rank, c.tax_rank, c.active_dishonesty, c.overdue_count_12m, c.had_bank_loan
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
               active_dishonesty = c.active_dishonesty, overdue_count_12m = c.overdue_count_12m, had_bank_loan = c.had_bank_loan
          FROM changed c
         WHERE s.enterprise_id = c.enterprise_id;
        RETURN NULL;
      END $$`);
  }
}
