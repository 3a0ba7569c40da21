/** What the embedded server is started with, and what the migrations leave on the server they run on. */
import { sharedBuffersMb } from '../../src/database/embedded';
import { withAdmin } from '../support/database-url';
import { cloneTemplate } from '../support/harness';

const GB = 2 ** 30;

describe('the embedded server\'s shared buffers', () => {
  it('are a quarter of the machine\'s memory, between 128 MB and 1 GB', () => {
    expect(sharedBuffersMb(256 * 2 ** 20)).toBe(128);
    expect(sharedBuffersMb(1 * GB)).toBe(256);
    expect(sharedBuffersMb(2 * GB)).toBe(512);
    expect(sharedBuffersMb(24 * GB)).toBe(1024);
  });

  (process.env.TEST_DATABASE_URL ? it.skip : it)('are what the test run\'s embedded cluster runs with', async () => {
    const [row] = (await withAdmin((c) => c.query(`SELECT setting::bigint * 8 / 1024 AS mb FROM pg_settings WHERE name = 'shared_buffers'`))).rows;
    expect(Number(row.mb)).toBe(sharedBuffersMb());
  });
});

describe('ids of the tables a refresh inserts into', () => {
  it('are time-ordered (UUID version 7) on PostgreSQL 18 and later, random before', async () => {
    const url = await cloneTemplate();
    const { version, defaults, sample } = await withAdmin(async (c) => {
      const v = Number((await c.query(`SELECT current_setting('server_version_num') AS v`)).rows[0].v);
      const d = (await c.query(`SELECT table_name, column_default FROM information_schema.columns
                                 WHERE table_schema = 'public' AND column_name = 'id' AND table_name IN ('match', 'event') ORDER BY table_name`)).rows;
      const s = v >= 180000 ? (await c.query(`SELECT uuidv7()::text AS a, uuidv7()::text AS b`)).rows[0] : null;
      return { version: v, defaults: d, sample: s };
    }, url);
    const expected = version >= 180000 ? 'uuidv7()' : 'gen_random_uuid()';
    expect(defaults).toEqual([{ table_name: 'event', column_default: expected }, { table_name: 'match', column_default: expected }]);
    if (sample) {
      expect(sample.a[14]).toBe('7');
      expect(sample.a < sample.b).toBe(true);
    }
  });
});
