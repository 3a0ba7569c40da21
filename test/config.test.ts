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
