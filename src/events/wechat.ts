/**
 * The outbound WeChat subscribe-message adapter (issue 15 §1), off unless WECHAT_SUBSCRIBE_MESSAGES=1.
 * When a notification's type has a template (WECHAT_TEMPLATES), the dispatcher queues one message per
 * person bound to the enterprise (`enterprise_user.sub`, the mini-program's openid); this sends them:
 * an access token from `<WECHAT_API_URL>/cgi-bin/token` (cached until shortly before it expires), then
 * `POST <WECHAT_API_URL>/cgi-bin/message/subscribe/send`. The template's keywords are `thing1` (the
 * title), `thing2` (the body, cut to WeChat's 20 characters) and `time3` (when). An expired token is
 * fetched again; a refusal by the user (43101: no subscription left) is final; anything else is retried
 * a few times with backoff. docs/EVENTS.md "WeChat".
 */
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { WechatConfig } from '../config';
import { notificationText } from './notification.text';

const ATTEMPTS = 5;
const BATCH = 20;
const TIMEOUT_MS = 10_000;
/** WeChat's `thing` keyword holds at most 20 characters. */
const THING = 20;

interface Queued {
  id: string;
  touser: string;
  template_id: string;
  attempts: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

const CLAIM_SQL = `
  WITH due AS (
    SELECT id FROM wechat_message WHERE status = 'PENDING' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE wechat_message w SET attempts = w.attempts + 1, next_attempt_at = now() + interval '60 seconds' FROM due WHERE w.id = due.id
    RETURNING w.id, w.touser, w.template_id, w.attempts, w.notification_id
  )
  SELECT c.id, c.touser, c.template_id, c.attempts, n.type, n.payload, n.created_at FROM claimed c JOIN notification n ON n.id = c.notification_id`;

const cut = (text: string, max: number) => (Array.from(text).length > max ? `${Array.from(text).slice(0, max - 1).join('')}…` : text);

/** Shanghai wall-clock time as WeChat's `time` keyword wants it: YYYY-MM-DD HH:mm. */
const shanghaiTime = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export interface WechatSender {
  sendDue(pool: Pool): Promise<number>;
}

export function wechatSender(config: WechatConfig, log: Logger): WechatSender {
  let token: { value: string; until: number } | null = null;

  const accessToken = async (): Promise<string> => {
    if (token && token.until > Date.now()) return token.value;
    const url = `${config.apiUrl}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(config.appId)}&secret=${encodeURIComponent(config.appSecret)}`;
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`WeChat token refused: ${body.errcode ?? res.status} ${body.errmsg ?? ''}`.trim());
    token = { value: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return token.value;
  };

  const send = async (m: Queued): Promise<{ errcode: number; errmsg: string }> => {
    const text = notificationText('zh', m.type, m.payload);
    const message = {
      touser: m.touser, template_id: m.template_id, ...(config.page ? { page: config.page } : {}),
      data: { thing1: { value: cut(text.title, THING) }, thing2: { value: cut(text.body, THING) }, time3: { value: shanghaiTime(m.created_at) } },
    };
    const res = await fetch(`${config.apiUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(await accessToken())}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return (await res.json()) as { errcode: number; errmsg: string };
  };

  return {
    async sendDue(pool) {
      const { rows } = await pool.query<Queued>(CLAIM_SQL, [BATCH]);
      for (const m of rows) {
        let outcome: { errcode: number; errmsg: string };
        try {
          outcome = await send(m);
          // An expired or revoked token: fetch a new one and try once more.
          if (outcome.errcode === 40001 || outcome.errcode === 42001) {
            token = null;
            outcome = await send(m);
          }
        } catch (error) {
          outcome = { errcode: -1, errmsg: (error as Error).message };
        }
        const sent = outcome.errcode === 0;
        const final = sent || outcome.errcode === 43101 || m.attempts >= ATTEMPTS;
        await pool.query(
          `UPDATE wechat_message SET status = $2, last_error = $3, sent_at = CASE WHEN $4 THEN now() END, next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1`,
          [m.id, sent ? 'SENT' : final ? 'FAILED' : 'PENDING', sent ? null : `${outcome.errcode} ${outcome.errmsg}`, sent, 5 * 2 ** m.attempts],
        );
        if (!sent) log.info({ message: m.id, errcode: outcome.errcode, errmsg: outcome.errmsg, attempt: m.attempts }, 'WeChat subscribe message not sent');
      }
      return rows.length;
    },
  };
}
