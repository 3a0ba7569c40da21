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
  const listener = listenForEvents(config.events.listenUrl ?? url, log, {
    ids(ids) {
      hub.heard(ids);
      dispatcher?.wake();
    },
    wake: () => dispatcher?.wake(),
    // (Re)connected: anything committed while the connection was down is picked up now.
    connected: () => dispatcher?.wake(),
  });
  return {
    hub,
    dispatcher,
    async stop() {
      hub.close();
      await listener.stop();
      await dispatcher?.stop();
      await pool.end();
    },
  };
}
