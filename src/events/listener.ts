/**
 * One LISTEN connection per process (issue 15 §1): the outbox's trigger NOTIFYs `finmatch_event` with an
 * event's id when its transaction commits, on whichever process raised it; every process hears it here.
 * A dedicated client (LISTEN needs a session: never through a transaction pooler, see EVENT_LISTEN_URL),
 * reconnected with backoff when it drops. The ids heard in one turn of the event loop are handed on
 * together. A notification is a wake-up, not the record: the dispatcher also polls, so nothing waits on a
 * notification lost while the connection was down.
 */
import { Client } from 'pg';
import type { Logger } from 'pino';

export const EVENT_CHANNEL = 'finmatch_event';
/** Work for the dispatchers that is no new event (a redelivery). */
export const DISPATCH_CHANNEL = 'finmatch_dispatch';

export interface EventListener {
  stop(): Promise<void>;
}

export function listenForEvents(url: string, log: Logger, handlers: { ids(ids: string[]): void; wake(): void; connected(): void }): EventListener {
  let client: Client | null = null;
  let stopped = false;
  let delay = 250;
  let retry: NodeJS.Timeout | null = null;
  let heard: string[] = [];

  const flush = () => {
    const ids = heard;
    heard = [];
    if (ids.length) handlers.ids(ids);
  };

  const reconnect = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, delay);
    retry.unref();
    delay = Math.min(delay * 2, 5000);
  };

  const connect = async () => {
    const c = new Client({ connectionString: url, application_name: 'finmatch-events' });
    client = c;
    c.on('error', (error) => {
      log.warn({ err: error }, 'event listener connection failed; reconnecting');
      void c.end().catch(() => undefined);
    });
    c.on('end', () => {
      if (client !== c) return;
      client = null;
      reconnect();
    });
    c.on('notification', (n) => {
      if (n.channel === DISPATCH_CHANNEL) handlers.wake();
      if (n.channel !== EVENT_CHANNEL || !n.payload) return;
      if (!heard.length) setImmediate(flush);
      heard.push(n.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${EVENT_CHANNEL}; LISTEN ${DISPATCH_CHANNEL}`);
      delay = 250;
      if (stopped) await c.end();
      else handlers.connected();
    } catch (error) {
      log.warn({ err: error }, 'event listener could not connect; retrying');
      if (client === c) {
        client = null;
        reconnect();
      }
      await c.end().catch(() => undefined);
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
