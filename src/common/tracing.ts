/**
 * OpenTelemetry tracing (docs/DEPLOY.md "Tracing"), on when OTEL_EXPORTER_OTLP_ENDPOINT is set: a span per
 * HTTP request (continuing the caller's `traceparent`), GraphQL's parse, validate and execute with the
 * operation and its resolvers, and each SQL statement, exported in batches over OTLP/HTTP (JSON) to
 * `<endpoint>/v1/traces`.
 *
 * Nothing personal leaves in a span: the GraphQL document is recorded with its literal values replaced
 * by `*` and no variables; a statement is recorded as its text with `$n` placeholders, never its values.
 * Probes (/healthz, /readyz, /metrics) are not traced.
 *
 * The instrumentations hook `http`, `graphql` and `pg` when those are first required, so the tracing starts
 * before the server's modules load: `src/tracing-boot.ts`, the first import of src/main.ts.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config';

const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface Tracing {
  /** Sends the spans still buffered and stops: after the server has stopped, before the process exits. */
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig, version: string): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: version }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces` }))],
  });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
        // The queue's and the embedded database's own HTTP calls are not ours to trace; outgoing calls (JWKS) are.
        requireParentforOutgoingSpans: true,
      }),
      new GraphQLInstrumentation({ allowValues: false, mergeItems: true, ignoreTrivialResolveSpans: true }),
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}
