/**
 * Issue 11 §1 — rate limits per token subject, per institution and per client address, answering
 * HTTP 429 RATE_LIMITED with Retry-After; refused tokens are throttled per address; and the counters
 * hold across several API processes on one database. Each case starts servers with small limits of
 * its own (the harness otherwise lifts them); a window is a minute, so nothing here waits for one.
 */
import { startTestApp, TestApp } from '../support/harness';
import { addressKey } from '../../src/auth/client-address';
import { createInstitution, staff } from './fixtures';

const VIEWER = '{ viewer { sub } }';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: any;
}

/** One POST /graphql, with the headers given. */
async function post(app: TestApp, headers: Record<string, string> = {}, lang?: string): Promise<Answer> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(lang ? { 'accept-language': lang } : {}), ...headers },
    body: JSON.stringify({ query: VIEWER }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function times(n: number, send: () => Promise<Answer>): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < n; i++) answers.push(await send());
  return answers;
}
const statuses = (answers: Answer[]) => answers.map((a) => a.status);

function expectLimited(answer: Answer, limit: string) {
  expect(answer.status).toBe(429);
  expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
  expect(answer.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit });
  expect(answer.body.errors[0].extensions.retryAfterSeconds).toBe(Number(answer.retryAfter));
}

let base: TestApp;
beforeAll(async () => {
  base = await startTestApp();
});
afterAll(async () => {
  await base?.close();
});

/** A server on the file's database (fresh counters: each case clears the table) with these limits. */
async function limited(env: Record<string, string>): Promise<TestApp> {
  await base.dataSource.query('DELETE FROM rate_limit');
  return startTestApp({ databaseUrl: base.databaseUrl, env });
}

