/**
 * The outbox's dispatcher (issue 15 §1; docs/EVENTS.md), on writer processes only (a reader, with
 * READ_DATABASE_URL, dispatches nothing): it fans each new event out, in one statement that also marks it
 * dispatched, to the webhook deliveries of the institutions that hear it and to the notifications (and
 * WeChat messages) of the enterprise — so an event is fanned out exactly when it is marked, and one
 * committed before a crash is fanned out after the restart. Then it sends what is due. It wakes on a
 * notification (listener.ts), when a retry falls due, and every EVENT_POLL_MS regardless.
 *
 * It also raises the events no request raises, by the database's clock (`now()` moved by
 * database_clock.shift, migration DatabaseClock): MATCH_DEADLINE_APPROACHING 24 h and 4 h before a
 * match's `respondBy`, REPAYMENT_DUE 30 days before a loan's stored maturity, the post-loan OVERDUE
 * warnings of loans past an unpaid instalment (loans/warning.service.ts), and OFFER_EXPIRED for an offer
 * past its validity and OFFER_DECLINED for an open offer whose match or need closed without a write
 * declining it (offers/offer.closing.ts). Each exists once: its `dedup_key` is unique.
 *
 * Everything here runs on a small pool of its own, not the API's: the statement-count tests count the
 * API's pool, and the work here is the background's, not a request's.
 */
import { Pool } from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { DATABASE_NOW_SQL } from '../database/clock';
import { activeNeedSql } from '../needs/need.lifecycle';
import { AWAITING_RESPONSE } from '../matching/match.rules';
import { DEADLINE_REMINDER_HOURS, ENTERPRISE_EVENTS, INSTITUTION_EVENTS, REPAYMENT_DUE_DAYS } from './event-types';
import { OVERDUE_WARNINGS_SQL } from '../loans/warning.service';
import { sweepOffers } from '../offers/offer.closing';
import { DEDUPED_EVENT_INSERT } from './outbox';
import { secretBox } from './webhook-secret';
import { sendDueDeliveries } from './webhook.sender';
import { wechatSender } from './wechat';
import { sqlList } from '../common/sql-list';

/** Events one fan-out statement takes. */
const FAN_OUT_BATCH = 200;

const FAN_OUT_SQL = `
  WITH picked AS (
    SELECT id FROM event WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
  ), done AS (
    UPDATE event e SET dispatched_at = now() FROM picked WHERE e.id = picked.id
    RETURNING e.id, e.type, e.institution_id, e.guarantor_id, e.enterprise_id, e.payload, e.created_at
  ), hooks AS (
    INSERT INTO webhook_delivery (webhook_id, event_id, institution_id)
    SELECT w.id, d.id, w.institution_id
      FROM done d JOIN webhook w ON w.institution_id IN (d.institution_id, d.guarantor_id) AND w.enabled AND w.deleted_at IS NULL AND d.type = ANY(w.events)
     WHERE d.type = ANY($2::text[])
    ON CONFLICT (webhook_id, event_id) DO NOTHING
    RETURNING 1
  ), notes AS (
    INSERT INTO notification (enterprise_id, event_id, type, payload, created_at)
    SELECT d.enterprise_id, d.id, d.type, d.payload || jsonb_build_object('productName', p.name, 'institutionName', i.name), d.created_at
      FROM done d
      LEFT JOIN product p ON p.id = CASE WHEN d.payload->>'productId' ~ '^[0-9a-f-]{36}$' THEN (d.payload->>'productId')::uuid END
      LEFT JOIN institution i ON i.id = d.institution_id
     WHERE d.enterprise_id IS NOT NULL AND d.type = ANY($3::text[])
    ON CONFLICT (enterprise_id, event_id) DO NOTHING
    RETURNING id, enterprise_id, type
  ), wx AS (
    INSERT INTO wechat_message (notification_id, touser, template_id)
    SELECT n.id, u.sub, t.template_id
      FROM notes n JOIN enterprise_user u ON u.enterprise_id = n.enterprise_id JOIN jsonb_each_text($4::jsonb) AS t(type, template_id) ON t.type = n.type
    ON CONFLICT (notification_id, touser) DO NOTHING
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM done)::int AS events, (SELECT count(*) FROM hooks)::int AS deliveries,
         (SELECT count(*) FROM notes)::int AS notifications, (SELECT count(*) FROM wx)::int AS wechat`;

/** The database's "now": moved by database_clock.shift as shanghai_today() is. */
const DB_NOW = DATABASE_NOW_SQL;

/**
 * MATCH_DEADLINE_APPROACHING: a match awaiting its institution's answer, of a need still being worked,
 * once the database's now is within h hours of respondBy (created_at + $1 hours) — the nearest reminder
 * only, so a match first seen 3 hours before its deadline gets the 4-hour one alone.
 */
