/**
 * Issue 11 §3: bad input is a userError, never an internal error. Every mutation the schema has (read
 * from the schema, so a new one is fuzzed too) gets FUZZ_RUNS (default 150) generated inputs over HTTP,
 * with the token of every role — an ENTERPRISE with a registered firm, institutions that exist, staff —
 * so requests get past authorization into the services. For each request: no HTTP 5xx, no error whose
 * code is not a client code, and when the request was refused (userErrors, or the mutation's field came
 * back null with an error) no table of the public schema changed (row count and content of each).
 *
 * "Partial write" is only defined for a refused request: an accepted one writes what it writes, and the
 * next request's "before" is taken after it. The match-refresh worker is off (MATCH_WORKER=0) after the
 * world is built, so nothing writes to the public schema between requests; its queue lives in `pgboss`.
 *
 * Reproduce a run with FUZZ_SEED=<printed seed> (and FUZZ_RUNS, FUZZ_ONLY=<mutation> to narrow it).
 */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLObjectType, getNamedType, GraphQLSchema } from 'graphql';
import { toGlobalId, NodeTypeName } from '../../src/common/ids';
import '../../src/schema';
import { ROLES } from '../../src/auth/roles';
import { startTestApp, TestApp } from '../support/harness';
import { changedTables, TableDigest, tableDigests } from '../support/tables';
import { FuzzWorld, inputFor, rolesAllowed, selectionOf } from '../support/fuzz';
import {
  createInstitution, daysFromToday, GRANT_CONSENT, IMPORT_CREDIT, newCreditCode, POST_NEED, publishBatch, registeredEnterprise, staff, USER_ERRORS,
} from './fixtures';
import { Market, mutate, setUpMarket } from './policy-fixtures';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const ONLY = process.env.FUZZ_ONLY;
// eslint-disable-next-line no-console
console.log(`fuzz-mutations: seed ${SEED} (FUZZ_SEED=${SEED} reproduces it), ${RUNS} runs per mutation`);

/** Error codes a client may get; anything else (INTERNAL_SERVER_ERROR, none at all) is a fault. */
const CLIENT_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE']);

/** Node types and their tables, for the pool of ids that exist. */
const NODE_TABLES: Record<NodeTypeName, string> = {
  Enterprise: 'enterprise', FinancingNeed: 'financing_need', FinancialProduct: 'product', Institution: 'institution',
  RiskCompensationPool: 'risk_compensation_pool', Whitelist: 'whitelist', WhitelistEntry: 'whitelist_entry', Consent: 'consent',
  CreditAccess: 'credit_access_log', RiskSharingRule: 'risk_sharing_rule', CooperationAgreement: 'cooperation_agreement',
  PolicyRule: 'policy_rule', Match: 'match', Loan: 'loan', CreditFilterRead: 'credit_filter_read',
  EnterpriseClaim: 'enterprise_claim', EnterpriseClaimEvent: 'enterprise_claim_event',
  Roadshow: 'roadshow', AuthorityTarget: 'authority_target', Guarantee: 'guarantee_request', CollectiveBondIssue: 'collective_bond_issue',
  LoanRenewal: 'loan_renewal', PostLoanWarning: 'post_loan_warning',
  Offer: 'offer', Document: 'document',
  SubsidyEntitlement: 'subsidy_entitlement', SubsidyClaim: 'subsidy_claim', ListingReserveEntry: 'listing_reserve_entry',
  PoolClaim: 'pool_claim',
};

