/**
 * Environment and limits, parsed and checked once (API.md "Running"; STYLE.md habit 8).
 * Everything else reads `loadConfig()`'s result; nothing else reads `process.env`.
 */
import net from 'node:net';
import path from 'node:path';
import { weakSecretProblem } from './auth/secret-strength';
import { DOCUMENT_TYPES } from './documents/document.rules';

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
  /**
   * A read replica (READ_DATABASE_URL): this process answers queries from it and writes (mutations, the
   * R10 audit) to DATABASE_URL, the primary; it runs no migrations, sweeps or workers.
   */
  readDatabaseUrl: string | undefined;
  /** DATABASE_POOLER=transaction: DATABASE_URL is a pooler in transaction mode (PgBouncer); see DEPLOY.md. */
  pooler: boolean;
  /** Named prepared statements on the hot paths (DATABASE_PREPARED_STATEMENTS; default: on, off behind a pooler). */
  namedStatements: boolean;
  dataDir: string;
  /** Port of the embedded PostgreSQL (never 5432, to stay out of a system server's way). */
  embeddedPgPort: number;
  demoData: boolean;
  jwtSecret: string;
  logLevel: string;
  /** A request that takes this long is logged at `warn` as a slow request (SLOW_REQUEST_MS). */
  slowRequestMs: number;
  /** OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT set): off when undefined. */
  tracing: TracingConfig | undefined;
  /** Executions of a query document before it is compiled (GRAPHQL_COMPILE_AFTER); 0 never compiles. */
  graphqlCompileAfter: number;
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
  /** Issue 15 §1: the outbox's dispatcher, webhooks and the WeChat adapter (docs/EVENTS.md). */
  events: EventsConfig;
  /** Issue 15 §2: the enterprises' documents (docs/OFFERS.md). */
  documents: DocumentsConfig;
}

/** Where documents are kept and what an upload may be (docs/OFFERS.md "Documents"). */
export interface DocumentsConfig {
  /** The directory holding the files (DOCUMENTS_DIR; default `<DATA_DIR>/documents`): shared by every API process. */
  dir: string;
  /** Largest accepted file (DOCUMENT_MAX_BYTES, default 20 MiB). */
  maxBytes: number;
  /** Media types accepted (DOCUMENT_TYPES, comma-separated; default application/pdf,image/jpeg,image/png): only types finmatch recognises by their first bytes. */
  types: string[];
}

/** Events (docs/EVENTS.md): how they are dispatched and delivered. */
export interface EventsConfig {
  /** Origins (scheme://host[:port]) webhooks may point at (WEBHOOK_ALLOWED_ORIGINS, comma-separated); empty: none. */
  webhookAllowedOrigins: string[];
  /** Key material the signing secrets are encrypted under (WEBHOOK_SECRET_KEY; default: JWT_SECRET). */
  webhookSecretKey: string;
  /** One POST's timeout (WEBHOOK_TIMEOUT_MS). */
  webhookTimeoutMs: number;
  /** First retry delay, doubled per attempt up to `webhookRetryMaxMs` (WEBHOOK_RETRY_BASE_MS, WEBHOOK_RETRY_MAX_MS). */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** A delivery is retried for this long after its first attempt, then FAILED (WEBHOOK_RETRY_HOURS, default 24). */
  webhookRetryHours: number;
  /** Run the dispatcher in this process (EVENT_DISPATCHER, default on; never on a reader). */
  dispatcher: boolean;
  /** How often the dispatcher looks for work without a notification (EVENT_POLL_MS): the safety net under LISTEN/NOTIFY. */
  pollMs: number;
  /** Where this process LISTENs (EVENT_LISTEN_URL; default DATABASE_URL): a direct connection, never a transaction pooler. */
  listenUrl: string | undefined;
  /** The WeChat subscribe-message adapter; undefined: off (the default). */
  wechat: WechatConfig | undefined;
}

export interface WechatConfig {
  /** The WeChat API's base URL (WECHAT_API_URL, default https://api.weixin.qq.com). */
  apiUrl: string;
  appId: string;
  appSecret: string;
  /** Subscribe-message template id per event type (WECHAT_TEMPLATES: `TYPE=templateId,…`); a type without one is not sent. */
  templates: Record<string, string>;
  /** The mini-program page a message opens (WECHAT_PAGE). */
  page: string | undefined;
}

/** Every problem with the environment at once, one per line (main.ts prints it without a stack trace). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

/**
 * The environment being read, with the problems found so far: each reader notes a bad value and goes on
 * with the fallback, so that `loadConfig` reports all of them together, not one per attempt to start.
 */
class EnvReader {
  readonly problems: string[] = [];
  constructor(readonly env: NodeJS.ProcessEnv) {}

