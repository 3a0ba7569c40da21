/**
 * The first import of src/main.ts: starts OpenTelemetry tracing (common/tracing.ts) when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, before `http`, `graphql` and `pg` are loaded, so that their
 * instrumentations can hook them. Without the variable nothing of OpenTelemetry is loaded. An invalid
 * setting starts no tracing here; loadConfig then reports it with every other problem.
 */
import { version } from '../package.json';
import { tracingConfig } from './config';
import type { Tracing } from './common/tracing';

function boot(): Tracing | undefined {
  const config = tracingConfig();
  if (!config) return undefined;
  // Loaded only when tracing is on: the SDK and its instrumentations cost nothing otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startTracing } = require('./common/tracing') as typeof import('./common/tracing');
  return startTracing(config, version);
}

export const tracing = boot();
