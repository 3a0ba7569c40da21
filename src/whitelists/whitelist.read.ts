/**
 * The bank's whitelist page in one statement (issue 14): for the viewers who see any firm's credit
 * summary (banks, authorities, admins — R10), the page's entries, their enterprises, credit profiles and
 * the viewer's consents come from one statement, which also writes the audit the page owes (R10): the
 * filtered read with its counts and the firms it returned (the credit criteria, as
 * `recordCreditFilterRead` writes them), and a credit read per entry whose firm's profile the query
 * selected (as `Enterprise.creditProfile` records it) — each of the two a credit_access_batch row
 * naming its firms (privacy/credit-access.service.ts). The field resolvers then find their rows in the
 * request's loaders and the reads already recorded, and run no statement of their own; whatever the
 * look-ahead cannot vouch for (an aliased creditProfile, other nested fields) resolves as before.
 * A reader process (READ_DATABASE_URL) answers the page from its replica the previous way instead, its
 * audit written to the primary: a replica takes no writes.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { AuthedContext, RequestContext } from '../common/context';
import { PageArgs, pageWindow, toPage } from '../common/connection';
import { requestToday } from '../database/clock';
import { selectedAt } from '../common/selection';
import { criteriaInUse } from '../credit/credit.conditions';
import { CreditProfileEntity } from '../credit/credit.entity';
import { creditProfileByEnterpriseId } from '../credit/credit.service';
import { afterBound, keyOf } from '../database/pages';
import { entityColumnsSql, entityFromRow } from '../database/plain-rows';
import { checkCreditCode } from '../enterprises/credit-code';
import { EnterpriseEntity } from '../enterprises/enterprise.entity';
import { enterpriseById } from '../enterprises/enterprise.service';
import { preRecordCreditReads, recordCreditFilterRead } from '../privacy/credit-access.service';
import { consentedToViewer } from '../privacy/privacy.policy';
import { WhitelistEntryEntity, WhitelistSearchEntity } from './whitelist.entity';
import { applyListFilters, creditCriteriaOf, creditSql, entriesByEnterpriseId, filteredListCounts, ListCounts, listScopeOf, WhitelistPage } from './whitelist.service';
import { WhitelistFilter } from './whitelist.type';

/** Who the one-statement page serves: the roles that see every firm's credit summary without a statement (R10). */
export const ONE_STATEMENT_ROLES = ['BANK', 'AUTHORITY', 'ADMIN'];