const OUTCOME = `mutation($input: RecordLoanOutcomeInput!) { recordLoanOutcome(input: $input) { loan { id } ${USER_ERRORS} } }`;
const APPLY = `mutation($input: MatchActionInput!) { applyToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const RESPOND = `mutation($input: RespondToMatchInput!) { respondToMatch(input: $input) { match { id } ${USER_ERRORS} } }`;
const NEED_MATCHES = `query($id: ID!) { node(id: $id) { ... on FinancingNeed { matches(first: 50) { edges { node { id product { id } } } } } } }`;

/** A small market with a firm whose needs have matches at every stage, a loan, a whitelist and a consent. */
async function buildWorld(app: TestApp): Promise<{ market: Market; firmToken: string; investorToken: string; guarantorToken: string }> {
  const { authority } = staff(app);
  const market = await setUpMarket(app, 'FZ');
  const investor = await createInstitution(app, authority, { kind: 'INVESTOR', name: '投资机构 FZ' });
  const firm = await registeredEnterprise(app, { regionCode: '370212', sectorTags: ['EMERGING'], employees: 50, revenue: '10000000.00' });
  const code = firm.enterprise.creditCode;
  await mutate(app, authority, IMPORT_CREDIT, { source: 'PBOC', asOf: daysFromToday(-30), records: [{ creditCode: code, rating: 'AA', taxGrade: 'A' }] });
  await publishBatch(app, authority, '专精特新 FZ', '2026-1', [
    { creditCode: code, name: firm.enterprise.name, tier: 'SPECIALIZED_SME', validFrom: daysFromToday(-100), validTo: daysFromToday(600) },
    { creditCode: newCreditCode('370212'), name: '青岛某某有限公司', tier: 'INNOVATIVE_SME', validFrom: daysFromToday(-100), validTo: daysFromToday(600) },
  ]);
  await mutate(app, firm.token, GRANT_CONSENT, { institutionId: market.bank.id });
  // Three needs: one matched and left proposed, one approved, one disbursed into a loan.
  for (const [amount, stage] of [['2000000', 'PROPOSED'], ['3000000', 'APPROVED'], ['4000000', 'DISBURSED']] as const) {
    const need = await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount, termMonths: 12 });
    await app.settled();
    const res = await app.gql(NEED_MATCHES, { id: need.id }, { token: firm.token });
    const matchId = res.data.node.matches.edges.find((e: any) => e.node.product.id === market.creditLoan.id)?.node.id;
    if (!matchId) throw new Error(`no match for the ${amount} need`);
    if (stage === 'PROPOSED') continue;
    await mutate(app, market.bankToken, RESPOND, { matchId, action: 'CONTACT' });
    await mutate(app, firm.token, APPLY, { matchId });
    await mutate(app, market.bankToken, OUTCOME, { matchId, outcome: 'APPROVED' });
    if (stage === 'DISBURSED') await mutate(app, market.bankToken, OUTCOME, { matchId, outcome: 'DISBURSED', principal: amount });
  }
  await app.settled();
  return {
    market,
    firmToken: firm.token,
    investorToken: app.token({ sub: 'investor-fz', role: 'INVESTOR', institutionId: investor.id }),
    guarantorToken: app.token({ sub: 'guarantor-fz', role: 'GUARANTOR', institutionId: market.guarantor.id }),
  };
}

/** The ids that exist now, by node type. */
async function existingIds(app: TestApp): Promise<Record<string, string[]>> {
  const ids: Record<string, string[]> = {};
  for (const [type, table] of Object.entries(NODE_TABLES)) {
    const rows: { id: string }[] = await app.dataSource.query(`SELECT id::text AS id FROM "${table}" ORDER BY id LIMIT 40`);
    ids[type] = rows.map((r) => toGlobalId(type as NodeTypeName, r.id));
  }
  return ids;
}

interface Outcome { sent: number; refused: number; accepted: number; byRole: Record<string, number>; reasons: Record<string, number> }
interface Fault { mutation: string; role: string; input: unknown; problem: string; response: string }

let app: TestApp;
const schema: GraphQLSchema = buildSchema(fs.readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8'));
let world: FuzzWorld;
let roleTokens: Record<string, () => string>;
let snapshot: () => Promise<TableDigest>;
const outcomes: Record<string, Outcome> = {};
/** Where the time goes (printed, never asserted): requests and table digests, in ms. */
const spent = { requests: 0, digests: 0 };

beforeAll(async () => {
  // The world is built with the match worker on (matches need it), then the server restarts without it,
  // and without the events' dispatcher: it marks events dispatched and writes notifications in the
  // background, after the mutation that raised them, which would read as a later refused call's writes.
  // The outbox itself is written by the mutations' own statements, so a refused call that raised an event
  // is still caught.
  const builder = await startTestApp();
  let built: Awaited<ReturnType<typeof buildWorld>>;
  try {
    built = await buildWorld(builder);
  } finally {
    await builder.close();
  }
  app = await startTestApp({ databaseUrl: builder.databaseUrl, env: { MATCH_WORKER: '0', EVENT_DISPATCHER: '0' } });
  const { admin, authority, analyst } = staff(app);
  let fresh = 0;
  roleTokens = {
    'ENTERPRISE (registered)': () => built.firmToken,
    'ENTERPRISE (new user)': () => app.token({ sub: `fuzz-new-${(fresh += 1)}`, role: 'ENTERPRISE' }),
    BANK: () => built.market.bankToken,
    GUARANTOR: () => built.guarantorToken,
    INVESTOR: () => built.investorToken,
    AUTHORITY: () => authority,
    ANALYST: () => analyst,
    ADMIN: () => admin,
  };
  const codes: { code: string }[] = await app.dataSource.query(`SELECT credit_code AS code FROM enterprise ORDER BY credit_code LIMIT 20`);
  const chains: { code: string }[] = await app.dataSource.query(`SELECT code FROM industry_chain`);
  const whitelists: { name: string }[] = await app.dataSource.query(`SELECT name FROM whitelist`);
  const institutions: { id: string; kind: string }[] = await app.dataSource.query(`SELECT id::text AS id, kind FROM institution`);
  const institutionIds = (kind: string) => institutions.filter((i) => i.kind === kind).map((i) => toGlobalId('Institution', i.id));
  const fresh20 = (region?: string) => Array.from({ length: 20 }, () => newCreditCode(region));
  world = {
    ids: {},
    day: daysFromToday,
    hints: {
      creditCode: [...codes.map((c) => c.code), ...fresh20(), ...fresh20('370212')],
      regionCode: ['110108', '370212', '370200', '340100'],
      regionPrefix: ['11', '37', '3702', '370212'],
      coverageRegion: ['11', '37', '3702', '370212'],
      industryChain: chains.map((c) => c.code),
      sectorTag: ['EMERGING', 'BLUE_ECONOMY', 'HIGH_END', 'TAG_1'],
      qualification: ['SPECIALIZED_SME', 'HIGH_TECH'],
      email: ['a@example.com', 'zhang.san@example.invalid'],
      phone: ['010-12345678', '13800138000'],
      industryCode: ['C3562', 'I65'],
      action: ['VIEW', 'CONTACT', 'DECLINE'],
      outcome: ['APPROVED', 'DECLINED', 'DISBURSED'],
      party: ['GUARANTOR', 'RE_GUARANTOR', 'NATIONAL_FUND', 'BANK', 'LOCAL_GOVERNMENT'],
      channel: ['MINI_PROGRAM', 'WEB', 'BANK_REFERRAL', 'ROADSHOW'],
      code: ['PBOC_1Y', 'LPR_1Y', 'HIGH_TECH', 'TECH_SME', 'NEW_RULE', 'QD-RC-FZ'],
      benchmarkCode: ['PBOC_1Y', 'LPR_1Y'],
      whitelistName: [...whitelists.map((w) => w.name), '新名单'],
      batch: ['2026-1', '2026-2', '2026-3'],
      source: ['PBOC', '青政发〔2012〕46号 (27)', 'TAX'],
      idempotencyKey: ['k-1', 'k-2', 'k-3'],
      bankId: institutionIds('BANK'),
      guarantorId: institutionIds('GUARANTOR'),
      jsonKey: ['commitmentRatio', 'lossShare', 'perLoanCap', 'benchmarkCode', 'ratioOfBenchmark', 'annualCapPerGuarantor', 'ratio', 'growthRatio'],
    },
    misses: {
      creditCode: ['91110108000000000X', 'ABCDEFGHIJKLMNOPQR', '9111010800000000'],
      regionCode: ['000000', '999999', '11010'],
      regionPrefix: ['1', '123'],
      industryChain: ['NOT_A_CHAIN'],
      sectorTag: ['lower_case'],
      email: ['not-an-email', '@', 'a@b'],
      phone: ['12', 'phone'],
      industryCode: ['C', 'C356212'],
      action: ['view', 'APPLY'],
      outcome: ['REPAID'],
      party: ['INSURER'],
      channel: ['FAX'],
      batch: [''],
      idempotencyKey: ['a'.repeat(200)],
      jsonKey: ['unknown'],
    },
    examples: {
      params: [
        { commitmentRatio: '0.05', lossShare: '1.0' }, { commitmentRatio: '0.05', lossShare: '0.5', perLoanCap: '1000000' },
        { benchmarkCode: 'PBOC_1Y', ratioOfBenchmark: '0.5', annualCapPerGuarantor: '3000000' }, { ratio: '0.015' }, { ratio: '0.01', growthRatio: '0.1' },
      ],
      shares: [
        [{ party: 'GUARANTOR', share: '0.40' }, { party: 'RE_GUARANTOR', share: '0.30' }, { party: 'BANK', share: '0.20' }, { party: 'LOCAL_GOVERNMENT', share: '0.10' }],
        [{ party: 'GUARANTOR', share: '0.6' }, { party: 'BANK', share: '0.4' }],
        [{ party: 'GUARANTOR', share: '1' }],
      ],
    },
  };
  snapshot = await tableDigests(app);
}, 180_000);

afterAll(async () => {
  await app?.close();
  const top = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} ${n}`).join(', ');
  const rows = Object.entries(outcomes).map(([mutation, o]) => ({ mutation, ...o, why: top(o.reasons) }));
  const total = rows.reduce((s, r) => ({ sent: s.sent + r.sent, refused: s.refused + r.refused, accepted: s.accepted + r.accepted }), { sent: 0, refused: 0, accepted: 0 });
  // eslint-disable-next-line no-console
  console.log(`fuzz-mutations (seed ${SEED}):\n${rows.map((r) => `${r.mutation.padEnd(28)} sent ${String(r.sent).padStart(4)}  refused ${String(r.refused).padStart(4)}  accepted ${String(r.accepted).padStart(4)}  (refused: ${r.why})`).join('\n')}\nTOTAL sent ${total.sent} refused ${total.refused} accepted ${total.accepted}; requests ${Math.round(spent.requests / 1000)} s, table digests ${Math.round(spent.digests / 1000)} s`);
});

