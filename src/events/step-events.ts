/**
 * Which step of a match (R14, matching/lifecycle.rules.ts) raises which event, with what it says: a
 * contact tells both sides; a decline carries its reason and the advice the enterprise is shown, in both
 * languages (the receiver picks). Plain data, so the step's writer adds it to the statement it runs.
 */
import { message } from '../common/messages';
import type { EventType } from './event-types';

export interface StepEvent {
  type: EventType;
  payload: Record<string, unknown>;
}

export function stepEvent(action: string, declineReason: string | null): StepEvent | null {
  if (action === 'CONTACT') return { type: 'MATCH_CONTACTED', payload: {} };
  if (action === 'DECLINE' && declineReason) {
    const key = `DECLINE_ADVICE.${declineReason}`;
    return { type: 'MATCH_DECLINED', payload: { declineReason, declineAdvice: { zh: message('zh', key), en: message('en', key) } } };
  }
  return null;
}
