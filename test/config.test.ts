import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig, tracingConfig } from '../src/config';

describe('configuration (API.md "Running")', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, databaseUrl: undefined, demoData: true, jwtSecret: DEVELOPMENT_JWT_SECRET, production: false });
    expect(c.dataDir.endsWith('.data')).toBe(true);
    expect(c.limits).toMatchObject({ defaultPageSize: 20, maxPageSize: 100 });
  });

  it('reads every variable', () => {
    const c = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://x/y', DATA_DIR: '/tmp/pg', DEMO_DATA: '0', JWT_SECRET: 's' });
    expect(c).toMatchObject({ port: 8080, databaseUrl: 'postgres://x/y', dataDir: '/tmp/pg', demoData: false, jwtSecret: 's' });
  });

  it('loads no demo data into a production database unless asked to', () => {
    const secret = 'Zq8#mR2vL9!xT4wB7nK1pF6sH3jD0cY5';
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, DEMO_DATA: '1' }).demoData).toBe(true);
    expect(loadConfig({}).demoData).toBe(true);
  });

  // Issue 11 §2 changed this case: 'x' × 32 was accepted before, and is refused now.
  describe('a production JWT_SECRET', () => {
    const production = (secret: string) => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret });

    it('is required, and is never the development one', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
      expect(() => production(DEVELOPMENT_JWT_SECRET)).toThrow(/development secret/);
      expect(() => production(`${DEVELOPMENT_JWT_SECRET}-2`)).toThrow(/development secret/);
    });

    it.each([
      ['short', /at least 32/],
      ['x'.repeat(32), /repeated or consecutive/],
      ['a'.repeat(64), /repeated or consecutive/],
      ['abcdefghijklmnopqrstuvwxyz0123456789', /repeated or consecutive/],
      ['changeme'.repeat(4), /too predictable/],
      ['changeme'.repeat(6) + '1', /too predictable/],
      ['password1password2password3password4', /too predictable/],
    ])('refuses the low-entropy %s', (secret, reason) => {
      expect(() => production(secret)).toThrow(reason);
    });

    it.each([
      ['32 random hex digits', '3f9c1e7a0b5d42c8e6f1a9b07d3c5e28'],
      ['openssl rand -base64 32', 'q8Jm2yV0tN4rX7cL1bZ5hK9wE3uA6sD0fG2jP8oT4iY='],
      ['a passphrase', 'Tr0ub4dor&3-correct-horse-battery-staple'],
    ])('accepts %s', (_what, secret) => {
      expect(production(secret).production).toBe(true);
    });
  });

  it('hands out a landing-page token only in development, listening on loopback', () => {
    expect(loadConfig({}).auth.landingPageToken).toBe(false);
    expect(loadConfig({ LANDING_PAGE_TOKEN: '1', HOST: '127.0.0.1' }).auth.landingPageToken).toBe(true);
    expect(() => loadConfig({ LANDING_PAGE_TOKEN: '1' })).toThrow(/HOST=127.0.0.1/);
    expect(() => loadConfig({ LANDING_PAGE_TOKEN: '1', HOST: '0.0.0.0' })).toThrow(/HOST=127.0.0.1/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'Tr0ub4dor&3-correct-horse-battery-staple', LANDING_PAGE_TOKEN: '1', HOST: '127.0.0.1' })).toThrow(/development only/);
  });

  it('limits token lifetimes to 12 hours unless told otherwise', () => {
    expect(loadConfig({}).auth).toMatchObject({ maxTokenLifetimeSeconds: 12 * 3600, clockSkewSeconds: 60, jwksUrl: undefined });
    expect(loadConfig({ JWT_MAX_LIFETIME_MINUTES: '30' }).auth.maxTokenLifetimeSeconds).toBe(1800);
    expect(() => loadConfig({ JWT_MAX_LIFETIME_MINUTES: '0' })).toThrow(/JWT_MAX_LIFETIME_MINUTES/);
  });

  it('checks identity-provider tokens for issuer and audience, over https in production', () => {
    const idp = { JWT_JWKS_URL: 'https://idp.example.invalid/jwks.json', JWT_ISSUER: 'https://idp.example.invalid/', JWT_AUDIENCE: 'finmatch' };
    expect(loadConfig(idp).auth).toMatchObject({ jwksUrl: idp.JWT_JWKS_URL, issuer: idp.JWT_ISSUER, audience: 'finmatch' });
    expect(() => loadConfig({ ...idp, JWT_ISSUER: '' })).toThrow(/JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => loadConfig({ ...idp, JWT_AUDIENCE: '' })).toThrow(/JWT_ISSUER and JWT_AUDIENCE/);
    expect(() => loadConfig({ ...idp, JWT_JWKS_URL: 'not a url' })).toThrow(/not a URL/);
    const secret = 'Tr0ub4dor&3-correct-horse-battery-staple';
    expect(() => loadConfig({ ...idp, NODE_ENV: 'production', JWT_SECRET: secret, JWT_JWKS_URL: 'http://idp.example.invalid/jwks.json' })).toThrow(/https/);
  });

  it('states the rate limits, and trusts X-Forwarded-For only from configured proxies', () => {
    expect(loadConfig({}).rateLimits).toEqual({ windowSeconds: 60, perSubject: 300, perInstitution: 1200, perAddress: 2400, authFailures: 20, authFailureBlockSeconds: 300 });
    expect(loadConfig({ RATE_LIMIT_PER_SUBJECT: '50' }).rateLimits.perSubject).toBe(50);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });

  it('reads the limits on imported files, with their defaults (SECURITY.md "Files from outside")', () => {
    expect(loadConfig({}).fileLimits).toEqual({ maxBytes: 256 * 1024 * 1024, maxRows: 200_000, maxCellChars: 32_767 });
    expect(loadConfig({ FILE_MAX_BYTES: '1048576', FILE_MAX_ROWS: '10', FILE_MAX_CELL_CHARS: '100' }).fileLimits).toEqual({ maxBytes: 1048576, maxRows: 10, maxCellChars: 100 });
    expect(() => loadConfig({ FILE_MAX_ROWS: '0' })).toThrow(/FILE_MAX_ROWS/);
    expect(() => loadConfig({ FILE_MAX_BYTES: '1kb' })).toThrow(/FILE_MAX_BYTES/);
  });

  it('refuses malformed values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DEMO_DATA: 'maybe' })).toThrow(/DEMO_DATA/);
  });
});

