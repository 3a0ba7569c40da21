import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config';

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

  it('requires a real JWT_SECRET in production, never the development one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).production).toBe(true);
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
