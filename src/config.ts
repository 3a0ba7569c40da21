/**
 * Environment and limits, parsed and checked once (API.md "Running"; STYLE.md habit 8).
 * Everything else reads `loadConfig()`'s result; nothing else reads `process.env`.
 */
import net from 'node:net';
import path from 'node:path';
import { weakSecretProblem } from './auth/secret-strength';

/** The development secret: accepted only when NODE_ENV is not `production`. */
export const DEVELOPMENT_JWT_SECRET = 'finmatch-development-secret-do-not-use-in-production';

export interface Limits {
  /** Relay `first`: 1..maxPageSize, default defaultPageSize (API.md conventions). */
  defaultPageSize: number;
  maxPageSize: number;
  /** Query cost ceiling: each field costs 1, a list multiplies its children by `first`. */
  maxQueryComplexity: number;
  /** Deepest selection nesting accepted (fields only: fragments do not add levels). */
  maxQueryDepth: number;
  /** Aliased fields per operation, counted through every fragment spread. */
  maxQueryAliases: number;
  /** Lexical tokens per document: parsing stops past it. */
  maxQueryTokens: number;
  /** Directives per operation, counted through every fragment spread. */
  maxQueryDirectives: number;
  /** Values in any one list an argument or variable holds (the largest mutation batch is 10,000 entries). */
  maxListItems: number;
  /** Largest accepted request body. */
  maxBodyBytes: string;
}

/** Who may present tokens, and for how long (issue 11 §2; docs/SECURITY.md). */
export interface AuthSettings {
  /** An identity provider's keys for RS256/ES256 tokens (JWT_JWKS_URL); unset: HS256 with JWT_SECRET only. */
  jwksUrl: string | undefined;
  /** Required `iss` and `aud` of identity-provider tokens (JWT_ISSUER, JWT_AUDIENCE). */
  issuer: string | undefined;
  audience: string | undefined;
  /** Longest accepted token lifetime, exp − iat and exp − now (JWT_MAX_LIFETIME_MINUTES, default 12 h). */
  maxTokenLifetimeSeconds: number;
  /** Clock difference tolerated on exp, nbf and a future iat (JWT_CLOCK_SKEW_SECONDS). */
  clockSkewSeconds: number;
  /** Development only, listening on loopback only: the landing page fills in an ANALYST token (LANDING_PAGE_TOKEN). */
  landingPageToken: boolean;
}

/** Requests per window, counted in PostgreSQL so every API process on one database shares them (issue 11 §1). */
export interface RateLimits {
  windowSeconds: number;
  /** Per token subject (issuer + `sub`). */
  perSubject: number;
  /** Per institution, all of its staff's tokens together. */
  perInstitution: number;
  /** Per client address (an IPv6 address counts by its /64). */
  perAddress: number;
  /** Refused tokens per client address per window; past it the address is blocked for `authFailureBlockSeconds`. */
  authFailures: number;
  authFailureBlockSeconds: number;
}
/**
 * Files from outside (the import commands; SECURITY.md "Files from outside"): what a table file may hold
 * before it is refused, checked while it is read so that a hostile file cannot exhaust memory.
 */
export interface FileLimits {
  /** Table data in one file: a CSV or JSON-lines file's size; an XLSX's contents once unzipped (declared and as inflated). */
  maxBytes: number;
  /** Data rows below the header (a JSON-lines file: lines). */
  maxRows: number;
  /** Characters in one cell (Excel's own limit is 32,767). */
  maxCellChars: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: 256 * 1024 * 1024, maxRows: 200_000, maxCellChars: 32_767 };

export interface Config {
  production: boolean;
  port: number;
  /** Where /metrics is served (METRICS_PORT); unset: on `port`, beside /graphql. */
  metricsPort: number | undefined;
  /** Listening address (HOST); unset: every interface. */
  host: string | undefined;
  /** Express `trust proxy` (TRUST_PROXY): false = the socket's address is the client's; else hops or proxy addresses. */
  trustProxy: false | number | string[];
  /** Unset: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Port of the embedded PostgreSQL (never 5432, to stay out of a system server's way). */
  embeddedPgPort: number;
  demoData: boolean;
  jwtSecret: string;
  logLevel: string;
  /** A request that takes this long is logged at `warn` as a slow request (SLOW_REQUEST_MS). */
  slowRequestMs: number;
  /** How often OPEN needs past their needed-by date are marked EXPIRED. */
  needExpirySweepSeconds: number;
  /** Run the match-refresh worker in this process (R13 freshness); off for a read-only replica of the API. */
  matchWorker: boolean;
  /** How often an idle match-refresh worker polls its queue, in seconds (pg-boss allows 0.5 at least). */
  matchRefreshPollSeconds: number;
  /** R14: hours an institution has to contact or decline a proposed match before it lapses (OVERDUE). */
  matchResponseHours: number;
  /** How often the job queue looks for matches past their response deadline, in seconds. */
  matchDeadlineSweepSeconds: number;
  limits: Limits;
  auth: AuthSettings;
  rateLimits: RateLimits;
  fileLimits: FileLimits;
}

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number.parseInt(raw, 10);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!['0', '1', 'false', 'true'].includes(raw)) throw new ConfigError(`${name} must be 0 or 1, got "${raw}"`);
  return raw === '1' || raw === 'true';
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/** TRUST_PROXY: unset or 0 = trust no proxy; a number of hops; or the proxies' addresses, CIDRs or `loopback`/`uniquelocal`. */
function trustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number.parseInt(raw, 10);
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = net.isIP(address);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named.includes(entry) && (!family || !bitsOk || extra !== undefined)) {
      throw new ConfigError(`TRUST_PROXY must be 0, a number of proxy hops, or proxy addresses/CIDRs (loopback, uniquelocal…), got "${entry}"; "true" would let any client choose its address`);
    }
  }
  return entries;
}

