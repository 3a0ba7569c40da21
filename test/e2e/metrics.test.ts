/**
 * Issue 16: Prometheus metrics on /metrics — request and operation durations, errors by code, the pool,
 * the job queue — and on METRICS_PORT only, when it is set. Operation names cannot blow up the series.
 */
import { operationLabel, OPERATION_NAMES_KEPT } from '../../src/common/metrics';
import { startTestApp, TestApp } from '../support/harness';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

it('reports requests, operations, errors, the pool and the job queue', async () => {
  const token = app.token({ sub: 'analyst-9', role: 'ANALYST' });
  await app.gql('query MetricsProbe { viewer { role } }', {}, { token });
  await app.gql('{ noSuchField }');
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/finmatch_graphql_operation_duration_seconds_count\{operation="MetricsProbe",type="query"\} [1-9]/);
  expect(text).toMatch(/finmatch_graphql_errors_total\{code="GRAPHQL_VALIDATION_FAILED"\} [1-9]/);
  expect(text).toMatch(/finmatch_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} [1-9]/);
  expect(text).toMatch(/finmatch_db_pool_connections\{state="idle"\} \d+/);
  expect(text).toMatch(/finmatch_db_pool_connections\{state="waiting"\} 0/);
  expect(text).toContain('# TYPE finmatch_job_queue_oldest_seconds gauge');
  expect(text).toContain('# TYPE finmatch_match_lapses_total counter');
  expect(text).toContain('# TYPE finmatch_ledger_postings gauge');
  expect(text).toMatch(/finmatch_process_resident_memory_bytes \d+/);
});

it('keeps operation names a client chose within a bounded set of labels', () => {
  expect(operationLabel(undefined)).toBe('anonymous');
  expect(operationLabel('bad name"}')).toBe('other');
  for (let i = 0; i < OPERATION_NAMES_KEPT + 50; i += 1) operationLabel(`Op${i}`);
  expect(operationLabel('BrandNewAfterTheCap')).toBe('other');
  expect(operationLabel('Op0')).toBe('Op0');
});

it('serves /metrics only on METRICS_PORT when it is set', async () => {
  const separate = await startTestApp({ env: { METRICS_PORT: '0' } });
  try {
    const res = await fetch(`${separate.url}/metrics`);
    expect(res.status).toBe(404);
  } finally {
    await separate.close();
  }
});
