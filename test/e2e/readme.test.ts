/**
 * The README's operations, run as a reader would (issue 16): every ```graphql block of README.md is split
 * into its operations, and they run in the README's order, as written, over HTTP, against a database with
 * the demo data, each with the token of the role its section names (ROLES below).
 *
 * Where a variable's value comes from is written in the README itself, in a comment on the operation's
 * first line or on the comment lines just above it:
 *
 *   query WhyNot($need: ID!, $product: ID!) {  # $need: Post → need.id; $product: Post → need.matches[0].product.id
 *
 * `$var: Operation → path` reads `path` from that earlier operation's `data`; a path may leave out the
 * root field when the operation has only one, and `[i]` on a connection is its `edges[i].node`. Every
 * variable that is required (non-null, no default) must have a source, and nothing else fills it: no
 * hidden fixtures. `# expect: CODE` marks a step that demonstrates a refusal: its userErrors (or GraphQL
 * errors) must carry CODE; every other step must answer with no errors and no userErrors.
 * NARRATIVE below checks the README's claims about what steps return, where they are checkable.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DocumentNode, FragmentDefinitionNode, Kind, OperationDefinitionNode, parse, visit } from 'graphql';
import pino from 'pino';
import type { TokenClaims } from '../../src/auth/jwt';
import { checkCreditCode } from '../../src/enterprises/credit-code';
import { ensureDemoData } from '../../src/demo/ensure-demo';
import { startTestApp, TestApp } from '../support/harness';

const README = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');

// ---- Reading the README ----------------------------------------------------------------------------

interface Source { operation: string; path: string }
interface Step {
  section: string;
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  document: string;
  required: string[];
  sources: Map<string, Source>;
  expect: string[];
}

/** The heading (## or ###) each ```graphql block sits under, and the block's text and starting line. */
function graphqlBlocks(markdown: string): { section: string; text: string }[] {
  const blocks: { section: string; text: string }[] = [];
  let section = '';
  let block: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (block) {
      if (/^```\s*$/.test(line)) {
        blocks.push({ section, text: block.join('\n') });
        block = null;
      } else block.push(line);
    } else if (/^```graphql\s*$/.test(line)) block = [];
    else {
      const heading = /^#{2,3} (.+)$/.exec(line);
      if (heading) section = heading[1].trim();
    }
  }
  return blocks;
}

/** The comments that belong to an operation: on its first line, and on the comment lines right above it. */
function commentsOf(text: string, start: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', start);
  const first = text.slice(start, lineEnd < 0 ? undefined : lineEnd);
  const above: string[] = [];
  const before = text.slice(0, lineStart).split('\n').slice(0, -1);
  for (let i = before.length - 1; i >= 0 && before[i].trim().startsWith('#'); i--) above.unshift(before[i]);
  return [...above, first.includes('#') ? first.slice(first.indexOf('#')) : ''].join('\n');
}

function fragmentsUsed(node: OperationDefinitionNode | FragmentDefinitionNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): Set<string> {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name)) return;
      seen.add(name);
      const fragment = fragments.get(name);
      if (fragment) fragmentsUsed(fragment, fragments, seen);
    },
  });
  return seen;
}