function authSettings(env: NodeJS.ProcessEnv, production: boolean, host: string | undefined): AuthSettings {
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  const issuer = env.JWT_ISSUER || undefined;
  const audience = env.JWT_AUDIENCE || undefined;
  if (jwksUrl) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw new ConfigError(`JWT_JWKS_URL is not a URL: "${jwksUrl}"`);
    }
    if (url.protocol !== 'https:' && (production || url.protocol !== 'http:')) throw new ConfigError('JWT_JWKS_URL must be https (http is allowed outside production only)');
    if (!issuer || !audience) throw new ConfigError('JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: identity-provider tokens are checked for both');
  }
  const landingPageToken = flag(env, 'LANDING_PAGE_TOKEN', false);
  if (landingPageToken && production) throw new ConfigError('LANDING_PAGE_TOKEN is for development only, never with NODE_ENV=production');
  if (landingPageToken && !LOOPBACK_HOSTS.includes(host ?? '')) throw new ConfigError('LANDING_PAGE_TOKEN needs HOST=127.0.0.1 (or ::1): the landing page hands out a token only when nothing but this machine can reach it');
  return {
    jwksUrl,
    issuer,
    audience,
    maxTokenLifetimeSeconds: integer(env, 'JWT_MAX_LIFETIME_MINUTES', 12 * 60, 1, 30 * 24 * 60) * 60,
    clockSkewSeconds: integer(env, 'JWT_CLOCK_SKEW_SECONDS', 60, 0, 600),
    landingPageToken,
  };
}

/**
 * Defaults per minute: a bank front-end working its inbox or an analyst's export stays far below 300 per
 * person; a bank's whole staff below 1,200; one address may carry a proxy or NAT of many people.
 */
function rateLimits(env: NodeJS.ProcessEnv): RateLimits {
  return {
    windowSeconds: 60,
    perSubject: integer(env, 'RATE_LIMIT_PER_SUBJECT', 300, 1, 10_000_000),
    perInstitution: integer(env, 'RATE_LIMIT_PER_INSTITUTION', 1200, 1, 10_000_000),
    perAddress: integer(env, 'RATE_LIMIT_PER_ADDRESS', 2400, 1, 10_000_000),
    authFailures: integer(env, 'RATE_LIMIT_AUTH_FAILURES', 20, 1, 10_000_000),
    authFailureBlockSeconds: integer(env, 'RATE_LIMIT_AUTH_FAILURE_BLOCK_SECONDS', 300, 1, 86_400),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = env.JWT_SECRET || (production ? '' : DEVELOPMENT_JWT_SECRET);
  if (!jwtSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  const weak = production ? weakSecretProblem(jwtSecret, DEVELOPMENT_JWT_SECRET) : null;
  if (weak) throw new ConfigError(`JWT_SECRET ${weak}`);
  const host = env.HOST || undefined;
  return {
    production,
    port: integer(env, 'PORT', 4000, 0, 65535),
    metricsPort: env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 0, 65535) : undefined,
    host,
    trustProxy: trustProxy(env.TRUST_PROXY),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    // Demo data is for trying finmatch out: never written into a production database unless asked for.
    demoData: flag(env, 'DEMO_DATA', !production),
    jwtSecret,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    slowRequestMs: integer(env, 'SLOW_REQUEST_MS', 2000, 1, 3_600_000),
    needExpirySweepSeconds: integer(env, 'NEED_EXPIRY_SWEEP_SECONDS', 60, 1, 86400),
    matchWorker: flag(env, 'MATCH_WORKER', true),
    matchRefreshPollSeconds: integer(env, 'MATCH_REFRESH_POLL_MS', 1000, 500, 60_000) / 1000,
    matchResponseHours: integer(env, 'MATCH_RESPONSE_HOURS', 48, 1, 24 * 90),
    matchDeadlineSweepSeconds: integer(env, 'MATCH_DEADLINE_SWEEP_SECONDS', 60, 1, 3600),
    limits: {
      defaultPageSize: 20,
      maxPageSize: 100,
      maxQueryComplexity: integer(env, 'MAX_QUERY_COMPLEXITY', 50000, 100, 10_000_000),
      maxQueryDepth: integer(env, 'MAX_QUERY_DEPTH', 12, 3, 100),
      maxQueryAliases: integer(env, 'MAX_QUERY_ALIASES', 30, 0, 100_000),
      maxQueryTokens: integer(env, 'MAX_QUERY_TOKENS', 3000, 100, 1_000_000),
      maxQueryDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', 50, 0, 100_000),
      maxListItems: integer(env, 'MAX_LIST_ITEMS', 10_000, 1, 1_000_000),
      maxBodyBytes: '2mb',
    },
    auth: authSettings(env, production, host),
    rateLimits: rateLimits(env),
    fileLimits: {
      maxBytes: integer(env, 'FILE_MAX_BYTES', DEFAULT_FILE_LIMITS.maxBytes, 1024 * 1024, 16 * 1024 ** 3),
      maxRows: integer(env, 'FILE_MAX_ROWS', DEFAULT_FILE_LIMITS.maxRows, 1, 10_000_000),
      maxCellChars: integer(env, 'FILE_MAX_CELL_CHARS', DEFAULT_FILE_LIMITS.maxCellChars, 100, 1_000_000),
    },
  };
}
