/**
 * Environment and limits, parsed and checked once (API.md "Running"; STYLE.md habit 8).
 * Everything else reads `loadConfig()`'s result; nothing else reads `process.env`.
 */
import path from 'node:path';

/** The development secret: accepted only when NODE_ENV is not `production`. */
export const DEVELOPMENT_JWT_SECRET = 'finmatch-development-secret-do-not-use-in-production';

export interface Limits {
  /** Relay `first`: 1..maxPageSize, default defaultPageSize (API.md conventions). */
  defaultPageSize: number;
  maxPageSize: number;
  /** Query cost ceiling: each field costs 1, a list multiplies its children by `first`. */
  maxQueryComplexity: number;
  /** Deepest selection nesting accepted. */
  maxQueryDepth: number;
  /** Largest accepted request body. */
  maxBodyBytes: string;
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
  /** Unset: start the embedded PostgreSQL in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Port of the embedded PostgreSQL (never 5432, to stay out of a system server's way). */
  embeddedPgPort: number;
  demoData: boolean;
  jwtSecret: string;
  logLevel: string;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const jwtSecret = env.JWT_SECRET || (production ? '' : DEVELOPMENT_JWT_SECRET);
  if (!jwtSecret) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  if (production && jwtSecret.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters in production');
  return {
    production,
    port: integer(env, 'PORT', 4000, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPgPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    demoData: flag(env, 'DEMO_DATA', true),
    jwtSecret,
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
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
      maxBodyBytes: '2mb',
    },
    fileLimits: {
      maxBytes: integer(env, 'FILE_MAX_BYTES', DEFAULT_FILE_LIMITS.maxBytes, 1024 * 1024, 16 * 1024 ** 3),
      maxRows: integer(env, 'FILE_MAX_ROWS', DEFAULT_FILE_LIMITS.maxRows, 1, 10_000_000),
      maxCellChars: integer(env, 'FILE_MAX_CELL_CHARS', DEFAULT_FILE_LIMITS.maxCellChars, 100, 1_000_000),
    },
  };
}
