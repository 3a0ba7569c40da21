/**
 * Issue 15 §1 across real server processes on one database (test/support/server-process.ts): an event
 * raised on one process reaches a subscriber connected to another (LISTEN/NOTIFY), and nothing is lost
 * when the process that committed an event is killed (-9) before delivering it: after a restart the
 * receiver gets it, once per event id.
 */
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { fromGlobalId } from '../../src/common/ids';
import { verifyWebhookSignature } from '../../src/events/webhook-signature';
import { startTestApp, TestApp } from '../support/harness';
import { freePort, makeDataRoot, processToken, sendMutation, ServerProcess, sleep, startServer, stopServer, UNLIMITED_RATES, until, waitReady } from '../support/server-process';
import { Receiver, webhookReceiver } from '../support/webhook-receiver';
import { POST_NEED, USER_ERRORS } from './fixtures';
import { Market, ratedFirm, setUpMarket } from './policy-fixtures';

let app: TestApp;
let market: Market;
let receiver: Receiver;
let env: Record<string, string>;
const servers: ServerProcess[] = [];
const clients: Client[] = [];

async function start(port?: number): Promise<ServerProcess> {
  const server = startServer({ dataDir: makeDataRoot(), port: port ?? (await freePort()), pgPort: await freePort(), env });
  servers.push(server);
  await waitReady(server, 90_000);
  return server;
}

beforeAll(async () => {
  receiver = webhookReceiver(await freePort());
  await receiver.start();
  // The test's own server sets the market up and neither refreshes nor dispatches: the processes do.
  app = await startTestApp({ env: { MATCH_WORKER: '0', EVENT_DISPATCHER: '0' } });
  market = await setUpMarket(app, 'XP');
  env = {
    DATABASE_URL: app.databaseUrl, MATCH_REFRESH_POLL_MS: '500', WEBHOOK_ALLOWED_ORIGINS: receiver.url, WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000',
    EVENT_POLL_MS: '500', ...UNLIMITED_RATES,
  };
  await Promise.all([start(), start()]);
}, 180_000);

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await Promise.all(servers.map((s) => stopServer(s)));
  await app?.close();
  await receiver?.stop();
});

async function processFirm() {
  const firm = await ratedFirm(app);
  // The processes have their own signing secret: the same person, with a token they accept.
  return { ...firm, processToken: processToken({ sub: firm.sub, role: 'ENTERPRISE', creditCode: firm.enterprise.creditCode, creditCodeVerified: true } as { sub: string; role: string }) };
}

const bankToken = () => processToken({ sub: 'bank-xp', role: 'BANK', institutionId: market.bank.id });

it('a subscriber on one process sees the events raised on another', async () => {
  const [a, b] = servers;
  const client = createClient({ url: `${a.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${bankToken()}` }, retryAttempts: 0 });
  clients.push(client);
  const got: any[] = [];
  const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
  client.subscribe({ query: 'subscription { inboxUpdates { id type match { id need { id } } } }' }, { next: (v) => got.push(v), error: (e) => got.push({ error: e }), complete: () => undefined });
  await connected;
  await sleep(300);

  const firm = await processFirm();
  const sent = Date.now();
  const posted = await sendMutation(b, firm.processToken, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
  const needId = posted.need.id;
  await until(() => got.filter((v) => v.data?.inboxUpdates.match?.need.id === needId).length >= 2, 20_000, 'the events on the other process');
  console.log(`MATCH_PROPOSED raised on one process reached a subscriber on the other in ${Date.now() - sent} ms`);
  expect(got.filter((v) => v.error)).toEqual([]);
  expect(got.filter((v) => v.data.inboxUpdates.match?.need.id === needId).map((v) => v.data.inboxUpdates.type)).toEqual(['MATCH_PROPOSED', 'MATCH_PROPOSED']);
}, 60_000);

it('kill -9 after the commit and before the delivery: the event arrives after the restart, once per event id', async () => {
  const [a, b] = servers;
  const registered = await sendMutation(b, bankToken(), `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id } secret ${USER_ERRORS} } }`,
    { url: `${receiver.url}/hook`, events: ['MATCH_PROPOSED'] });
  // One process left to deliver, and the receiver down: nothing can be delivered before the kill.
  await stopServer(a);
  await receiver.stop();
  const firm = await processFirm();
  const posted = await sendMutation(b, firm.processToken, POST_NEED, { kind: 'LOAN', amount: '3100000', termMonths: 12 });
  b.child.kill('SIGKILL');
  await b.exited;
  const needUuid = fromGlobalId(posted.need.id)!.uuid;
  const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM event WHERE need_id = $1 AND type = 'MATCH_PROPOSED'`, [needUuid]);
  expect(n).toBe(2);

  await receiver.start();
  await start(Number(new URL(b.url).port));
  const mine = () => receiver.received.filter((r) => r.body.needId === posted.need.id);
  await until(() => mine().length >= 2, 30_000, 'the deliveries after the restart');
  await sleep(3000);
  const ids = mine().map((r) => r.body.id);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(2);
  for (const r of mine()) expect(verifyWebhookSignature({ rawBody: r.rawBody, header: r.headers['x-finmatch-signature'] as string, secret: registered.secret }).ok).toBe(true);
}, 180_000);