const REMINDERS_SQL = `
  WITH c AS (SELECT ${DB_NOW} AS now)
  ${DEDUPED_EVENT_INSERT}
  SELECT 'MATCH_DEADLINE_APPROACHING', m.institution_id, m.guarantor_id, n.enterprise_id, m.need_id, m.id,
         jsonb_build_object('productId', m.product_id, 'hoursLeft', h.hours, 'respondBy', to_char((m.created_at + make_interval(hours => $1)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
         'MATCH_DEADLINE_APPROACHING:' || h.hours || ':' || m.id
    FROM c CROSS JOIN unnest($2::int[]) AS h(hours)
    JOIN match m ON m.status IN (${sqlList(AWAITING_RESPONSE)}) AND m.eligible
     AND m.created_at <= c.now - make_interval(hours => $1 - h.hours) AND m.created_at > c.now - make_interval(hours => $1)
    JOIN financing_need n ON n.id = m.need_id AND ${activeNeedSql('n', 'shanghai_today()')}
   WHERE h.hours < $1
     AND NOT EXISTS (SELECT 1 FROM unnest($2::int[]) AS nearer(hours) WHERE nearer.hours < h.hours AND m.created_at <= c.now - make_interval(hours => $1 - nearer.hours))
  ON CONFLICT (dedup_key) DO NOTHING`;

/** REPAYMENT_DUE: an active loan whose stored maturity (issue 17 §2; an approved renewal moves it; ix_loan_active_maturity) is within $1 days of the database's today. */
const REPAYMENT_DUE_SQL = `
  ${DEDUPED_EVENT_INSERT}
  SELECT 'REPAYMENT_DUE', l.institution_id, l.guarantor_id, l.enterprise_id, l.need_id, l.match_id,
         jsonb_build_object('loanId', l.id, 'productId', l.product_id, 'maturity', to_char(l.maturity, 'YYYY-MM-DD'), 'outstanding', l.outstanding::text),
         'REPAYMENT_DUE:' || l.id
    FROM loan l
   WHERE l.status = 'ACTIVE' AND l.maturity BETWEEN shanghai_today() AND shanghai_today() + $1::int
  ON CONFLICT (dedup_key) DO NOTHING`;

export interface Dispatcher {
  /** Look for work now (a notification arrived, a test wants it). */
  wake(): void;
  /** Raise the clock's events now (the sweep runs on its own timer too). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** The pool the background uses, from the API DataSource's URL. */
export function backgroundPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: 'finmatch-events' });
  pool.on('error', () => undefined);
  return pool;
}

export function startDispatcher(pool: Pool, config: Config, log: Logger): Dispatcher {
  const events = config.events;
  const box = secretBox(events.webhookSecretKey);
  const wechat = events.wechat ? wechatSender(events.wechat, log) : null;
  const templates = JSON.stringify(events.wechat?.templates ?? {});
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const fanOut = async () => {
    for (;;) {
      const { rows: [r] } = await pool.query<{ events: number; deliveries: number; notifications: number; wechat: number }>(
        FAN_OUT_SQL, [FAN_OUT_BATCH, INSTITUTION_EVENTS, ENTERPRISE_EVENTS, templates]);
      if (r.events) log.debug(r, 'events dispatched');
      if (r.events < FAN_OUT_BATCH) return;
    }
  };

  /** When the next retry falls due, in ms from now (at most the polling interval). */
  const nextDue = async (): Promise<number> => {
    const { rows: [r] } = await pool.query<{ ms: number | null }>(
      `SELECT (extract(epoch FROM (least((SELECT min(next_attempt_at) FROM webhook_delivery WHERE status = 'PENDING'),
                                         (SELECT min(next_attempt_at) FROM wechat_message WHERE status = 'PENDING')) - now())) * 1000)::int AS ms`);
    return Math.min(events.pollMs, Math.max(10, r.ms ?? events.pollMs));
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, ms);
    timer.unref();
  };

  const cycle = async () => {
    try {
      do {
        again = false;
        await fanOut();
        await sendDueDeliveries(pool, events, box, log);
        if (wechat) while ((await wechat.sendDue(pool)) > 0);
      } while (again && !stopped);
      schedule(await nextDue());
    } catch (error) {
      log.warn({ err: error }, 'event dispatch failed; trying again');
      schedule(Math.min(events.pollMs, 1000));
    }
  };

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = cycle().finally(() => {
      running = null;
    });
  }

  const sweep = async (): Promise<number> => {
    const responseHours = config.matchResponseHours;
    const reminders = await pool.query(REMINDERS_SQL, [responseHours, [...DEADLINE_REMINDER_HOURS]]);
    const due = await pool.query(REPAYMENT_DUE_SQL, [REPAYMENT_DUE_DAYS]);
    const { rows: [{ warned }] } = await pool.query<{ warned: number }>(OVERDUE_WARNINGS_SQL);
    const { expired, closed } = await sweepOffers(pool);
    const raised = (reminders.rowCount ?? 0) + (due.rowCount ?? 0) + warned + expired + closed;
    if (raised) log.info({ raised, offersExpired: expired, offersClosed: closed }, 'reminders raised (deadlines approaching, repayments due, overdue warnings, offers expired or closed with their match or need)');
    return raised;
  };
  const sweeper = setInterval(() => {
    sweep().catch((error) => log.warn({ err: error }, 'reminder sweep failed'));
  }, config.matchDeadlineSweepSeconds * 1000);
  sweeper.unref();

  wake();
  return {
    wake,
    sweep,
    async stop() {
      stopped = true;
      clearInterval(sweeper);
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