  fail(problem: string): void {
    this.problems.push(problem);
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) {
      this.fail(`${name} must be a whole number, got "${raw}"`);
      return fallback;
    }
    const value = Number.parseInt(raw, 10);
    if (value < min || value > max) {
      this.fail(`${name} must be between ${min} and ${max}, got ${value}`);
      return fallback;
    }
    return value;
  }

  flag(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!['0', '1', 'false', 'true'].includes(raw)) {
      this.fail(`${name} must be 0 or 1, got "${raw}"`);
      return fallback;
    }
    return raw === '1' || raw === 'true';
  }
}

/** READ_DATABASE_URL needs the primary beside it: writes and the audit of reads go there. */
function readDatabaseUrl(reader: EnvReader): string | undefined {
  const url = reader.env.READ_DATABASE_URL || undefined;
  if (url && !reader.env.DATABASE_URL) reader.fail('READ_DATABASE_URL (a read replica) needs DATABASE_URL, the primary, for writes and the audit of reads');
  return url;
}

export interface TracingConfig {
  /** The collector's OTLP/HTTP base address; spans go to `<endpoint>/v1/traces` (OTEL_EXPORTER_OTLP_ENDPOINT). */
  endpoint: string;
  /** OTEL_SERVICE_NAME, default `finmatch`. */
  serviceName: string;
  /** The share of new traces recorded, 0–1 (OTEL_TRACES_SAMPLER_ARG, default 1); a caller's sampled traceparent is followed. */
  sampleRatio: number;
}

/** OpenTelemetry's standard variables; tracing is on when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
function tracing(reader: EnvReader): TracingConfig | undefined {
  const env = reader.env;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    reader.fail(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) address of an OTLP/HTTP collector, got "${endpoint}"`);
    return undefined;
  }
  const rawRatio = env.OTEL_TRACES_SAMPLER_ARG;
  const sampleRatio = rawRatio === undefined || rawRatio === '' ? 1 : Number(rawRatio);
  if (!(sampleRatio >= 0 && sampleRatio <= 1)) reader.fail(`OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1, got "${rawRatio}"`);
  return { endpoint: endpoint.replace(/\/+$/, ''), serviceName: env.OTEL_SERVICE_NAME || 'finmatch', sampleRatio: sampleRatio >= 0 && sampleRatio <= 1 ? sampleRatio : 1 };
}

/**
 * The tracing settings alone, read before anything else loads (tracing must hook `http`, `graphql` and
 * `pg` before they are required): undefined when unset or invalid — loadConfig then lists the problem.
 */
export function tracingConfig(env: NodeJS.ProcessEnv = process.env): TracingConfig | undefined {
  const reader = new EnvReader(env);
  const config = tracing(reader);
  return reader.problems.length ? undefined : config;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

/** TRUST_PROXY: unset or 0 = trust no proxy; a number of hops; or the proxies' addresses, CIDRs or `loopback`/`uniquelocal`. */
function trustProxy(reader: EnvReader): false | number | string[] {
  const raw = reader.env.TRUST_PROXY;
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number.parseInt(raw, 10);
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  const named = ['loopback', 'linklocal', 'uniquelocal'];
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = net.isIP(address);
    const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!named.includes(entry) && (!family || !bitsOk || extra !== undefined)) {
      reader.fail(`TRUST_PROXY must be 0, a number of proxy hops, or proxy addresses/CIDRs (loopback, uniquelocal…), got "${entry}"; "true" would let any client choose its address`);
      return false;
    }
  }
  return entries;
}

function authSettings(reader: EnvReader, production: boolean, host: string | undefined): AuthSettings {
  const env = reader.env;
  const jwksUrl = env.JWT_JWKS_URL || undefined;
  const issuer = env.JWT_ISSUER || undefined;
  const audience = env.JWT_AUDIENCE || undefined;
  if (jwksUrl) {
    const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : null;
    if (!url) reader.fail(`JWT_JWKS_URL is not a URL: "${jwksUrl}"`);
    else if (url.protocol !== 'https:' && (production || url.protocol !== 'http:')) reader.fail('JWT_JWKS_URL must be https (http is allowed outside production only)');
    if (!issuer || !audience) reader.fail('JWT_JWKS_URL needs JWT_ISSUER and JWT_AUDIENCE: identity-provider tokens are checked for both');
  }
  const landingPageToken = reader.flag('LANDING_PAGE_TOKEN', false);
  if (landingPageToken && production) reader.fail('LANDING_PAGE_TOKEN is for development only, never with NODE_ENV=production');
  else if (landingPageToken && !LOOPBACK_HOSTS.includes(host ?? '')) reader.fail('LANDING_PAGE_TOKEN needs HOST=127.0.0.1 (or ::1): the landing page hands out a token only when nothing but this machine can reach it');
  return {
    jwksUrl,
    issuer,
    audience,
    maxTokenLifetimeSeconds: reader.integer('JWT_MAX_LIFETIME_MINUTES', 12 * 60, 1, 30 * 24 * 60) * 60,
    clockSkewSeconds: reader.integer('JWT_CLOCK_SKEW_SECONDS', 60, 0, 600),
    landingPageToken,
  };
}

