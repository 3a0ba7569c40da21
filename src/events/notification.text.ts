/**
 * A notification's title and body in the reader's language (common/messages.ts, events.messages.ts),
 * from its event type and payload: the API renders them per request, the WeChat adapter in Chinese.
 */
import { Lang, message, Params } from '../common/messages';

export function notificationText(lang: Lang, type: string, payload: Record<string, unknown>): { title: string; body: string } {
  const params: Params = {};
  for (const [k, v] of Object.entries(payload)) if (typeof v === 'string' || typeof v === 'number') params[k] = v;
  const advice = payload.declineAdvice as { zh?: string; en?: string } | undefined;
  if (advice) params.advice = advice[lang];
  params.institutionName ??= message(lang, 'NOTIFICATION_SOME_INSTITUTION');
  params.productName ??= message(lang, 'NOTIFICATION_SOME_PRODUCT');
  return { title: message(lang, `NOTIFICATION_TITLE.${type}`, params), body: message(lang, `NOTIFICATION_BODY.${type}`, params) };
}
