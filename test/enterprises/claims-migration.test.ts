/**
 * Migration EnterpriseClaims on a database that has data (issue 11 §6): a binding made before claims
 * becomes a PENDING claim (nobody checked it); demo firms' qualifications and tags are the authority's;
 * what registered firms said of themselves becomes DECLARED.
 */
import { startTestApp, TestApp } from '../support/harness';
import { newCreditCode } from '../e2e/fixtures';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { MATCH_WORKER: '0' } });
});
afterAll(() => app.close());

it('marks bindings PENDING, demo rows AUTHORITY and registered firms\' own rows DECLARED', async () => {
  const db = app.dataSource;
  // Back to just before EnterpriseClaims (and any migration after it), then forward again with data in place.
  const applied = async () => (await db.query(`SELECT 1 FROM typeorm_migrations WHERE name = 'EnterpriseClaims1764560000000'`)).length > 0;
  expect(await applied()).toBe(true);
  while (await applied()) await db.undoLastMigration({ transaction: 'all' });

  const insert = async (synthetic: boolean) => {
    const [{ id }] = await db.query(
      `INSERT INTO enterprise (credit_code, name, sector, region_code, size_class, size_standard, sector_tags, synthetic)
       VALUES ($1, 'm', 'INDUSTRY', '370212', 'SMALL', 'MIIT-2011-300', '{EMERGING}', $2) RETURNING id`,
      [newCreditCode('370212'), synthetic],
    );
    await db.query(`INSERT INTO enterprise_qualification (enterprise_id, code) VALUES ($1, 'HIGH_TECH')`, [id]);
    return id as string;
  };
  const demo = await insert(true);
  const registered = await insert(false);
  await db.query(`INSERT INTO enterprise_user (sub, enterprise_id) VALUES ('old-user', $1)`, [registered]);

  await db.runMigrations({ transaction: 'all' });

  const firms = await db.query(`SELECT id, sector_tags, declared_sector_tags FROM enterprise WHERE id = ANY($1::uuid[])`, [[demo, registered]]);
  const byId = new Map(firms.map((f: { id: string }) => [f.id, f]));
  expect(byId.get(demo)).toMatchObject({ sector_tags: ['EMERGING'], declared_sector_tags: [] });
  expect(byId.get(registered)).toMatchObject({ sector_tags: [], declared_sector_tags: ['EMERGING'] });
  const sources = await db.query(`SELECT enterprise_id, source FROM enterprise_qualification WHERE enterprise_id = ANY($1::uuid[])`, [[demo, registered]]);
  expect(Object.fromEntries(sources.map((q: { enterprise_id: string; source: string }) => [q.enterprise_id === demo ? 'demo' : 'registered', q.source])))
    .toEqual({ demo: 'AUTHORITY', registered: 'DECLARED' });
  const claims = await db.query(`SELECT c.sub, c.status, e.action, e.actor_role FROM enterprise_claim c JOIN enterprise_claim_event e ON e.claim_id = c.id WHERE c.enterprise_id = $1`, [registered]);
  expect(claims).toEqual([{ sub: 'old-user', status: 'PENDING', action: 'MIGRATED', actor_role: 'SYSTEM' }]);
});