/** The token labels whose role @Authorized allows on a mutation. */
function allowedRoles(mutation: string): string[] {
  const roles = rolesAllowed('mutations', mutation, ROLES);
  return Object.keys(roleTokens).filter((label) => roles.includes(label.split(' ')[0]));
}

async function send(document: string, input: unknown, token: string) {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: document, variables: { input } }),
  });
  const text = await res.text();
  let body: { data?: Record<string, any> | null; errors?: { message: string; path?: string[]; extensions?: { code?: string } }[] } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // A body that is not JSON (a 413 from the body parser) is judged by its status alone.
  }
  return { status: res.status, body, text };
}

describe('every mutation, fuzzed: no internal error, and a refused request writes nothing', () => {
  it('sees a refused write that kept the row count: the digest covers the rows\' content', async () => {
    const before = await snapshot();
    await app.dataSource.query(`UPDATE enterprise SET name = name || '·' WHERE id = (SELECT min(id::text)::uuid FROM enterprise)`);
    const after = await snapshot();
    await app.dataSource.query(`UPDATE enterprise SET name = left(name, -1) WHERE id = (SELECT min(id::text)::uuid FROM enterprise)`);
    expect(changedTables(before, after)).toEqual(['enterprise']);
    expect(changedTables(before, await snapshot())).toEqual([]);
  });

  // One test per mutation, named after it. Test names are needed before any test runs, so the schema is the
  // emitted SDL (test/schema.test.ts keeps it identical to the code's).
  const names = Object.keys(schema.getMutationType()!.getFields());
  it('finds every mutation in the schema', () => {
    expect(names.length).toBeGreaterThanOrEqual(23);
  });
  for (const name of names) {
    (ONLY && ONLY !== name ? it.skip : it)(name, async () => {
      const field = schema.getMutationType()!.getFields()[name];
      world.ids = await existingIds(app);
      const inputArg = field.args.find((a) => a.name === 'input')!;
      const document = `mutation Fuzz($input: ${inputArg.type.toString()}) { ${name}(input: $input) ${selectionOf(getNamedType(field.type) as GraphQLObjectType)} }`;
      const allowed = allowedRoles(name);
      const others = Object.keys(roleTokens).filter((r) => !allowed.includes(r));
      const role = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...allowed) }, { weight: others.length ? 1 : 0, arbitrary: fc.constantFrom(...(others.length ? others : allowed)) });
      const samples = fc.sample(fc.tuple(role, inputFor(world, inputArg.type)), { numRuns: RUNS, seed: SEED + hash(name) });
      const outcome: Outcome = (outcomes[name] = { sent: 0, refused: 0, accepted: 0, byRole: {}, reasons: {} });
      const faults: Fault[] = [];
      let before = await snapshot();
      for (const [label, input] of samples) {
        let t0 = performance.now();
        const { status, body, text } = await send(document, input, roleTokens[label]());
        spent.requests += performance.now() - t0;
        outcome.sent += 1;
        outcome.byRole[label] = (outcome.byRole[label] ?? 0) + 1;
        const fault = (problem: string) => faults.push({ problem, role: label, mutation: name, response: text.slice(0, 600), input });
        if (status >= 500) fault(`HTTP ${status}`);
        for (const e of body.errors ?? []) if (!CLIENT_CODES.has(e.extensions?.code ?? '')) fault(`error ${e.extensions?.code}: ${e.message}`);
        const payload = body.data?.[name];
        const refused = status !== 200 || !payload || payload.userErrors?.length > 0;
        t0 = performance.now();
        const after = await snapshot();
        spent.digests += performance.now() - t0;
        if (refused) {
          outcome.refused += 1;
          const reason = payload?.userErrors?.[0]?.code ?? (process.env.FUZZ_DEBUG ? body.errors?.[0]?.message?.slice(0, 160) : body.errors?.[0]?.extensions?.code) ?? `HTTP ${status}`;
          outcome.reasons[reason] = (outcome.reasons[reason] ?? 0) + 1;
          const changed = changedTables(before, after);
          if (changed.length) fault(`refused, yet wrote to ${changed.join(', ')}`);
        } else {
          outcome.accepted += 1;
        }
        before = after;
      }
      if (faults.length) {
        // eslint-disable-next-line no-console
        console.log(`${name}: ${faults.length} faults (seed ${SEED})\n${faults.slice(0, 5).map((f) => JSON.stringify(f).slice(0, 1500)).join('\n')}`);
      }
      expect(faults.map((f) => `${f.role}: ${f.problem}`)).toEqual([]);
    }, 300_000);
  }
});

function hash(s: string): number {
  let h = 0;
  for (const c of s) h = (h * 31 + c.codePointAt(0)!) | 0;
  return Math.abs(h);
}
