/**
 * This process's side of the subscriptions (issue 15 §1): events heard on the LISTEN connection are
 * loaded once per batch (only while someone here subscribes) and handed to each subscriber whose filter
 * takes them. A subscriber is an async iterator for graphql-ws; a slow one keeps at most QUEUE_LIMIT
 * events, then loses the oldest (subscriptions are the live view; webhooks and notifications are the
 * durable record).
 */
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { EventRow, loadEvents } from './event.read';

const QUEUE_LIMIT = 1000;

export interface EventHub {
  /** Events from now on that `accept` takes, as an async iterator; `return()` ends it. */
  subscribe(accept: (event: EventRow) => boolean): AsyncIterableIterator<EventRow>;
  /** Event ids heard (listener.ts). */
  heard(ids: string[]): void;
  /** How many subscribers this process has. */
  size(): number;
  close(): void;
}

export function eventHub(pool: Pool, log: Logger): EventHub {
  const subscribers = new Set<(event: EventRow) => void>();
  const enders = new Set<() => void>();

  return {
    heard(ids) {
      if (!subscribers.size) return;
      loadEvents(pool, ids).then(
        (rows) => {
          for (const row of rows) for (const deliver of subscribers) deliver(row);
        },
        (error) => log.warn({ err: error, events: ids.length }, 'events heard could not be loaded for subscribers'),
      );
    },
    size: () => subscribers.size,
    close() {
      for (const end of [...enders]) end();
    },
    subscribe(accept) {
      const queue: EventRow[] = [];
      let waiting: ((result: IteratorResult<EventRow>) => void) | null = null;
      let done = false;
      const deliver = (event: EventRow) => {
        if (done || !accept(event)) return;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: event, done: false });
          return;
        }
        queue.push(event);
        if (queue.length > QUEUE_LIMIT) queue.shift();
      };
      const end = () => {
        done = true;
        subscribers.delete(deliver);
        enders.delete(end);
        queue.length = 0;
        if (waiting) {
          const resolve = waiting;
          waiting = null;
          resolve({ value: undefined, done: true });
        }
      };
      subscribers.add(deliver);
      enders.add(end);
      const iterator: AsyncIterableIterator<EventRow> = {
        next() {
          if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => {
            waiting = resolve;
          });
        },
        return() {
          end();
          return Promise.resolve({ value: undefined, done: true });
        },
        throw(error?: unknown) {
          end();
          return Promise.reject(error);
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
  };
}
