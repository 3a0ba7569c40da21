/**
 * bench:api's baseline: a plain node:http + pg server running hand-written SQL that answers the two
 * bank reads with the same JSON finmatch returns (bench/api.ts checks it deep-equal). Operations by
 * name: `WhitelistPage` (one statement), `WhitelistPageAudited` (the same, then one statement writing
 * the audit rows finmatch writes: the filter read with its counts, and two credit_access_batch rows
 * naming the returned firms — their filter read and their credit profiles' read), `Qualification` (one statement). It verifies no token: the figures are
 * what SQL and JSON cost, the floor under any server.
 */
import http from 'node:http';
import { Pool } from 'pg';

const ISO = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const iso = (column: string) => ISO.replace('%s', column);
const TIERS = ['INNOVATIVE_SME', 'SPECIALIZED_SME', 'LITTLE_GIANT', 'SINGLE_CHAMPION'];
const RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC', 'CC', 'C'];

const PAGE_SQL = `
  SELECT we.id, we.tier, we.valid_from::text AS valid_from, we.valid_to::text AS valid_to, we.listed_name, ${iso('p.created_at')} AS created_at,
         e.id AS enterprise_id, e.credit_code, e.name, e.size_class, e.region_code, e.industry_chains,
         cp.rating, cp.tax_grade, cp.as_of::text AS credit_as_of, p.scanned
    FROM (SELECT w.id, w.created_at, w.scanned FROM (
            SELECT s.id, s.created_at, (s.tier_rank >= $2 AND s.rating_rank >= $3 AND s.active_dishonesty = false) AS kept,
                   count(*) OVER (ORDER BY s.created_at DESC, s.id DESC ROWS UNBOUNDED PRECEDING) AS scanned
              FROM whitelist_search s
             WHERE s.valid_from <= $1::date AND s.valid_to >= $1::date AND (s.revoked_on IS NULL OR s.revoked_on > $1::date) AND s.tier_rank >= $2) w
           WHERE w.kept LIMIT $4) p
    JOIN whitelist_entry we ON we.id = p.id
    JOIN enterprise e ON e.id = we.enterprise_id
    LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id
   ORDER BY p.created_at DESC, p.id DESC`;

const AUDIT_SQL = `
  WITH w AS (SELECT s.enterprise_id, (s.rating_rank >= $3 AND s.active_dishonesty = false) AS kept FROM whitelist_search s
              WHERE s.valid_from <= $1::date AND s.valid_to >= $1::date AND (s.revoked_on IS NULL OR s.revoked_on > $1::date) AND s.tier_rank >= $2
              ORDER BY s.created_at DESC, s.id DESC LIMIT $4),
  counts AS (SELECT count(*)::int AS read, count(*) FILTER (WHERE f.kept)::int AS kept FROM (SELECT enterprise_id, bool_or(kept) AS kept FROM w GROUP BY enterprise_id) f),
  f AS (INSERT INTO credit_filter_read (sub, role, institution_id, operation, source, criteria, scope, read_count, kept_count, returned_count)
        SELECT $5, 'BANK', $6::uuid, 'WhitelistPageAudited', 'whitelist', $7::jsonb, $8::jsonb, counts.read, counts.kept, cardinality($9::uuid[]) FROM counts RETURNING id),
  l AS (INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation, filter_read_id)
        SELECT $5, 'BANK', $6::uuid, $9::uuid[], array_fill(false, ARRAY[cardinality($9::uuid[])]), $10::text[], 'WhitelistPageAudited', f.id
          FROM f WHERE cardinality($9::uuid[]) > 0)
  INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation)
  SELECT $5, 'BANK', $6::uuid, $9::uuid[], array_fill(false, ARRAY[cardinality($9::uuid[])]), $11::text[], 'WhitelistPageAudited' WHERE cardinality($9::uuid[]) > 0`;

