import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 §1 — events, delivered at least once (docs/EVENTS.md).
 * - `event` is the transactional outbox: a change writes its events in its own transaction, each with a
 *   stable uuid. A trigger NOTIFYs `finmatch_event` with the id; PostgreSQL delivers a notification only
 *   when its transaction commits, so a listener never hears of an event it cannot read. `dispatched_at`
 *   is set by the dispatcher in the transaction that fans the event out; until then the event waits, also
 *   across a crash. `dedup_key` makes an event raised by a sweep (a deadline reminder, a repayment due)
 *   exist once however many processes sweep.
 * - `webhook` (an institution's endpoint; its signing secret encrypted), `webhook_delivery` (one per
 *   webhook and event: the retry schedule) and `webhook_attempt` (every POST and its answer).
 * - `notification`: an enterprise's inbox for the mini-program; `wechat_message`: the outbound WeChat
 *   subscribe messages when that adapter is on.
 * Never edit after it landed.
 */
export class Events1764670000000 implements MigrationInterface {
  name = 'Events1764670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        institution_id uuid,
        guarantor_id uuid,
        enterprise_id uuid,
        need_id uuid,
        match_id uuid,
        payload jsonb NOT NULL DEFAULT '{}',
        dedup_key text UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        dispatched_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX event_undispatched ON event (seq) WHERE dispatched_at IS NULL`);
    await q.query(`CREATE INDEX event_match ON event (match_id) WHERE match_id IS NOT NULL`);
    // The repayment sweep reads the active loans maturing within 30 days (events/dispatcher.ts MATURITY_SQL).
    await q.query(`CREATE INDEX ix_loan_maturity ON loan ((((disbursed_at AT TIME ZONE 'Asia/Shanghai')::date + make_interval(months => term_months))::date)) WHERE status = 'ACTIVE'`);
    await q.query(`
      CREATE FUNCTION event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('finmatch_event', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER event_notify AFTER INSERT ON event FOR EACH ROW EXECUTE FUNCTION event_notify()`);

    await q.query(`
      CREATE TABLE webhook (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        institution_id uuid NOT NULL REFERENCES institution(id),
        url text NOT NULL,
        events text[] NOT NULL,
        description text,
        secret bytea NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX webhook_institution ON webhook (institution_id) WHERE deleted_at IS NULL`);
    await q.query(`
      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhook(id),
        event_id uuid NOT NULL REFERENCES event(id),
        institution_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        first_attempt_at timestamptz(3),
        last_attempt_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_id)
      )`);
    await q.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_delivery_page ON webhook_delivery (institution_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE webhook_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES webhook_delivery(id),
        attempted_at timestamptz(3) NOT NULL DEFAULT now(),
        response_status int,
        response_body text,
        error text,
        duration_ms int NOT NULL
      )`);
    await q.query(`CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, attempted_at)`);

    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        enterprise_id uuid NOT NULL REFERENCES enterprise(id),
        event_id uuid NOT NULL REFERENCES event(id),
        type text NOT NULL,
        payload jsonb NOT NULL,
        read_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (enterprise_id, event_id)
      )`);
    await q.query(`CREATE INDEX notification_page ON notification (enterprise_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notification_unread ON notification (enterprise_id, created_at DESC, id DESC) WHERE read_at IS NULL`);
    await q.query(`
      CREATE TABLE wechat_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notification(id),
        touser text NOT NULL,
        template_id text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        last_error text,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (notification_id, touser)
      )`);
    await q.query(`CREATE INDEX wechat_message_due ON wechat_message (next_attempt_at) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE wechat_message`);
    await q.query(`DROP TABLE notification`);
    await q.query(`DROP TABLE webhook_attempt`);
    await q.query(`DROP TABLE webhook_delivery`);
    await q.query(`DROP TABLE webhook`);
    await q.query(`DROP TABLE event`);
    await q.query(`DROP INDEX ix_loan_maturity`);
    await q.query(`DROP FUNCTION event_notify()`);
  }
}
