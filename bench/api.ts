/**
 * npm run bench:api [-- --scale 1 --keep DIR --rounds 3 --seconds 10 --connections 8 --cpu-prof]
 *
 * The bank's read path (issue 14) against a generic schema-to-API server and hand-written SQL, all on one
 * DOMAIN §6 database (bench/market.ts, generated once into --keep DIR and reused; bench:match can share
 * it): finmatch (createServer, as main.ts runs it, rate limits on), PostGraphile 4 on the same tables, and
 * a node:http + pg server returning the same JSON (bench/api-raw.ts), each in a process of its own.
 *
 * Measured, in interleaved rounds of `--seconds` each with autocannon (`--connections` at a time):
 *   - the 专精特新 whitelist page, first 50, credit filters (rating ≥ A, no active dishonesty, tier ≥
 *     SPECIALIZED_SME), with each firm's details and credit summary: finmatch, PostGraphile, raw SQL,
 *     raw SQL with the audit rows finmatch writes (R10);
 *   - qualificationStatus by credit code (资质查询): finmatch, PostGraphile, raw SQL;
 *   - finmatch only, end to end over HTTP: postFinancingNeed (insert + match in one transaction) and the
 *     bank's inbox page (first 50) that the posted needs filled.
 * First the answers are checked to agree (deep-equal after normalising field order; PostGraphile's shape
 * mapped onto finmatch's). Printed per server: req/s, p50, p99, server CPU ms per request, SQL
 * statements per request (first 5 / 50 / 100) and RSS, with the ratios; last, one JSON line of the figures.
 * `--only page:finmatch,lookup` measures the loads whose labels start so (no end-to-end part). `--cpu-prof` writes finmatch's CPU profiles of the measured rounds to dist/bench-profiles/ (one per load
 * and round; summarise with bench/cpu-profile.ts).
 */