/**
 * Defaults per minute: a bank front-end working its inbox or an analyst's export stays far below 300 per
 * person; a bank's whole staff below 1,200; one address may carry a proxy or NAT of many people.
 */
function rateLimits(reader: EnvReader): RateLimits {
  return {
    windowSeconds: 60,
    perSubject: reader.integer('RATE_LIMIT_PER_SUBJECT', 300, 1, 10_000_000),
    perInstitution: reader.integer('RATE_LIMIT_PER_INSTITUTION', 1200, 1, 10_000_000),
    perAddress: reader.integer('RATE_LIMIT_PER_ADDRESS', 2400, 1, 10_000_000),
    authFailures: reader.integer('RATE_LIMIT_AUTH_FAILURES', 20, 1, 10_000_000),
    authFailureBlockSeconds: reader.integer('RATE_LIMIT_AUTH_FAILURE_BLOCK_SECONDS', 300, 1, 86_400),
  };
}

function pooler(reader: EnvReader): boolean {
  const raw = reader.env.DATABASE_POOLER;
  if (!raw || raw === 'none') return false;
  if (raw === 'transaction') {
    if (!reader.env.DATABASE_URL) reader.fail('DATABASE_POOLER=transaction needs DATABASE_URL (the pooler\'s address)');
    return true;
  }
  reader.fail(`DATABASE_POOLER must be none or transaction, got "${raw}"`);
  return false;
}

/** An http(s) origin as URL.origin spells it, or null. */
function originOf(raw: string): string | null {
  if (!URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) return null;
  return url.origin;
}

function documentsConfig(reader: EnvReader, dataDir: string): DocumentsConfig {
  const known = Object.keys(DOCUMENT_TYPES);
  const types: string[] = [];
  for (const entry of (reader.env.DOCUMENT_TYPES || known.join(',')).split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)) {
    if (known.includes(entry)) types.push(entry);
    else reader.fail(`DOCUMENT_TYPES lists media types finmatch recognises (${known.join(', ')}), got "${entry}"`);
  }
  return {
    dir: path.resolve(reader.env.DOCUMENTS_DIR || path.join(dataDir, 'documents')),
    maxBytes: reader.integer('DOCUMENT_MAX_BYTES', 20 * 1024 * 1024, 1024, 1024 ** 3),
    types,
  };
}