describe('per token subject', () => {
  it('answers the request past the limit with 429 RATE_LIMITED and Retry-After, and leaves other subjects alone', async () => {
    const app = await limited({ RATE_LIMIT_PER_SUBJECT: '5' });
    try {
      const analyst = app.token({ sub: 'busy-analyst', role: 'ANALYST' });
      const answers = await times(7, () => post(app, bearer(analyst)));
      expect(statuses(answers)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expectLimited(answers[5], 'subject');
      expect(Number(answers[5].retryAfter)).toBeLessThanOrEqual(60);
      // The same person with a fresh token is the same subject; another person is not.
      expect((await post(app, bearer(app.token({ sub: 'busy-analyst', role: 'ANALYST' })))).status).toBe(429);
      expect((await post(app, bearer(app.token({ sub: 'other-analyst', role: 'ANALYST' })))).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('says so in Chinese by default and in English when asked', async () => {
    const app = await limited({ RATE_LIMIT_PER_SUBJECT: '1' });
    try {
      const token = app.token({ sub: 'lang', role: 'ANALYST' });
      await post(app, bearer(token));
      expect((await post(app, bearer(token))).body.errors[0].message).toMatch(/^请求过于频繁/);
      expect((await post(app, bearer(token), 'en')).body.errors[0].message).toMatch(/^Too many requests: try again in \d+ s$/);
    } finally {
      await app.close();
    }
  });
});

describe('per institution', () => {
  it('counts all of a bank\'s staff together', async () => {
    const app = await limited({ RATE_LIMIT_PER_INSTITUTION: '4' });
    try {
      const bank = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '限流银行' });
      const other = await createInstitution(app, staff(app).authority, { kind: 'BANK', name: '另一家银行' });
      const clerk = (sub: string, institutionId = bank.id) => app.token({ sub, role: 'BANK', institutionId });
      const answers = [
        await post(app, bearer(clerk('clerk-1'))), await post(app, bearer(clerk('clerk-2'))),
        await post(app, bearer(clerk('clerk-3'))), await post(app, bearer(clerk('clerk-1'))),
        await post(app, bearer(clerk('clerk-4'))),
      ];
      expect(statuses(answers)).toEqual([200, 200, 200, 200, 429]);
      expectLimited(answers[4], 'institution');
      expect((await post(app, bearer(clerk('clerk-9', other.id)))).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('per client address', () => {
  it('counts every request from an address, with or without a token', async () => {
    const app = await limited({ RATE_LIMIT_PER_ADDRESS: '4' });
    try {
      const answers = [
        await post(app), await post(app, bearer(app.token({ sub: 'a', role: 'ANALYST' }))),
        await post(app, bearer(app.token({ sub: 'b', role: 'ANALYST' }))), await post(app), await post(app),
      ];
      expect(statuses(answers)).toEqual([401, 200, 200, 401, 429]);
      expectLimited(answers[4], 'address');
      // /healthz is not counted: load balancers keep probing.
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY says which proxies to believe', async () => {
    const untrusting = await limited({ RATE_LIMIT_PER_ADDRESS: '2' });
    try {
      const answers = await Promise.all([1, 2, 3].map((i) => post(untrusting, { 'x-forwarded-for': `203.0.113.${i}` })));
      expect(statuses(answers).sort()).toEqual([401, 401, 429]);
    } finally {
      await untrusting.close();
    }
    const behindProxy = await limited({ RATE_LIMIT_PER_ADDRESS: '2', TRUST_PROXY: 'loopback' });
    try {
      const client = (ip: string) => post(behindProxy, { 'x-forwarded-for': ip });
      expect(statuses([await client('203.0.113.7'), await client('203.0.113.7'), await client('203.0.113.7')])).toEqual([401, 401, 429]);
      expect((await client('203.0.113.8')).status).toBe(401);
      // A client cannot escape by prepending its own X-Forwarded-For entries: the proxy appends the real one.
      expect((await client('198.51.100.1, 203.0.113.7')).status).toBe(429);
    } finally {
      await behindProxy.close();
    }
  });

  it('counts an IPv6 address by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(addressKey('198.51.100.4')).toBe('198.51.100.4');
  });
});

describe('failed authentication', () => {
  it('blocks an address after too many refused tokens, valid tokens included, so a guess cannot be told from a miss', async () => {
    const app = await limited({ RATE_LIMIT_AUTH_FAILURES: '3', RATE_LIMIT_AUTH_FAILURE_BLOCK_SECONDS: '120' });
    try {
      // Requests without a token are refused but guess nothing: they do not count.
      expect(statuses(await times(4, () => post(app)))).toEqual([401, 401, 401, 401]);
      const guesses = await times(4, () => post(app, bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.d2hhdGV2ZXI')));
      expect(statuses(guesses)).toEqual([401, 401, 401, 429]);
      expectLimited(guesses[3], 'authentication');
      expect(Number(guesses[3].retryAfter)).toBe(120);
      const valid = await post(app, bearer(app.token({ sub: 'a', role: 'ANALYST' })));
      expectLimited(valid, 'address');
      expect(Number(valid.retryAfter)).toBeGreaterThan(60);
    } finally {
      await app.close();
    }
  });
});

describe('several API processes on one database', () => {
  it('share the counters: a burst across two servers gets exactly the limit through', async () => {
    const one = await limited({ RATE_LIMIT_PER_SUBJECT: '10' });
    const two = await startTestApp({ databaseUrl: base.databaseUrl, env: { RATE_LIMIT_PER_SUBJECT: '10' } });
    try {
      const token = one.token({ sub: 'burst', role: 'ANALYST' });
      const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => post(i % 2 ? two : one, bearer(token))));
      const passed = burst.filter((a) => a.status === 200).length;
      expect(passed).toBe(10);
      expect(burst.filter((a) => a.status === 429)).toHaveLength(20);
      // Both servers refused some: each saw the other's requests.
      expect(burst.filter((a, i) => a.status === 429 && i % 2 === 1).length).toBeGreaterThan(0);
      expect(burst.filter((a, i) => a.status === 429 && i % 2 === 0).length).toBeGreaterThan(0);
      const [row] = await base.dataSource.query(`SELECT points FROM rate_limit WHERE key LIKE 'subject:%'`);
      expect(row.points).toBeGreaterThanOrEqual(11);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
