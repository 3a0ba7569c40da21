import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R13 ANNUAL_REVENUE (src/matching/criteria/annual-revenue.ts): a product's minimum annual revenue, CNY,
 * compared with the firm's stated revenue (enterprise.revenue, R3). Null: no minimum. Never edit after it landed.
 */
export class MinAnnualRevenue1764600000000 implements MigrationInterface {
  name = 'MinAnnualRevenue1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE product ADD COLUMN min_annual_revenue numeric(18,2) CHECK (min_annual_revenue >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE product DROP COLUMN min_annual_revenue`);
  }
}
