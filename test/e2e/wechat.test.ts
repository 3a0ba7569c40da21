/**
 * Issue 15 §1: the WeChat subscribe-message adapter, against a local HTTP server standing in for the
 * WeChat API (WECHAT_API_URL). With it on, an enterprise's notification of a type that has a template is
 * sent to each person bound to the firm (their `sub`, the mini-program's openid), in Chinese; an expired
 * token is fetched again; a type without a template is not sent. Off (the default), nothing is queued.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { raiseEvent } from '../../src/events/outbox';
import { startTestApp, TestApp } from '../support/harness';
import { POST_NEED } from './fixtures';
import { eventually, mutate, ratedFirm, setUpMarket } from './policy-fixtures';

interface Sent { token: string; body: any }

let app: TestApp;
let wechat: http.Server;
const tokenRequests: string[] = [];
const sent: Sent[] = [];
let issued = 0;

beforeAll(async () => {
  wechat = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://wechat');
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      tokenRequests.push(url.search);
      issued += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `TOKEN-${issued}`, expires_in: 7200 }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const token = url.searchParams.get('access_token')!;
      // The first token "expires" at once: the adapter must fetch another and send again.
      const errcode = token === 'TOKEN-1' ? 42001 : 0;
      if (!errcode) sent.push({ token, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg: errcode ? 'access_token expired' : 'ok' }));
    });
  });
  await new Promise<void>((resolve) => wechat.listen(0, '127.0.0.1', resolve));
  const { port } = wechat.address() as AddressInfo;
  app = await startTestApp({
    env: {
      WECHAT_SUBSCRIBE_MESSAGES: '1', WECHAT_API_URL: `http://127.0.0.1:${port}`, WECHAT_APP_ID: 'wx-test-app', WECHAT_APP_SECRET: 'wx-test-secret',
      WECHAT_TEMPLATES: 'MATCH_PROPOSED=tpl-proposed,MATCH_CONTACTED=tpl-contacted', WECHAT_PAGE: 'pages/needs/index', EVENT_POLL_MS: '200',
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => wechat.close(() => resolve()));
});

it('sends a templated notification to the firm\'s people through the WeChat API, fetching a new token when one expires', async () => {
  await setUpMarket(app, 'WX');
  const firm = await ratedFirm(app);
  await mutate(app, firm.token, POST_NEED, { kind: 'LOAN', amount: '3000000', termMonths: 12 });
  const sentRows = async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM wechat_message WHERE status = 'SENT' AND touser = $1`, [firm.sub]))[0].n as number;
  // Sent, and recorded as sent (the stand-in hears a message before the adapter records its answer).
  await eventually(async () => (await sentRows()) === 2, 10_000);
  expect(sent).toHaveLength(2);
  expect(tokenRequests[0]).toBe('?grant_type=client_credential&appid=wx-test-app&secret=wx-test-secret');
  expect(sent.every((s) => s.token !== 'TOKEN-1')).toBe(true);
  for (const s of sent) {
    expect(s.body).toMatchObject({ touser: firm.sub, template_id: 'tpl-proposed', page: 'pages/needs/index', data: { thing1: { value: '新的匹配' }, time3: { value: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/) } } });
    // WeChat's `thing` keyword holds 20 characters at most.
    expect(Array.from(s.body.data.thing2.value as string).length).toBeLessThanOrEqual(20);
  }
});

it('a type without a template is not sent; an event raised twice under one key exists once', async () => {
  const [{ id: enterpriseId }] = await app.dataSource.query(`SELECT e.id FROM enterprise e JOIN enterprise_user u ON u.enterprise_id = e.id LIMIT 1`);
  // raiseEvent: the one call a new source of events makes, in its own transaction.
  const raised = await app.dataSource.transaction((em) => raiseEvent(em, { type: 'REPAYMENT_DUE', enterpriseId, payload: { maturity: '2027-01-31' }, dedupKey: 'test-once' }));
  expect(raised).toMatch(/^[0-9a-f-]{36}$/);
  expect(await app.dataSource.transaction((em) => raiseEvent(em, { type: 'REPAYMENT_DUE', enterpriseId, dedupKey: 'test-once' }))).toBe('');
  await eventually(async () => (await app.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE type = 'REPAYMENT_DUE'`))[0].n === 1, 10_000);
  const [{ n }] = await app.dataSource.query(`SELECT count(*)::int AS n FROM wechat_message m JOIN notification x ON x.id = m.notification_id WHERE x.type = 'REPAYMENT_DUE'`);
  expect(n).toBe(0);
});
