/**
 * `node(id:)` and R10: each domain registers who may see its nodes (common/node.ts); fetched by id, a node
 * the viewer may not see answers null exactly like a missing one. Needs, loans, credit reads and filter
 * reads have their own stories elsewhere (needs, loans, privacy tests); these are the other private types.
 */
import { toGlobalId } from '../../src/common/ids';
import { entryIds, GRANT_CONSENT, IMPORT_CREDIT, institutionWithToken, POST_NEED, publishBatch, registeredEnterprise, staff } from './fixtures';
import { Market, mutate, setUpMarket } from './policy-fixtures';
import { startTestApp, TestApp } from '../support/harness';

const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Match { rank } } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id rank product { id } } } } } } }`;

let app: TestApp;
let market: Market;
let otherBank: string;
let firm: Awaited<ReturnType<typeof registeredEnterprise>>;
let stranger: Awaited<ReturnType<typeof registeredEnterprise>>;

/** What `node(id)` answers `token`: the node's typename, or null. */
async function seen(id: string, token: string): Promise<string | null> {
  const res = await app.gql(NODE, { id }, { token });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data.node?.__typename ?? null;
}

beforeAll(async () => {
  app = await startTestApp();
  market = await setUpMarket(app, 'ND');
  otherBank = (await institutionWithToken(app, 'BANK', '他行 ND')).token;
  firm = await registeredEnterprise(app, { regionCode: '370212', employees: 50, revenue: '10000000.00' });
  stranger = await registeredEnterprise(app);
  await mutate(app, staff(app).authority, IMPORT_CREDIT, { source: 'PBOC', asOf: '2026-11-01', records: [{ creditCode: firm.enterprise.creditCode, rating: 'AA', taxGrade: 'A' }] });
});
afterAll(() => app?.close());

describe('node(id:) enforces each type\'s visibility (R10)', () => {
  it('a match: its enterprise and its bank see it with its rank; another bank and another enterprise do not', async () => {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '5000000', termMonths: 12 });
    const listed = (await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token })).data.node.matches.edges.map((e: any) => e.node);
    const match = listed.find((m: any) => m.product.id === market.creditLoan.id);
    expect(match.rank).toBeGreaterThan(0);
    for (const token of [firm.token, market.bankToken, staff(app).authority]) {
      expect((await app.gql(NODE, { id: match.id }, { token })).data.node).toEqual({ __typename: 'Match', id: match.id, rank: match.rank });
    }
    for (const token of [otherBank, stranger.token]) expect(await seen(match.id, token)).toBeNull();
  });

  it('an enterprise: itself and staff see it; another enterprise does not', async () => {
    for (const token of [firm.token, market.bankToken, staff(app).analyst]) expect(await seen(firm.enterprise.id, token)).toBe('Enterprise');
    expect(await seen(firm.enterprise.id, stranger.token)).toBeNull();
  });

  it('a consent: the enterprise and the institution it names see it; another bank and another enterprise do not', async () => {
    const res = await app.gql(GRANT_CONSENT, { input: { institutionId: market.bank.id } }, { token: firm.token });
    const id = res.data.grantConsent.consent.id;
    for (const token of [firm.token, market.bankToken]) expect(await seen(id, token)).toBe('Consent');
    for (const token of [otherBank, stranger.token, staff(app).analyst]) expect(await seen(id, token)).toBeNull();
  });

  it('a claim: its claimant and the authorities see it; a bank and another enterprise do not', async () => {
    const id = (await app.gql('{ viewer { claim { id } } }', {}, { token: firm.token })).data.viewer.claim.id;
    for (const token of [firm.token, staff(app).authority, staff(app).admin]) expect(await seen(id, token)).toBe('EnterpriseClaim');
    for (const token of [market.bankToken, stranger.token, staff(app).analyst]) expect(await seen(id, token)).toBeNull();
  });

  it('a claim\'s step (the audit): authorities and admins only', async () => {
    const events = await app.gql(`query($filter: EnterpriseClaimEventFilter) { enterpriseClaimEvents(filter: $filter, first: 5) { edges { node { id } } } }`,
      { filter: { creditCode: firm.enterprise.creditCode } }, { token: staff(app).authority });
    const id = events.data.enterpriseClaimEvents.edges[0].node.id;
    for (const token of [staff(app).authority, staff(app).admin]) expect(await seen(id, token)).toBe('EnterpriseClaimEvent');
    for (const token of [firm.token, market.bankToken, staff(app).analyst]) expect(await seen(id, token)).toBeNull();
  });

  it('a whitelist entry: as private as its enterprise; the whitelist itself is public', async () => {
    const whitelistId = await publishBatch(app, staff(app).authority, '节点测试名单', '2026-ND', [
      { creditCode: firm.enterprise.creditCode, name: firm.input.name, tier: 'INNOVATIVE_SME', validFrom: '2026-01-01', validTo: '2028-12-31' },
    ]);
    const entry = (await entryIds(app, staff(app).authority, whitelistId)).get(firm.enterprise.creditCode)!;
    for (const token of [firm.token, market.bankToken, staff(app).analyst]) expect(await seen(entry, token)).toBe('WhitelistEntry');
    expect(await seen(entry, stranger.token)).toBeNull();
    expect(await seen(whitelistId, stranger.token)).toBe('Whitelist');
  });

  it('public facts (institutions, products, pools) to every role; nothing for a malformed id or an unknown type', async () => {
    for (const id of [market.bank.id, market.creditLoan.id, market.pool.id]) expect(await seen(id, stranger.token)).not.toBeNull();
    expect(await seen('not-an-id', staff(app).admin)).toBeNull();
    expect(await seen(Buffer.from(`Nothing:${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`).toString('base64url'), staff(app).admin)).toBeNull();
    expect(await seen(toGlobalId('Match', '00000000-0000-0000-0000-000000000000'), staff(app).admin)).toBeNull();
  });
});
