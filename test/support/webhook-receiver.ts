/**
 * A webhook receiver on a local port, as an institution would run one: it keeps every POST (raw body and
 * headers) and answers 200, or `status` when set. It can be stopped and started again on the same port.
 */
import http from 'node:http';

export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string; needId: string | null; matchId: string | null; data: Record<string, any>; [k: string]: unknown };
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answer this status from now on (default 200). */
  status: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function webhookReceiver(port: number): Receiver {
  let server: http.Server | null = null;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}`,
    received: [],
    status: 200,
    async start() {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const rawBody = Buffer.concat(chunks).toString('utf8');
          receiver.received.push({ at: Date.now(), headers: req.headers, rawBody, body: JSON.parse(rawBody) });
          res.writeHead(receiver.status, { 'content-type': 'text/plain' }).end(receiver.status < 300 ? 'ok' : 'x'.repeat(5000));
        });
      });
      server.keepAliveTimeout = 100;
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    },
    async stop() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  return receiver;
}