import 'reflect-metadata';
import { execFileSync, fork, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { signToken } from '../src/auth/jwt';
import { toGlobalId } from '../src/common/ids';
import { todayInShanghai } from '../src/common/dates';
import { membershipOn } from '../src/whitelists/membership';
import { POSTGRAPHILE_SETUP } from './api-postgraphile';
import { openMarket } from './market-db';

type ServerKind = 'finmatch' | 'postgraphile' | 'raw';
interface Stats { statements: number; roundTrips: number; cpuMs: number; rss: number }
interface Child { kind: ServerKind; process: ChildProcess; port: number; stats(message?: string): Promise<Stats> }

/** A fresh secret per run: the servers run with NODE_ENV=production, which refuses a guessable one. */
const SECRET = randomBytes(32).toString('base64url');
const PAGE_FILTER = { tierAtLeast: 'SPECIALIZED_SME', minRating: 'A', noActiveDishonesty: true };

const FINMATCH_PAGE = `query WhitelistPage($filter: WhitelistFilter, $first: Int) { whitelist(filter: $filter, first: $first) {
  pageInfo { hasNextPage endCursor }
  edges { node { id tier validFrom validTo listedName enterprise { creditCode name sizeClass regionCode industryChains creditProfile { rating taxGrade asOf } } } } } }`;
const POSTGRAPHILE_PAGE = `query WhitelistPage($asOf: Date!, $tier: Int!, $rating: Int!, $first: Int) { specialisedWhitelist(asOf: $asOf, tierAtLeast: $tier, minRating: $rating, first: $first) {
  pageInfo { hasNextPage }
  nodes { id tier validFrom validTo listedName enterpriseByEnterpriseId { creditCode name sizeClass regionCode industryChains creditProfileByEnterpriseId { rating taxGrade asOf } } } } }`;
const FINMATCH_LOOKUP = `query Qualification($creditCode: String!, $asOf: Date) { qualificationStatus(creditCode: $creditCode, asOf: $asOf) {
  creditCode enterpriseName onWhitelist highestTier validTo asOf entries { id tier validFrom validTo revokedOn listedName } } }`;
const POSTGRAPHILE_LOOKUP = `query Qualification($creditCode: String!) { enterpriseByCreditCode(creditCode: $creditCode) { name
  whitelistEntriesByEnterpriseId(orderBy: [CREATED_AT_DESC, ID_DESC]) { nodes { id tier validFrom validTo revokedOn listedName } } } }`;
const INBOX = `query Inbox($first: Int) { inbox(first: $first) { edges { node { id status rank respondBy
  need { amount termMonths enterprise { name sizeClass creditProfile { rating } } } product { name } terms { indicativeAnnualRate bankNetExposure } } } } }`;
const POST_NEED = `mutation PostNeed($input: PostFinancingNeedInput!) { postFinancingNeed(input: $input) { need { id status } userErrors { code message } } }`;
const REGISTER = `mutation Register($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { enterprise { id } userErrors { code message } } }`;

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const ROOT = path.resolve(__dirname, '..');

/** The servers run compiled, as `npm start` runs finmatch (tsconfig.bench.json: src and the bench's server files, into dist/). */
function compileServers(): void {
  const started = Date.now();
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.bench.json')], { stdio: 'inherit' });
  process.stderr.write(`servers compiled in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

function startChild(kind: ServerKind, url: string, port: number): Promise<Child> {
  const child = fork(path.join(ROOT, 'dist/bench/api-servers.js'), [kind, url, String(port)], {
    // As deployed (docs/DEPLOY.md): NODE_ENV=production, which graphql-js and PostGraphile read too.
    execArgv: [], env: { ...process.env, BENCH_JWT_SECRET: SECRET, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting: ((s: Stats) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
    child.on('message', (message: unknown) => {
      if (message === 'ready') {
        resolve({ kind, process: child, port, stats: (m = 'stats') => new Promise((r) => { waiting.push(r); child.send(m); }) });
      } else waiting.shift()?.(message as Stats);
    });
  });
}

interface Request { operationName: string; query: string; variables: Record<string, unknown>; headers?: Record<string, string> }

async function post(port: number, request: Request): Promise<{ data?: Record<string, unknown>; errors?: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors || res.status !== 200) throw new Error(`${request.operationName} on :${port}: ${res.status} ${JSON.stringify(body.errors ?? body)}`);
  return body;
}

/** Deep-equal after ordering every object's keys (JSON field order is the selection's, not the answer's). */
function normalised(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalised);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, normalised((value as Record<string, unknown>)[k])]));
  return value;
}
function agree(label: string, a: unknown, b: unknown): void {
  if (!isDeepStrictEqual(normalised(a), normalised(b))) {
    throw new Error(`${label}: answers differ\n${JSON.stringify(normalised(a)).slice(0, 2000)}\n${JSON.stringify(normalised(b)).slice(0, 2000)}`);
  }
}

const uuidOfGlobal = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** finmatch's page with ids as PostGraphile has them (uuids) and without the cursor, which PostGraphile encodes its own way. */
const comparablePage = (data: Json) => ({
  hasNextPage: data.whitelist.pageInfo.hasNextPage,
  nodes: data.whitelist.edges.map(({ node }: Json) => ({ ...node, id: uuidOfGlobal(node.id) })),
});
const postgraphilePage = (data: Json) => ({
  hasNextPage: data.specialisedWhitelist.pageInfo.hasNextPage,
  nodes: data.specialisedWhitelist.nodes.map(({ enterpriseByEnterpriseId: e, ...node }: Json) => {
    const { creditProfileByEnterpriseId: profile, ...firm } = e;
    return { ...node, enterprise: { ...firm, creditProfile: profile } };
  }),
});
const comparableLookup = (data: Json) => ({ ...data.qualificationStatus, entries: data.qualificationStatus.entries.map((e: Json) => ({ ...e, id: uuidOfGlobal(e.id) })) });
const postgraphileLookup = (data: Json, creditCode: string, asOf: string) => {
  const firm = data.enterpriseByCreditCode;
  const entries = firm?.whitelistEntriesByEnterpriseId.nodes ?? [];
  return { creditCode, enterpriseName: firm?.name ?? null, asOf, entries, ...membershipOn(entries, asOf) };
};

interface Load { label: string; server: Child; next: () => Request }
interface Round { reqs: number; p50: number; p99: number; cpuMs: number; rss: number; errors: number }

async function load(l: Load, seconds: number, connections: number, profile: string | null = null): Promise<Round> {
  if (profile) await l.server.stats('profile:start');
  const before = await l.server.stats();
  let rss = before.rss;
  const sampler = setInterval(() => void l.server.stats().then((s) => { rss = Math.max(rss, s.rss); }), 1000);
  const result = await autocannon({
    url: `http://127.0.0.1:${l.server.port}/graphql`, connections, duration: seconds,
    requests: [{ method: 'POST', setupRequest: (req: Json) => {
      const r = l.next();
      return { ...req, path: '/graphql', headers: { 'content-type': 'application/json', ...r.headers }, body: JSON.stringify({ operationName: r.operationName, query: r.query, variables: r.variables }) };
    } }],
  } as never) as unknown as Json;
  clearInterval(sampler);
  const after = await l.server.stats();
  if (profile) await l.server.stats(`profile:stop:${profile}`);
  const done = result.requests.total as number;
  return {
    reqs: done / (result.duration as number), p50: result.latency.p50, p99: result.latency.p99,
    cpuMs: (after.cpuMs - before.cpuMs) / Math.max(1, done), rss: Math.max(rss, after.rss), errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    scale: { type: 'string', default: '1' }, keep: { type: 'string' }, rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '8' }, 'cpu-prof': { type: 'boolean', default: false },
    only: { type: 'string' },
  } });
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const market = await openMarket({ scale: Number(values.scale), keep: values.keep, poolSize: 2 });
  const { db, url } = market;
  const children: Child[] = [];
  try {
    await db.query(POSTGRAPHILE_SETUP);
    const asOf = todayInShanghai();
    const [bank] = await db.query(`SELECT id FROM institution WHERE kind = 'BANK' ORDER BY name LIMIT 1`);
    const bankToken = signToken({ sub: 'bench-bank', role: 'BANK', institutionId: toGlobalId('Institution', bank.id) }, SECRET);
    // Firms to look up: whitelisted ones and, one in four, firms on no list.
    const codes: string[] = (await db.query(`
      (SELECT e.credit_code FROM whitelist_entry we JOIN enterprise e ON e.id = we.enterprise_id ORDER BY we.id LIMIT 300)
      UNION ALL (SELECT e.credit_code FROM bench_firm f JOIN enterprise e ON e.id = f.id WHERE f.i >= 500000 ORDER BY f.i LIMIT 100)`)).map((r: Json) => r.credit_code);

    compileServers();
    const base = 57000 + Math.floor(Math.random() * 2000);
    const [finmatch, postgraphile, raw] = await Promise.all((['finmatch', 'postgraphile', 'raw'] as const).map((kind, i) => startChild(kind, url, base + i)));
    children.push(finmatch, postgraphile, raw);
    const auth = { authorization: `Bearer ${bankToken}` };
    const rawAudit = { 'x-bench-sub': 'bench-raw', 'x-bench-institution': bank.id };

    const page = (first: number): Record<ServerKind | 'audited', Request> => ({
      finmatch: { operationName: 'WhitelistPage', query: FINMATCH_PAGE, variables: { filter: PAGE_FILTER, first }, headers: auth },
      postgraphile: { operationName: 'WhitelistPage', query: POSTGRAPHILE_PAGE, variables: { asOf, tier: 2, rating: 7, first } },
      raw: { operationName: 'WhitelistPage', query: '', variables: { filter: { ...PAGE_FILTER, asOf }, first } },
      audited: { operationName: 'WhitelistPageAudited', query: '', variables: { filter: { ...PAGE_FILTER, asOf }, first }, headers: rawAudit },
    });
    const lookup = (creditCode: string): Record<ServerKind, Request> => ({
      finmatch: { operationName: 'Qualification', query: FINMATCH_LOOKUP, variables: { creditCode, asOf }, headers: auth },
      postgraphile: { operationName: 'Qualification', query: POSTGRAPHILE_LOOKUP, variables: { creditCode } },
      raw: { operationName: 'Qualification', query: '', variables: { creditCode, asOf } },
    });

    // 1. The answers agree.
    for (const first of [5, 50, 100]) {
      const p = page(first);
      const mine = (await post(finmatch.port, p.finmatch)).data!;
      agree(`page of ${first}: raw SQL`, mine, (await post(raw.port, p.raw)).data);
      agree(`page of ${first}: raw SQL + audit`, mine, (await post(raw.port, p.audited)).data);
      agree(`page of ${first}: PostGraphile`, comparablePage(mine), postgraphilePage((await post(postgraphile.port, p.postgraphile)).data!));
    }
    for (const code of codes.filter((_, i) => i % 20 === 0)) {
      const l = lookup(code);
      const mine = (await post(finmatch.port, l.finmatch)).data!;
      agree(`lookup ${code}: raw SQL`, mine, (await post(raw.port, l.raw)).data);
      agree(`lookup ${code}: PostGraphile`, comparableLookup(mine), postgraphileLookup((await post(postgraphile.port, l.postgraphile)).data!, code, asOf));
    }
    process.stderr.write('answers agree: pages of 5, 50 and 100; 20 lookups\n');

    // 2. Statements per request, one request at a time (the median of 5).
    const statementsOf = async (server: Child, request: Request) => {
      const counts: Stats[] = [];
      for (let i = 0; i < 5; i += 1) {
        await server.stats('reset');
        await post(server.port, request);
        counts.push(await server.stats());
      }
      return { statements: median(counts.map((c) => c.statements)), roundTrips: median(counts.map((c) => c.roundTrips)) };
    };
    const statements: Json = {};
    for (const first of [5, 50, 100]) {
      const p = page(first);
      for (const [key, server, request] of [['finmatch', finmatch, p.finmatch], ['postgraphile', postgraphile, p.postgraphile], ['raw', raw, p.raw], ['audited', raw, p.audited]] as const) {
        (statements[`page${first}`] ??= {})[key] = await statementsOf(server, request);
      }
    }
    const l0 = lookup(codes[0]);
    statements.lookup = {
      finmatch: await statementsOf(finmatch, l0.finmatch), postgraphile: await statementsOf(postgraphile, l0.postgraphile), raw: await statementsOf(raw, l0.raw),
    };

    // The framework's floor: an authenticated request that reads nothing (token, rate limit, Apollo, Express, access log).
    const floor: Request = { operationName: 'Floor', query: 'query Floor { __typename }', variables: {}, headers: auth };

    // 3. Interleaved rounds.
    let n = 0;
    const nextCode = () => codes[(n += 1) % codes.length];
    const p50s = page(50);
    const loads: Load[] = [
      { label: 'page:finmatch', server: finmatch, next: () => p50s.finmatch },
      { label: 'page:postgraphile', server: postgraphile, next: () => p50s.postgraphile },
      { label: 'page:raw', server: raw, next: () => p50s.raw },
      { label: 'page:raw+audit', server: raw, next: () => p50s.audited },
      { label: 'lookup:finmatch', server: finmatch, next: () => lookup(nextCode()).finmatch },
      { label: 'lookup:postgraphile', server: postgraphile, next: () => lookup(nextCode()).postgraphile },
      { label: 'lookup:raw', server: raw, next: () => lookup(nextCode()).raw },
      { label: 'floor:finmatch', server: finmatch, next: () => floor },
    ].filter((l) => !values.only || values.only.split(',').some((prefix) => l.label.startsWith(prefix)));
    const results = new Map<string, Round[]>(loads.map((l) => [l.label, []]));
    const profiles = values['cpu-prof'] ? path.join(ROOT, 'dist/bench-profiles') : null;
    if (profiles) fs.mkdirSync(profiles, { recursive: true });
    for (const l of loads) await load(l, 2, connections); // warm-up: JIT, plans, caches
    for (let r = 0; r < rounds; r += 1) {
      // Each round starts one further along, so no server always follows the same one.
      for (let k = 0; k < loads.length; k += 1) {
        const l = loads[(k + r) % loads.length];
        const profile = profiles && l.server.kind === 'finmatch' ? path.join(profiles, `${l.label.replace(':', '-')}-${r + 1}.cpuprofile`) : null;
        const round = await load(l, seconds, connections, profile);
        results.get(l.label)!.push(round);
        process.stderr.write(`round ${r + 1} ${l.label}: ${fmt(round.reqs)} req/s, p50 ${round.p50} ms, p99 ${round.p99} ms, ${fmt(round.cpuMs, 2)} ms CPU/req${round.errors ? `, ${round.errors} errors` : ''}\n`);
      }
    }

    // 4. finmatch end to end: postFinancingNeed, then the inbox those needs filled.
    const extra = values.only ? null : await endToEnd(db, finmatch, asOf, seconds, connections);

    const summary = (label: string) => {
      const rs = results.get(label) ?? [];
      if (!rs.length) return null;
      return {
        reqs: median(rs.map((x) => x.reqs)), reqsMin: Math.min(...rs.map((x) => x.reqs)), reqsMax: Math.max(...rs.map((x) => x.reqs)),
        p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)), cpuMs: median(rs.map((x) => x.cpuMs)),
        rssMb: Math.max(...rs.map((x) => x.rss)) / 2 ** 20, errors: rs.reduce((s, x) => s + x.errors, 0),
      };
    };
    const figures: Json = Object.fromEntries([...results.keys()].map((k) => [k, summary(k)]));
    const ratio = (a: string, b: string) => (figures[a] && figures[b] ? figures[a].reqs / figures[b].reqs : Number.NaN);
    const ratios = {
      pageVsPostgraphile: ratio('page:finmatch', 'page:postgraphile'),
      pageVsRaw: ratio('page:finmatch', 'page:raw'),
      pageVsRawAudited: ratio('page:finmatch', 'page:raw+audit'),
      lookupVsRaw: ratio('lookup:finmatch', 'lookup:raw'),
      lookupVsPostgraphile: ratio('lookup:finmatch', 'lookup:postgraphile'),
      floorVsRaw: ratio('floor:finmatch', 'lookup:raw'),
    };
    const row = (label: string, st: Json | undefined) => {
      const f = figures[label];
      if (!f) return null;
      return `| ${label} | ${fmt(f.reqs)} (${fmt(f.reqsMin)}–${fmt(f.reqsMax)}) | ${fmt(f.p50)} | ${fmt(f.p99)} | ${fmt(f.cpuMs, 2)} | ${st ? `${st.statements} (${st.roundTrips})` : '–'} | ${fmt(f.rssMb, 0)} |`;
    };
    const st = (kind: string, first: number) => `${statements[`page${first}`][kind].statements}`;
    const lines = [
      `bench:api at scale ${values.scale}, ${rounds} interleaved rounds of ${seconds} s, ${connections} connections (median over rounds, range in brackets)`,
      '| load | req/s | p50 ms | p99 ms | server CPU ms/req | statements (round trips) | max RSS MB |',
      '|---|---:|---:|---:|---:|---:|---:|',
      row('page:finmatch', statements.page50.finmatch), row('page:postgraphile', statements.page50.postgraphile), row('page:raw', statements.page50.raw),
      row('page:raw+audit', statements.page50.audited), row('lookup:finmatch', statements.lookup.finmatch), row('lookup:postgraphile', statements.lookup.postgraphile),
      row('lookup:raw', statements.lookup.raw), row('floor:finmatch', undefined),
      ...(extra ? [extra.postRow, extra.inboxRow] : []),
    ].filter(Boolean);
    lines.push(
      `page statements, first 5 / 50 / 100: finmatch ${st('finmatch', 5)} / ${st('finmatch', 50)} / ${st('finmatch', 100)}; PostGraphile ${st('postgraphile', 5)} / ${st('postgraphile', 50)} / ${st('postgraphile', 100)}; raw ${st('raw', 5)}; raw + audit ${st('audited', 5)}`,
      `ratios (req/s): page × PostGraphile ${fmt(ratios.pageVsPostgraphile, 2)} (goal ≥ 2.0), × raw SQL ${fmt(ratios.pageVsRaw, 2)}, × raw SQL + audit ${fmt(ratios.pageVsRawAudited, 2)} (goal ≥ 0.6); lookup × raw SQL ${fmt(ratios.lookupVsRaw, 2)} (goal ≥ 0.8), × PostGraphile ${fmt(ratios.lookupVsPostgraphile, 2)}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stdout.write(`${JSON.stringify({ scale: Number(values.scale), rounds, seconds, connections, figures, statements, ratios, endToEnd: extra?.figures ?? null })}\n`);
  } finally {
    for (const c of children) {
      c.process.removeAllListeners('exit');
      const exited = new Promise((r) => c.process.once('exit', r));
      c.process.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (c.process.exitCode === null) c.process.kill('SIGKILL');
    }
    await market.close();
  }
}

/** postFinancingNeed from 16 registered firms (amounts differ, so none is a duplicate), then the inbox of the bank with most matches. */
async function endToEnd(db: Json, finmatch: Child, asOf: string, seconds: number, connections: number) {
  const firms: { credit_code: string; registered: boolean }[] = await db.query(`
    SELECT e.credit_code, EXISTS (SELECT 1 FROM enterprise_user u WHERE u.enterprise_id = e.id) AS registered
      FROM bench_firm f JOIN enterprise e ON e.id = f.id WHERE f.i BETWEEN 900000 AND 900015 ORDER BY f.i`);
  const tokens = firms.map((f) => signToken({ sub: `bench-firm-${f.credit_code}`, role: 'ENTERPRISE', creditCode: f.credit_code, creditCodeVerified: true }, SECRET));
  for (const [i, f] of firms.entries()) {
    if (f.registered) continue; // by an earlier run on the kept data
    await post(finmatch.port, { operationName: 'Register', query: REGISTER, headers: { authorization: `Bearer ${tokens[i]}` }, variables: { input: {
      creditCode: f.credit_code, name: `基准注册企业 ${i} (synthetic)`, sector: 'INDUSTRY', regionCode: '110108', employees: 120, revenue: '30000000.00', industryChains: ['AI'],
    } } });
  }
  const neededBy = new Date(Date.parse(`${asOf}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10);
  let n = Date.now() % 100_000;
  const post1 = (): Request => {
    n += 1;
    const token = tokens[n % tokens.length];
    return { operationName: 'PostNeed', query: POST_NEED, headers: { authorization: `Bearer ${token}` }, variables: { input: {
      kind: 'LOAN', amount: `${1_000_000 + n * 100}.00`, termMonths: 12, maxAnnualRate: '0.08', acceptGuarantee: true, neededBy,
    } } };
  };
  const sample = (await post(finmatch.port, post1())).data as Json;
  if (sample.postFinancingNeed.userErrors.length) throw new Error(`postFinancingNeed: ${JSON.stringify(sample.postFinancingNeed.userErrors)}`);
  const posted = await load({ label: 'postFinancingNeed:finmatch', server: finmatch, next: post1 }, seconds, Math.min(4, connections));
  const [bank] = await db.query(`SELECT m.institution_id FROM match m JOIN institution i ON i.id = m.institution_id WHERE i.kind = 'BANK' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  const token = signToken({ sub: 'bench-inbox', role: 'BANK', institutionId: toGlobalId('Institution', bank.institution_id) }, SECRET);
  const inbox: Request = { operationName: 'Inbox', query: INBOX, variables: { first: 50 }, headers: { authorization: `Bearer ${token}` } };
  const rows = ((await post(finmatch.port, inbox)).data as Json).inbox.edges.length;
  const inboxRound = await load({ label: 'inbox:finmatch', server: finmatch, next: () => inbox }, seconds, connections);
  const r = (label: string, x: Round) => `| ${label} | ${fmt(x.reqs)} | ${fmt(x.p50)} | ${fmt(x.p99)} | ${fmt(x.cpuMs, 2)} | – | ${fmt(x.rss / 2 ** 20, 0)} |`;
  return {
    postRow: r(`postFinancingNeed:finmatch (${Math.min(4, connections)} connections)`, posted), inboxRow: r(`inbox:finmatch (first 50, ${rows} rows)`, inboxRound),
    figures: { postFinancingNeed: posted, inbox: { ...inboxRound, rows } },
  };
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