export async function whitelistPageInOneStatement(
  ctx: AuthedContext, info: GraphQLResolveInfo, filter: WhitelistFilter | null, args: PageArgs,
): Promise<WhitelistPage> {
  const today = await requestToday(ctx);
  const { limit, after } = pageWindow(args, ctx.config.limits);
  const bound = afterBound(after);
  const credit = creditSql(filter, today);
  const criteria = creditCriteriaOf(filter);
  const used = criteriaInUse(criteria);
  const profile = selectedAt(info, ['edges', 'node', 'enterprise', 'creditProfile']);
  const totalAsked = selectedAt(info, ['totalCount']) !== null;
  const db = ctx.db;

  // The scan: the list's rows from the cursor on, newest first, each numbered and marked kept or not.
  const scan = db.createQueryBuilder().from(WhitelistSearchEntity, 's')
    .select('s.id', 'id').addSelect('s.created_at', 'created_at')
    .addSelect(`(${credit.conditions.join(' AND ') || 'true'})`, 'kept')
    .addSelect('count(*) OVER (ORDER BY s.created_at DESC, s.id DESC ROWS UNBOUNDED PRECEDING)', 'scanned');
  applyListFilters(scan, filter, today);
  if (bound) scan.andWhere('(s.created_at, s.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: bound.at, afterId: bound.id });
  scan.setParameters(credit.params);
  const [scanSql, params] = scan.getQueryAndParameters();
  const pageSql = `SELECT w.id, w.created_at, w.scanned FROM (${scanSql}) w WHERE w.kept LIMIT ${limit + 1}`;
  const $ = (value: unknown) => `$${params.push(value)}`;

  const viewer = ctx.viewer;
  const institution = viewer.institutionId;
  const consented = institution
    ? `EXISTS (SELECT 1 FROM consent c WHERE c.institution_id = ${$(institution)}::uuid AND c.enterprise_id = we.enterprise_id AND c.revoked_at IS NULL)`
    : 'false';
  const ctes = [
    `p AS MATERIALIZED (${pageSql})`,
    `shown AS (SELECT p.id, p.scanned FROM p ORDER BY p.created_at DESC, p.id DESC LIMIT ${$(limit)})`,
    `firms AS (SELECT we.id, we.enterprise_id, ${consented} AS consented FROM shown JOIN whitelist_entry we ON we.id = shown.id)`,
  ];
  const who = () => `${$(viewer.sub)}, ${$(viewer.role)}, ${$(institution)}::uuid`;
  const operation = info.operation.name?.value ?? null;
  let listCounts: ListCounts | null = null;
  // The filtered read's audit (R10) rides in the page's statement, counting what the answer depends on
  // (as `readCounts` states it): from the cursor through the page's last row, or to the list's end when
  // no row follows. With totalCount the counts are the whole list's, which its own statement reads, and
  // the audit follows the page (as recordCreditFilterRead writes it, reading no list of its own).
  const auditInStatement = used.length > 0 && !totalAsked;
  if (auditInStatement) {
    const read = db.createQueryBuilder().from(WhitelistSearchEntity, 's')
      .select('s.enterprise_id', 'enterprise_id').addSelect(`(${credit.conditions.join(' AND ')})`, 'kept');
    applyListFilters(read, filter, today);
    if (bound) read.andWhere('(s.created_at, s.id) < (:afterAt::timestamptz, :afterId::uuid)', { afterAt: bound.at, afterId: bound.id });
    read.setParameters(credit.params).orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC');
    const [readSql, readParams] = read.getQueryAndParameters();
    const shift = params.length;
    params.push(...readParams);
    const shifted = readSql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
    ctes.push(
      `win AS (SELECT CASE WHEN (SELECT count(*) FROM p) > ${$(limit)} THEN (SELECT max(scanned) FROM shown) END AS rows)`,
      `counts AS (SELECT count(*)::int AS read, count(*) FILTER (WHERE f.kept)::int AS kept
                    FROM (SELECT r.enterprise_id, bool_or(r.kept) AS kept FROM (${shifted} LIMIT (SELECT rows FROM win)) r GROUP BY r.enterprise_id) f)`,
    );
    const returned = `(SELECT DISTINCT enterprise_id FROM firms)`;
    ctes.push(
      `fr AS (INSERT INTO credit_filter_read (sub, role, institution_id, operation, source, criteria, scope, read_count, kept_count, returned_count)
              SELECT ${who()}, ${$(operation)}, 'whitelist', ${$(JSON.stringify(Object.fromEntries(used.map((name) => [name, criteria[name]]))))}::jsonb,
                     ${$(JSON.stringify(listScopeOf(filter, today)))}::jsonb, counts.read, counts.kept, (SELECT count(*) FROM ${returned} u)::int FROM counts RETURNING id)`,
      `fa AS (INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation, filter_read_id)
              SELECT ${who()}, u.ids, array_fill(false, ARRAY[cardinality(u.ids)]), ${$(used.map((name) => `whitelist.filter.${name}`))}::text[], ${$(operation)}, fr.id
                FROM fr CROSS JOIN (SELECT array_agg(r.enterprise_id ORDER BY r.enterprise_id) AS ids FROM ${returned} r) u WHERE u.ids IS NOT NULL)`,
    );
  }
  // The credit reads Enterprise.creditProfile records, one per entry whose firm has a profile (its loader batches one per call).
  const recordsProfiles = profile !== null && profile !== 'ambiguous';
  if (recordsProfiles) {
    ctes.push(
      `pa AS (INSERT INTO credit_access_batch (sub, role, institution_id, enterprise_ids, consented, fields, operation)
              SELECT ${who()}, u.ids, u.consented, ${$(profile.names.map((f) => `creditProfile.${f}`))}::text[], ${$(operation)}
                FROM (SELECT array_agg(firms.enterprise_id ORDER BY firms.enterprise_id) AS ids, array_agg(firms.consented ORDER BY firms.enterprise_id) AS consented
                        FROM firms JOIN credit_profile cp ON cp.enterprise_id = firms.enterprise_id) u
               WHERE u.ids IS NOT NULL)`,
    );
  }
  const rows: Record<string, unknown>[] = await db.query(
    `WITH ${ctes.join(',\n')}
     SELECT ${entityColumnsSql(db, WhitelistEntryEntity, 'we')}, ${entityColumnsSql(db, EnterpriseEntity, 'e')}, ${entityColumnsSql(db, CreditProfileEntity, 'cp')},
            ${consented} AS consented
       FROM p JOIN whitelist_entry we ON we.id = p.id JOIN enterprise e ON e.id = we.enterprise_id
       LEFT JOIN credit_profile cp ON cp.enterprise_id = e.id
      ORDER BY p.created_at DESC, p.id DESC`,
    params,
  );

  const entries: WhitelistEntryEntity[] = [];
  const firms = enterpriseById(ctx);
  const profiles = creditProfileByEnterpriseId(ctx);
  const consents = institution ? consentedToViewer(ctx) : null;
  for (const row of rows) {
    const entry = entityFromRow(db, WhitelistEntryEntity, 'we', row, 'id')!;
    entries.push(entry);
    firms.prime(entry.enterpriseId, entityFromRow(db, EnterpriseEntity, 'e', row, 'id'));
    profiles.prime(entry.enterpriseId, entityFromRow(db, CreditProfileEntity, 'cp', row, 'enterprise_id'));
    consents?.prime(entry.enterpriseId, row.consented as boolean);
  }
  const result = toPage(entries, limit, keyOf, async () => (listCounts ??= await filteredListCounts(ctx, filter, today)).total);
  if (used.length && !auditInStatement) {
    listCounts ??= await filteredListCounts(ctx, filter, today);
    await recordCreditFilterRead(ctx, {
      source: 'whitelist',
      criteria: Object.fromEntries(used.map((name) => [name, criteria[name]])),
      scope: listScopeOf(filter, today),
      counts: ['SELECT $1::int AS read, $2::int AS kept', [listCounts.read, listCounts.kept]],
      returned: [...new Set(result.edges.map((edge) => edge.node.enterpriseId))],
      fields: used.map((name) => `whitelist.filter.${name}`),
      operation,
    });
  }
  if (recordsProfiles) {
    const fields = profile.names.map((f) => `creditProfile.${f}`);
    preRecordCreditReads(ctx, rows.slice(0, limit).filter((r) => r.cp_enterprise_id != null)
      .map((r) => ({ enterpriseId: r.we_enterprise_id as string, fields, consented: r.consented as boolean, operation })));
  }
  return { ...result, listRowsRead: null, listCounts: null };
}

/**
 * qualificationStatus's read (R4): the firm with this credit code and all its entries, newest first, in
 * one statement; the request's loaders get both, so `entries { enterprise }` and the R10 check find them.
 */
export async function firmAndEntriesByCreditCode(ctx: RequestContext, creditCode: string): Promise<{ enterprise: EnterpriseEntity | null; entries: WhitelistEntryEntity[] }> {
  const check = checkCreditCode(creditCode);
  if (!check.valid) return { enterprise: null, entries: [] };
  const db = ctx.db;
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${entityColumnsSql(db, EnterpriseEntity, 'e')}, ${entityColumnsSql(db, WhitelistEntryEntity, 'we')}
       FROM enterprise e LEFT JOIN whitelist_entry we ON we.enterprise_id = e.id
      WHERE e.credit_code = $1
      ORDER BY we.created_at DESC, we.id DESC`,
    [check.code],
  );
  if (!rows.length) return { enterprise: null, entries: [] };
  const enterprise = entityFromRow(db, EnterpriseEntity, 'e', rows[0], 'id')!;
  const entries = rows.map((row) => entityFromRow(db, WhitelistEntryEntity, 'we', row, 'id')).filter((e): e is WhitelistEntryEntity => e !== null);
  enterpriseById(ctx).prime(enterprise.id, enterprise);
  entriesByEnterpriseId(ctx).prime(enterprise.id, entries);
  return { enterprise, entries };
}