function eventsConfig(reader: EnvReader, jwtSecret: string): EventsConfig {
  const env = reader.env;
  const origins: string[] = [];
  for (const entry of (env.WEBHOOK_ALLOWED_ORIGINS ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const origin = originOf(entry);
    if (origin) origins.push(origin);
    else reader.fail(`WEBHOOK_ALLOWED_ORIGINS lists http(s) origins (scheme://host[:port], no path or credentials), got "${entry}"`);
  }
  let wechat: WechatConfig | undefined;
  if (reader.flag('WECHAT_SUBSCRIBE_MESSAGES', false)) {
    const apiUrl = (env.WECHAT_API_URL || 'https://api.weixin.qq.com').replace(/\/+$/, '');
    const parsed = URL.canParse(apiUrl) ? new URL(apiUrl) : null;
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) reader.fail(`WECHAT_API_URL must be an http(s) URL, got "${apiUrl}"`);
    if (!env.WECHAT_APP_ID || !env.WECHAT_APP_SECRET) reader.fail('WECHAT_SUBSCRIBE_MESSAGES=1 needs WECHAT_APP_ID and WECHAT_APP_SECRET');
    const templates: Record<string, string> = {};
    for (const entry of (env.WECHAT_TEMPLATES ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      const [type, id, extra] = entry.split('=');
      if (!type || !id || extra !== undefined || !/^[A-Z_]+$/.test(type)) reader.fail(`WECHAT_TEMPLATES lists TYPE=templateId pairs, got "${entry}"`);
      else templates[type] = id;
    }
    if (!Object.keys(templates).length) reader.fail('WECHAT_SUBSCRIBE_MESSAGES=1 needs WECHAT_TEMPLATES (TYPE=templateId,…): no event would be sent');
    wechat = { apiUrl, appId: env.WECHAT_APP_ID ?? '', appSecret: env.WECHAT_APP_SECRET ?? '', templates, page: env.WECHAT_PAGE || undefined };
  }
  return {
    webhookAllowedOrigins: origins,
    webhookSecretKey: env.WEBHOOK_SECRET_KEY || jwtSecret,
    webhookTimeoutMs: reader.integer('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookRetryBaseMs: reader.integer('WEBHOOK_RETRY_BASE_MS', 10_000, 10, 3_600_000),
    webhookRetryMaxMs: reader.integer('WEBHOOK_RETRY_MAX_MS', 3_600_000, 10, 86_400_000),
    webhookRetryHours: reader.integer('WEBHOOK_RETRY_HOURS', 24, 1, 24 * 14),
    dispatcher: reader.flag('EVENT_DISPATCHER', true),
    pollMs: reader.integer('EVENT_POLL_MS', 5000, 50, 600_000),
    listenUrl: env.EVENT_LISTEN_URL || undefined,
    wechat,
  };
}

/** The configuration, or a ConfigError listing every problem the environment has. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const reader = new EnvReader(env);
  const config = readConfig(reader);
  if (reader.problems.length) throw new ConfigError(reader.problems);
  return config;
}

function readConfig(reader: EnvReader): Config {
  const env = reader.env;
  const production = env.NODE_ENV === 'production';
  const jwtSecret = env.JWT_SECRET || (production ? '' : DEVELOPMENT_JWT_SECRET);
  if (!jwtSecret) reader.fail('JWT_SECRET is required when NODE_ENV=production');
  const weak = production && jwtSecret ? weakSecretProblem(jwtSecret, DEVELOPMENT_JWT_SECRET) : null;
  if (weak) reader.fail(`JWT_SECRET ${weak}`);
  const host = env.HOST || undefined;
  const pooled = pooler(reader);
  const dataDir = path.resolve(env.DATA_DIR || '.data');
  return {
    production,
    port: reader.integer('PORT', 4000, 0, 65535),
    metricsPort: env.METRICS_PORT ? reader.integer('METRICS_PORT', 0, 0, 65535) : undefined,
    host,
    trustProxy: trustProxy(reader),
    databaseUrl: env.DATABASE_URL || undefined,
    readDatabaseUrl: readDatabaseUrl(reader),
    pooler: pooled,
    namedStatements: reader.flag('DATABASE_PREPARED_STATEMENTS', !pooled),
    dataDir,
    embeddedPgPort: reader.integer('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    // Demo data is for trying finmatch out: never written into a production database unless asked for.
    demoData: reader.flag('DEMO_DATA', !production),
    jwtSecret,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    slowRequestMs: reader.integer('SLOW_REQUEST_MS', 2000, 1, 3_600_000),
    tracing: tracing(reader),
    graphqlCompileAfter: reader.integer('GRAPHQL_COMPILE_AFTER', 2, 0, 1000),
    needExpirySweepSeconds: reader.integer('NEED_EXPIRY_SWEEP_SECONDS', 60, 1, 86400),
    matchWorker: reader.flag('MATCH_WORKER', true),
    matchRefreshPollSeconds: reader.integer('MATCH_REFRESH_POLL_MS', 1000, 500, 60_000) / 1000,
    matchResponseHours: reader.integer('MATCH_RESPONSE_HOURS', 48, 1, 24 * 90),
    matchDeadlineSweepSeconds: reader.integer('MATCH_DEADLINE_SWEEP_SECONDS', 60, 1, 3600),
    limits: {
      defaultPageSize: 20,
      maxPageSize: 100,
      maxQueryComplexity: reader.integer('MAX_QUERY_COMPLEXITY', 50000, 100, 10_000_000),
      maxQueryDepth: reader.integer('MAX_QUERY_DEPTH', 12, 3, 100),
      maxQueryAliases: reader.integer('MAX_QUERY_ALIASES', 30, 0, 100_000),
      maxQueryTokens: reader.integer('MAX_QUERY_TOKENS', 3000, 100, 1_000_000),
      maxQueryDirectives: reader.integer('MAX_QUERY_DIRECTIVES', 50, 0, 100_000),
      maxListItems: reader.integer('MAX_LIST_ITEMS', 10_000, 1, 1_000_000),
      maxBodyBytes: '2mb',
    },
    auth: authSettings(reader, production, host),
    rateLimits: rateLimits(reader),
    fileLimits: {
      maxBytes: reader.integer('FILE_MAX_BYTES', DEFAULT_FILE_LIMITS.maxBytes, 1024 * 1024, 16 * 1024 ** 3),
      maxRows: reader.integer('FILE_MAX_ROWS', DEFAULT_FILE_LIMITS.maxRows, 1, 10_000_000),
      maxCellChars: reader.integer('FILE_MAX_CELL_CHARS', DEFAULT_FILE_LIMITS.maxCellChars, 100, 1_000_000),
    },
    events: eventsConfig(reader, jwtSecret),
    documents: documentsConfig(reader, dataDir),
  };
}
