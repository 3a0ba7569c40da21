/**
 * Issue 16: with OTEL_EXPORTER_OTLP_ENDPOINT set, a server process exports its spans over OTLP/HTTP — the
 * HTTP request (continuing the caller's traceparent), GraphQL's execution and each SQL statement — in
 * one trace, and the access log names that trace. Nothing personal is exported: a literal in the query
 * and the statements' values stay out of the spans. The collector is a plain HTTP server in the test.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { freePort, makeDataRoot, registration, sleep, startServer, stopServer, waitReady } from '../support/server-process';

interface OtlpValue { stringValue?: string; intValue?: string | number; boolValue?: boolean }
interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: { key: string; value: OtlpValue }[] }
interface OtlpRequest { resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[] }[] }

const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((a) => a.key === key)?.value.stringValue;

it('exports one trace per request: HTTP, GraphQL and SQL spans, without personal data', async () => {
  const received: OtlpRequest[] = [];
  const paths: string[] = [];
  const collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

  const server = startServer({
    dataDir: makeDataRoot(), port: await freePort(), pgPort: await freePort(),
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'finmatch-test', OTEL_BSP_SCHEDULE_DELAY: '100' },
  });
  try {
    await waitReady(server, 90_000);
    const { creditCode, token, body } = registration();
    const registered = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    expect(((await registered.json()) as { data: { registerEnterprise: { userErrors: unknown[] } } }).data.registerEnterprise.userErrors).toEqual([]);

    // The caller's trace: the server continues it.
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const traceparent = `00-${traceId}-00f067aa0ba902b7-01`;
    const query = `{ qualificationStatus(creditCode: "${creditCode}") { creditCode } }`;
    const answered = await fetch(`${server.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent, 'x-request-id': 'traced-1' }, body: JSON.stringify({ query }),
    });
    expect(answered.status).toBe(200);

    const spansOf = () => received.flatMap((r) => r.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, scope: s.scope.name })))));
    const deadline = Date.now() + 30_000;
    const wanted = (spans: ReturnType<typeof spansOf>) => spans.some((s) => s.traceId === traceId && s.scope.includes('pg'))
      && spans.some((s) => s.traceId === traceId && s.scope.includes('graphql')) && spans.some((s) => s.traceId === traceId && s.scope.includes('http'));
    while (!wanted(spansOf()) && Date.now() < deadline) await sleep(100);
    const trace = spansOf().filter((s) => s.traceId === traceId);

    expect(paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    expect(received[0].resourceSpans[0].resource.attributes).toEqual(expect.arrayContaining([{ key: 'service.name', value: { stringValue: 'finmatch-test' } }]));
    // The HTTP server span is the child of the caller's span; GraphQL and SQL spans hang below it.
    const httpSpan = trace.find((s) => s.scope.includes('http') && s.kind === 2)!;
    expect(httpSpan.parentSpanId).toBe('00f067aa0ba902b7');
    const graphqlSpans = trace.filter((s) => s.scope.includes('graphql'));
    expect(graphqlSpans.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^query/)]));
    const sqlSpans = trace.filter((s) => s.scope.includes('pg'));
    expect(sqlSpans.length).toBeGreaterThan(0);
    expect(sqlSpans.some((s) => /SELECT/i.test(attribute(s, 'db.statement') ?? attribute(s, 'db.query.text') ?? ''))).toBe(true);

    // Nothing personal: the credit code is neither in the document recorded nor in any attribute of any span.
    const exported = JSON.stringify(received);
    expect(exported).not.toContain(creditCode);
    const source = graphqlSpans.map((s) => attribute(s, 'graphql.source')).find(Boolean);
    expect(source).toContain('qualificationStatus(creditCode: "*")');
    // Probes are not traced.
    await fetch(`${server.url}/healthz`);
    await sleep(500);
    expect(spansOf().filter((s) => attribute(s, 'url.path') === '/healthz' || attribute(s, 'http.target') === '/healthz')).toEqual([]);

    // The access log line names the trace.
    const line = server.logs.find((l) => l.requestId === 'traced-1');
    expect(line).toMatchObject({ traceId });
  } finally {
    expect(await stopServer(server)).toBe(0);
    collector.close();
  }
}, 180_000);