describe('query limits (issue 11 §1)', () => {
  it('has defaults the legitimate clients fit under', () => {
    expect(loadConfig({}).limits).toMatchObject({ maxQueryComplexity: 50_000, maxQueryDepth: 12, maxQueryAliases: 30, maxQueryTokens: 3000, maxQueryDirectives: 50, maxListItems: 10_000 });
  });

  it('reads each from its variable and refuses values out of range', () => {
    const c = loadConfig({ MAX_QUERY_ALIASES: '5', MAX_QUERY_TOKENS: '500', MAX_QUERY_DIRECTIVES: '2', MAX_LIST_ITEMS: '100' });
    expect(c.limits).toMatchObject({ maxQueryAliases: 5, maxQueryTokens: 500, maxQueryDirectives: 2, maxListItems: 100 });
    expect(() => loadConfig({ MAX_QUERY_TOKENS: '10' })).toThrow(/MAX_QUERY_TOKENS/);
    expect(() => loadConfig({ MAX_LIST_ITEMS: '0' })).toThrow(/MAX_LIST_ITEMS/);
    expect(() => loadConfig({ MAX_QUERY_ALIASES: 'many' })).toThrow(/MAX_QUERY_ALIASES/);
  });
});

it('lists every problem with the environment at once', () => {
  let error: unknown;
  try {
    loadConfig({ PORT: 'eighty', DEMO_DATA: 'maybe', TRUST_PROXY: 'true', MAX_QUERY_TOKENS: '10', NODE_ENV: 'production' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const { problems, message } = error as ConfigError;
  expect(problems).toHaveLength(5);
  for (const name of ['PORT', 'DEMO_DATA', 'TRUST_PROXY', 'MAX_QUERY_TOKENS', 'JWT_SECRET']) expect(message).toContain(name);
  expect(message).toMatch(/^5 configuration problems:\n- /);
});

describe('tracing (issue 16)', () => {
  it('is off unless OTEL_EXPORTER_OTLP_ENDPOINT is set, and reads the standard variables', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({ endpoint: 'http://collector:4318', serviceName: 'finmatch', sampleRatio: 1 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example', OTEL_SERVICE_NAME: 'finmatch-bank-a', OTEL_TRACES_SAMPLER_ARG: '0.25' }).tracing)
      .toEqual({ endpoint: 'https://otel.example', serviceName: 'finmatch-bank-a', sampleRatio: 0.25 });
  });

  it('refuses an endpoint that is not http(s) and a ratio outside 0–1, and then starts no tracing', () => {
    let error: unknown;
    try {
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317', PORT: 'x' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^PORT/), expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) address/)]);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1/);
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toBeUndefined();
    expect(tracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_SAMPLER_ARG: '-1' })).toBeUndefined();
  });
});

it('a read replica needs the primary beside it (issue 16)', () => {
  expect(loadConfig({ DATABASE_URL: 'postgres://p/finmatch', READ_DATABASE_URL: 'postgres://r/finmatch' })).toMatchObject({ databaseUrl: 'postgres://p/finmatch', readDatabaseUrl: 'postgres://r/finmatch' });
  expect(loadConfig({}).readDatabaseUrl).toBeUndefined();
  expect(() => loadConfig({ READ_DATABASE_URL: 'postgres://r/finmatch' })).toThrow(/READ_DATABASE_URL \(a read replica\) needs DATABASE_URL/);
});

describe('events (issue 15 §1)', () => {
  it('allows no webhook origin, dispatches, and keeps WeChat off unless told', () => {
    const { events } = loadConfig({});
    expect(events).toMatchObject({ webhookAllowedOrigins: [], dispatcher: true, webhookRetryHours: 24, webhookTimeoutMs: 10_000, wechat: undefined });
    expect(events.webhookSecretKey).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it('reads the allowed origins as URL origins, and refuses anything else', () => {
    expect(loadConfig({ WEBHOOK_ALLOWED_ORIGINS: 'https://hooks.bank.example, http://127.0.0.1:8080/' }).events.webhookAllowedOrigins).toEqual(['https://hooks.bank.example', 'http://127.0.0.1:8080']);
    for (const bad of ['hooks.bank.example', 'ftp://hooks.bank.example', 'https://hooks.bank.example/path', 'https://u:p@hooks.bank.example']) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_ORIGINS: bad })).toThrow(/WEBHOOK_ALLOWED_ORIGINS lists http\(s\) origins/);
    }
  });

  it('turns the WeChat adapter on only with an app, its secret and templates', () => {
    const config = loadConfig({ WECHAT_SUBSCRIBE_MESSAGES: '1', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_TEMPLATES: 'MATCH_CONTACTED=tpl-1, MATCH_DECLINED=tpl-2' });
    expect(config.events.wechat).toEqual({ apiUrl: 'https://api.weixin.qq.com', appId: 'wx1', appSecret: 's', templates: { MATCH_CONTACTED: 'tpl-1', MATCH_DECLINED: 'tpl-2' }, page: undefined });
    expect(() => loadConfig({ WECHAT_SUBSCRIBE_MESSAGES: '1' })).toThrow(/needs WECHAT_APP_ID and WECHAT_APP_SECRET[\s\S]*needs WECHAT_TEMPLATES/);
    expect(() => loadConfig({ WECHAT_SUBSCRIBE_MESSAGES: '1', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's', WECHAT_TEMPLATES: 'tpl-1' })).toThrow(/TYPE=templateId/);
  });
});