function readmeSteps(markdown: string): Step[] {
  const steps: Step[] = [];
  for (const { section, text } of graphqlBlocks(markdown)) {
    const document: DocumentNode = parse(text);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
    for (const d of document.definitions) {
      if (d.kind !== Kind.OPERATION_DEFINITION) continue;
      const name = d.name?.value;
      if (!name) throw new Error(`an operation without a name in "${section}": the README names every operation, so later steps can refer to it`);
      const own = text.slice(d.loc!.start, d.loc!.end);
      const shared = [...fragmentsUsed(d, fragments)].map((f) => text.slice(fragments.get(f)!.loc!.start, fragments.get(f)!.loc!.end));
      const comments = commentsOf(text, d.loc!.start);
      const sources = new Map<string, Source>();
      for (const m of comments.matchAll(/\$(\w+):\s*(\w+)\s*→\s*([\w.[\]]+)/g)) sources.set(m[1], { operation: m[2], path: m[3] });
      steps.push({
        section, name, kind: d.operation, document: [own, ...shared].join('\n'),
        required: (d.variableDefinitions ?? []).filter((v) => v.type.kind === Kind.NON_NULL_TYPE && !v.defaultValue).map((v) => v.variable.name.value),
        sources,
        expect: [...comments.matchAll(/expect:\s*([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]),
      });
    }
  }
  return steps;
}

/** `need.matches[0].product.id` in an operation's data; `[i]` on a connection is its edges[i].node. */
function pick(data: Record<string, unknown>, where: string): unknown {
  const segments = where.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let value: any = data;
  const head = segments[0];
  if (head !== undefined && !(head in data) && Object.keys(data).length === 1) value = Object.values(data)[0];
  for (const segment of segments) {
    if (value === null || value === undefined) return undefined;
    const index = /^\[(\d+)\]$/.exec(segment);
    if (index) value = Array.isArray(value?.edges) ? value.edges[Number(index[1])]?.node : value[Number(index[1])];
    else value = value[segment];
  }
  return value;
}

// ---- Who runs each section -------------------------------------------------------------------------

/** The README's mini-program token line: `--role ENTERPRISE --sub <sub> --credit-code <code>`. */
const enterpriseLine = /--role ENTERPRISE --sub (\S+) --credit-code (\S+)/.exec(README);
const ENTERPRISE_SUB = enterpriseLine?.[1] ?? 'readme-enterprise';
const CREDIT_CODE = enterpriseLine?.[2];

/**
 * Section (its heading's start) → the token its operations carry. The bank is the one whose product the
 * mini-program's firm applied to, as the README's bank section says.
 */
const ROLES: Record<string, (value: (source: string) => unknown) => TokenClaims> = {
  'Mini-program': () => ({ sub: ENTERPRISE_SUB, role: 'ENTERPRISE', ...(CREDIT_CODE ? { creditCode: CREDIT_CODE, creditCodeVerified: true } : {}) }),
  'Bank front-end': (value) => ({ sub: 'readme-bank', role: 'BANK', institutionId: value('Apply → match.product.institution.id') as string }),
  Analyst: () => ({ sub: 'readme-analyst', role: 'ANALYST' }),
  Authority: () => ({ sub: 'readme-authority', role: 'AUTHORITY' }),
};
const roleOf = (section: string) => Object.keys(ROLES).find((key) => section.startsWith(key));

// ---- What the README says the steps return -----------------------------------------------------------

const edges = (connection: any): any[] => connection?.edges?.map((e: any) => e.node) ?? [];

const NARRATIVE: Record<string, (data: any, value: (source: string) => unknown) => void> = {
  Register: (d) => expect(d.registerEnterprise.enterprise).toMatchObject({ creditCode: CREDIT_CODE, sizeClass: 'SMALL', sizeStandard: 'MIIT-2011-300' }),
  // The example firm's need matches demo products when the mutation returns (R13).
  Post: (d) => {
    expect(d.postFinancingNeed.need.status).toBe('MATCHED');
    expect(edges(d.postFinancingNeed.need.matches).length).toBeGreaterThanOrEqual(1);
  },
  // A refusal writes nothing (API.md).
  PostAgain: (d) => expect(d.postFinancingNeed.need).toBeNull(),
  WhyNot: (d) => expect(d.explainMatch.eligible).toBe(true),
  Withdraw: (d) => expect(d.withdrawFinancingNeed.need.status).toBe('WITHDRAWN'),
  Consent: (d) => expect(d.grantConsent.consent.active).toBe(true),
  Declined: (d) => expect(d.node.history.map((h: { toStatus: string }) => h.toStatus)).toContain('APPLIED'),
  Apply: (d) => expect(d.applyToMatch.match).toMatchObject({ status: 'APPLIED', need: { status: 'IN_PROGRESS' } }),
  // The firm consented to this bank: its contact shows.
  Firm: (d) => expect(d.enterprise.contact?.phone).toBeTruthy(),
  Respond: (d) => expect(d.respondToMatch.match.status).toBe('DECLINED'),
  // A roadshow this month; the whitelisted firm of the chain pitches on the whitelist; the funnel counts them.
  Roadshow: (d) => expect(d.createRoadshow.roadshow.month).toMatch(/^\d{4}-\d{2}$/),
  Invite: (d) => {
    expect(d.inviteToRoadshow.roadshow.invitations).toEqual([{ status: 'INVITED' }]);
    expect(d.addRoadshowPitches.roadshow.pitches).toEqual([expect.objectContaining({ basis: 'WHITELIST' })]);
  },
  Report: (d) => expect(d.stats.roadshows).toEqual([expect.objectContaining({ invited: 1, attending: 0, pitchingFirms: 1 })]),
  // Disbursement follows APPLY → APPROVE.
  Approve: (d, value) => expect(d.recordLoanOutcome.match).toEqual({ id: value('Apply → match.id'), status: 'APPROVED' }),
  Disburse: (d) => {
    expect(d.recordLoanOutcome.match).toMatchObject({ status: 'DISBURSED', need: { status: 'FUNDED' } });
    expect(d.recordLoanOutcome.loan.principal).toBe('5000000.00');
    // The best match is the guaranteed loan: the guarantee is booked with it. The example firm is in Shanghai,
    // and the demo's guarantee subsidies are Qingdao's (seed 004): none pays out on it (issue 17 §1).
    expect(d.recordLoanOutcome.loan.guarantee).not.toBeNull();
    expect(d.recordLoanOutcome.loan.subsidies).toEqual([]);
  },
  Repay: (d) => expect(d.recordRepayment.loan.outstanding).toBe('3000000.00'),
  // The agreement's rule splits the whole net loss.
  Default: (d) => {
    const split: { party: string; amount: string }[] = d.recordDefault.loan.lossSplit;
    expect(split.length).toBeGreaterThan(1);
    expect(split.reduce((sum, s) => sum + Math.round(Number(s.amount) * 100), 0)).toBe(100_000_000);
  },
  Listed: (d) => expect(d.qualificationStatus).toMatchObject({ onWhitelist: true, highestTier: 'LITTLE_GIANT' }),
  Revoke: (d) => expect(d.revokeWhitelistEntry.entry.revokedOn).toBeTruthy(),
  // DOMAIN E3: 9,000,000,000 on 2,000,000,000 is 4.5×, under the target of 5.
  Guarantor: (d) => {
    const { amplificationMultiple, status } = d.createInstitution.institution.guarantee;
    expect({ multiple: Number(amplificationMultiple), status }).toEqual({ multiple: 4.5, status: 'UNDER_TARGET' });
  },
  // The demo data already has QD-RISK-COMP@v1: the README's rule is its next version.
  Policy: (d) => expect(d.createPolicyRule.rule.ruleVersion).toBe('QD-RISK-COMP@v2'),
  // Issue 15 §2: 6,000.00 + 0.001 × 5,000,000 in fees, 0.0022 a year over 12 months, counted in the all-in cost.
  MakeOffer: (d) => expect(d.makeOffer.offer).toMatchObject({ status: 'OPEN', feeTotal: '11000.00', feesAnnualRate: '0.0022' }),
  CompareOffers: (d, value) => expect(edges(d.node.offers).map((o) => o.id)).toEqual([value('MakeOffer → offer.id')]),
  AcceptOffer: (d) => expect(d.acceptOffer.offer).toMatchObject({ status: 'ACCEPTED', match: { status: 'APPLIED' } }),
  // Issue 17 §3: the demo's default waits for the pool's decision, its loss not yet split.
  PoolClaims: (d) => expect(d.poolClaims[0]).toMatchObject({ loan: { lossSplit: [] } }),
  ApprovePoolClaim: (d, value) => expect(d.reviewPoolClaim.claim).toEqual({ status: 'APPROVED', approved: value('PoolClaims → poolClaims[0].claimed') }),
  // E10: the pool paid what it owed; the parties bear the rest of the loss.
  PayPoolClaim: (d) => {
    const { claim } = d.payPoolClaim;
    expect(claim).toMatchObject({ status: 'PAID', loan: { compensationPaid: claim.approved, reserveHeld: '0.00' } });
    const borne = claim.loan.lossSplit.reduce((sum: number, s: { amount: string }) => sum + Math.round(Number(s.amount) * 100), 0);
    expect(borne + Math.round(Number(claim.approved) * 100)).toBe(Math.round(Number(claim.netLoss) * 100));
  },
};

// ---- The run ---------------------------------------------------------------------------------------

const steps = readmeSteps(README);
const results = new Map<string, Record<string, unknown>>();
let app: TestApp;

/** `Operation → path` from an earlier step's data. */
function value(source: string): unknown {
  const m = /^(\w+)\s*→\s*(.+)$/.exec(source);
  if (!m) throw new Error(`not a source: ${source}`);
  const data = results.get(m[1]);
  if (!data) throw new Error(`${m[1]} has not answered before this step (is it earlier in the README, and did it succeed?)`);
  return pick(data, m[2]);
}

beforeAll(async () => {
  app = await startTestApp();
  await ensureDemoData(app.dataSource, pino({ level: 'silent' }), { config: app.config });
  await app.settled(60_000);
}, 180_000);
afterAll(() => app?.close());

describe('the README', () => {
  it('has operations in every section, each section mapped to a role, and names each operation once', () => {
    expect(steps.length).toBeGreaterThan(20);
    for (const step of steps) expect({ section: step.section, role: roleOf(step.section) ?? 'unmapped: add the section to ROLES' }).toEqual({ section: step.section, role: expect.any(String) });
    const names = steps.map((s) => s.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    for (const name of Object.keys(NARRATIVE)) expect(names).toContain(name);
  });

  it('registers a valid credit code (R1) that no demo firm has', async () => {
    expect(CREDIT_CODE).toBeDefined();
    expect(checkCreditCode(CREDIT_CODE!).valid).toBe(true);
    const [{ n }] = await app.dataSource.query('SELECT count(*)::int AS n FROM enterprise WHERE credit_code = $1', [CREDIT_CODE]);
    expect(n).toBe(0);
  });

  it('says where every variable comes from, and each source is an earlier step', () => {
    const seen = new Set<string>();
    const missing: string[] = [];
    for (const step of steps) {
      for (const v of step.required) {
        const source = step.sources.get(v);
        if (!source) missing.push(`${step.name}: $${v} has no source comment`);
        else if (!seen.has(source.operation)) missing.push(`${step.name}: $${v} comes from ${source.operation}, which is not an earlier step`);
      }
      seen.add(step.name);
    }
    expect(missing).toEqual([]);
  });

  describe.each(steps.map((step, i) => [`${i + 1}. ${step.section.split(' ')[0]} ${step.name}`, step] as const))('%s', (_title, step) => {
    it('runs as written and answers as the README says', async () => {
      const variables: Record<string, unknown> = {};
      for (const [name, source] of step.sources) variables[name] = value(`${source.operation} → ${source.path}`);
      for (const v of step.required) expect({ variable: v, value: variables[v] ?? null }).toEqual({ variable: v, value: expect.anything() });

      const role = roleOf(step.section);
      if (!role) throw new Error(`section "${step.section}" is not mapped to a role`);
      const token = app.token(ROLES[role](value));
      const res = await app.gql(step.document, variables, { token });
      if (step.kind === 'mutation') await app.settled(60_000);

      const codes = [
        ...(res.errors ?? []).map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`),
        ...Object.values(res.data ?? {}).flatMap((payload: any) => (payload?.userErrors ?? []).map((u: any) => `${u.code}: ${u.message} (${(u.field ?? []).join('.')})`)),
      ];
      if (step.expect.length) {
        for (const code of step.expect) expect(codes.some((c) => c.startsWith(`${code}:`))).toBe(true);
      } else {
        expect(codes).toEqual([]);
        expect(res.status).toBe(200);
      }
      results.set(step.name, res.data ?? {});
      NARRATIVE[step.name]?.(res.data, value);
    });
  });
});
