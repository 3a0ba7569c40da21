import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-ordered ids (UUID version 7, RFC 9562) for the two tables every match refresh inserts into: `match`
 * and the outbox `event`. A random id lands each new row's primary-key entry on a random page of an index
 * that outgrows memory, and after each checkpoint the first change to such a page writes the whole page to
 * the WAL: at DOMAIN §6 scale a new need's 10 matches and their 10 events wrote about 20 full pages
 * (docs/PERFORMANCE.md, "Issue 13, sixth pass"). Version-7 ids are appended at the index's right edge.
 * PostgreSQL has `uuidv7()` from version 18 (the embedded server's); on an older server the default stays
 * random. Nothing reads an order into these ids: they stay opaque, unique ids. Never edit after it landed.
 */
export class TimeOrderedIds1764760000000 implements MigrationInterface {
  name = 'TimeOrderedIds1764760000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ version }]: { version: number }[] = await q.query(`SELECT current_setting('server_version_num')::int AS version`);
    if (version < 180000) return;
    await q.query(`ALTER TABLE match ALTER COLUMN id SET DEFAULT uuidv7()`);
    await q.query(`ALTER TABLE event ALTER COLUMN id SET DEFAULT uuidv7()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE match ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`ALTER TABLE event ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
  }
}
