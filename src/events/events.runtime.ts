/**
 * Issue 15 §1 in a process: the background pool, the LISTEN connection, the subscribers' hub, and — on
 * a writer — the dispatcher. server.ts starts it beside the refresh queue and stops it after Apollo.
 */
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import { backgroundPool, Dispatcher, startDispatcher } from './dispatcher';
import { EventHub, eventHub } from './event-hub';
import { listenForEvents } from './listener';

export interface EventsRuntime {
  hub: EventHub;
  /** Null on a reader (READ_DATABASE_URL): the processes on the primary dispatch. */
  dispatcher: Dispatcher | null;
  stop(): Promise<void>;
}

export function startEvents(dataSource: DataSource, config: Config, log: Logger, options: { writer: boolean }): EventsRuntime {
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('the DataSource has no url for the event dispatcher');
  const pool = backgroundPool(url, 3);
  const hub = eventHub(pool, log);
  const dispatcher = options.writer ? startDispatcher(pool, config, log) : null;
  // LISTEN needs a session of its own: behind a transaction pooler only EVENT_LISTEN_URL (a direct
  // connection) will do. Without one the dispatcher still delivers (it polls), but subscriptions hear nothing.
  const listenUrl = config.events.listenUrl ?? (config.pooler ? undefined : url);
  if (!listenUrl) log.warn('DATABASE_POOLER=transaction without EVENT_LISTEN_URL: no LISTEN, so subscriptions hear no events and webhooks wait for the next poll (EVENT_POLL_MS); set EVENT_LISTEN_URL to a direct connection');
  const listener = listenUrl ? listenForEvents(listenUrl, log, {
    ids(ids) {
      hub.heard(ids);
      dispatcher?.wake();
    },
    wake: () => dispatcher?.wake(),
    // (Re)connected: anything committed while the connection was down is picked up now.
    connected: () => dispatcher?.wake(),
  }) : null;
  return {
    hub,
    dispatcher,
    async stop() {
      hub.close();
      await listener?.stop();
      await dispatcher?.stop();
      await pool.end();
    },
  };
}