const LOOKUP_SQL = `
  SELECT e.id AS enterprise_id, e.name, we.id, we.tier, we.valid_from::text AS valid_from, we.valid_to::text AS valid_to, we.revoked_on::text AS revoked_on, we.listed_name
    FROM enterprise e LEFT JOIN whitelist_entry we ON we.enterprise_id = e.id
   WHERE e.credit_code = $1
   ORDER BY we.created_at DESC, we.id DESC`;

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

interface PageVars { filter: { tierAtLeast: string; minRating: string; noActiveDishonesty: boolean; asOf: string }; first: number }

export function startRawServer(url: string, port: number, counter: { statements: number }): Promise<http.Server> {
  const pool = new Pool({ connectionString: url, max: 8 });
  const query = async (text: string, values: unknown[]) => {
    counter.statements += 1;
    return (await pool.query(text, values)).rows;
  };
  async function page(vars: PageVars, audited: { sub: string; institutionId: string } | null) {
    const { filter, first } = vars;
    const tier = TIERS.indexOf(filter.tierAtLeast) + 1;
    const rating = RATINGS.length - RATINGS.indexOf(filter.minRating);
    const rows = await query(PAGE_SQL, [filter.asOf, tier, rating, first + 1]);
    const hasNextPage = rows.length > first;
    const shown = rows.slice(0, first);
    const last = shown.at(-1);
    if (audited) {
      const firms = [...new Set(shown.map((r) => r.enterprise_id as string))];
      await query(AUDIT_SQL, [filter.asOf, tier, rating, hasNextPage && last ? Number(last.scanned) : null, audited.sub, audited.institutionId,
        JSON.stringify({ minRating: filter.minRating, noActiveDishonesty: true }), JSON.stringify({ tierAtLeast: filter.tierAtLeast, asOf: filter.asOf }), firms,
        ['whitelist.filter.minRating', 'whitelist.filter.noActiveDishonesty'], ['creditProfile.rating', 'creditProfile.taxGrade', 'creditProfile.asOf']]);
    }
    return {
      whitelist: {
        pageInfo: { hasNextPage, endCursor: last ? cursor([last.created_at, last.id]) : null },
        edges: shown.map((r) => ({ node: {
          id: globalId('WhitelistEntry', r.id), tier: r.tier, validFrom: r.valid_from, validTo: r.valid_to, listedName: r.listed_name,
          enterprise: { creditCode: r.credit_code, name: r.name, sizeClass: r.size_class, regionCode: r.region_code, industryChains: r.industry_chains,
            creditProfile: r.credit_as_of == null ? null : { rating: r.rating, taxGrade: r.tax_grade, asOf: r.credit_as_of } },
        } })),
      },
    };
  }
  async function qualification(vars: { creditCode: string; asOf: string }) {
    const rows = await query(LOOKUP_SQL, [vars.creditCode]);
    const entries = rows.filter((r) => r.id);
    const members = entries.filter((r) => r.valid_from <= vars.asOf && r.valid_to >= vars.asOf && (r.revoked_on == null || r.revoked_on > vars.asOf));
    const top = members.reduce<string | null>((best, r) => (best == null || TIERS.indexOf(r.tier) > TIERS.indexOf(best) ? r.tier : best), null);
    return {
      qualificationStatus: {
        creditCode: vars.creditCode, enterpriseName: rows[0]?.name ?? null, onWhitelist: members.length > 0, highestTier: top,
        validTo: members.reduce<string | null>((m, r) => (m == null || r.valid_to > m ? r.valid_to : m), null), asOf: vars.asOf,
        entries: entries.map((r) => ({ id: globalId('WhitelistEntry', r.id), tier: r.tier, validFrom: r.valid_from, validTo: r.valid_to, revokedOn: r.revoked_on, listedName: r.listed_name })),
      },
    };
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { operationName: string; variables: never };
          const audit = { sub: String(req.headers['x-bench-sub'] ?? 'bench-raw'), institutionId: String(req.headers['x-bench-institution'] ?? '') };
          const data = body.operationName === 'Qualification' ? await qualification(body.variables)
            : await page(body.variables, body.operationName === 'WhitelistPageAudited' ? audit : null);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
        } catch (error) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
        }
      })();
    });
  });
  server.on('close', () => void pool.end());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
