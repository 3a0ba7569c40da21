/** A firm with one loan need and matches read over GraphQL, for the refresh-protocol tests. */
import { uuidOf } from '../../src/common/ids';
import { TestApp } from '../support/harness';
import { daysFromToday, IMPORT_CREDIT, POST_NEED, registeredEnterprise, staff } from './fixtures';
import { MATCHES, mutate } from './policy-fixtures';

export async function firmWithNeed(app: TestApp, amount: string, attested?: { sectorTags: string[] }, profile: Record<string, unknown> = {}) {
  const authority = staff(app).authority;
  const firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00', ...profile }, { attested: attested?.sectorTags.length ? attested : undefined });
  await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-10), records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA' }] });
  const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
  return { firm, need, needId: uuidOf(need.id, 'FinancingNeed')! };
}

export async function matchOf(app: TestApp, needId: string, token: string, productId: string) {
  const res = await app.gql(MATCHES, { id: needId }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node.matches.edges.map((e: any) => e.node).find((m: any) => m.product.id === productId) ?? null;
}

