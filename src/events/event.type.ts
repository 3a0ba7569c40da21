/**
 * The GraphQL side of issue 15 §1's types: an event as subscribers see it, webhooks with their
 * deliveries and attempts, and the enterprise's notifications.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { connectionType } from '../common/connection';
import { graphqlEnum } from '../common/enums';
import { DateTimeScalar, JSONScalar } from '../common/scalars';
import { EVENT_TYPES, EventType } from './event-types';

export const EventTypeEnum = graphqlEnum<EventType>('EventType', EVENT_TYPES, 'A domain event (issue 15; docs/EVENTS.md).', {
  MATCH_PROPOSED: 'A need was proposed to an institution\'s product (R13)',
  MATCH_DEADLINE_APPROACHING: 'A proposed match is 24 h, then 4 h, from its response deadline (R14); institutions only',
  MATCH_LAPSED: 'The institution did not answer in time: the match is OVERDUE and the next-ranked product proposed (R14)',
  MATCH_CONTACTED: 'The institution contacted the enterprise (R14)',
  MATCH_DECLINED: 'The institution declined, with its reason and what the enterprise could do (R14)',
  OFFER_MADE: 'An institution made an offer on a match it contacted (issue 15 §2)',
  OFFER_ACCEPTED: 'The enterprise accepted an offer: the match is APPLIED and the bank has its consent (issue 15 §2)',
  OFFER_DECLINED: 'An open offer was declined: the enterprise accepted another offer for the same need (OFFER_ACCEPTED_ELSEWHERE), its match was closed (MATCH_CLOSED) or its need stopped looking for money (NEED_CLOSED); institutions only (issue 15 §2)',
  OFFER_EXPIRED: 'An offer passed its validUntil, by the database\'s clock (issue 15 §2)',
  LOAN_DISBURSED: 'A loan was paid out (R14)',
  REPAYMENT_DUE: 'A loan matures within 30 days (its stored maturity: disbursement day + term, moved by an approved renewal)',
  NEW_ELIGIBLE_PRODUCT: 'A product or rule change made a product eligible for an open need; enterprises only',
  RENEWAL_REQUESTED: 'The enterprise asked its lender to renew a loan (续贷), 60 to 30 days before maturity (issue 17 §2)',
  RENEWAL_APPROVED: 'The lender approved a renewal: the loan\'s maturity is extended (展期)',
  RENEWAL_REFUSED: 'The lender refused a renewal: a turnover-fund need was posted as the fallback',
  RENEWAL_LAPSED: 'The lender did not answer a renewal by its deadline: a turnover-fund need was posted as the fallback',
  WARNING: 'A post-loan warning (贷后预警) for a borrower with a live loan, by the institution\'s triggers; institutions only',
  POOL_CLAIM_APPROVED: 'An authority approved the bank\'s claim on a risk-compensation pool, all or part (R8; issue 17 §3); institutions only',
  POOL_CLAIM_REJECTED: 'An authority rejected the bank\'s claim on a pool (final): the whole net loss was split (R7); institutions only',
  POOL_CLAIM_PAID: 'The pool paid the bank\'s approved claim: the loss net of the payout was split (DOMAIN E10); institutions only',
});

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export const WebhookDeliveryStatusEnum = graphqlEnum<WebhookDeliveryStatus>('WebhookDeliveryStatus', WEBHOOK_DELIVERY_STATUSES, 'Where a webhook delivery stands.', {
  PENDING: 'Not delivered yet: waiting for its first attempt or a retry',
  SUCCEEDED: 'The receiver answered 2xx',
  FAILED: 'Given up: retried for WEBHOOK_RETRY_HOURS (24 h) without a 2xx, or the webhook was disabled or deleted meanwhile',
});

@ObjectType({ description: 'A domain event (docs/EVENTS.md). Its id is stable: a receiver that sees an id twice has seen the same event.' })
export class Event {
  @Field(() => ID, { description: 'The event\'s stable id (a uuid): the X-Finmatch-Event-Id of its webhook deliveries.' })
  id: string;

  @Field(() => EventTypeEnum, { description: 'What happened.' })
  type: EventType;

  @Field(() => DateTimeScalar, { description: 'When it happened (its transaction\'s time).' })
  createdAt: Date;

  @Field(() => JSONScalar, { description: 'What the event says beyond its match: references as opaque ids (productId, loanId), figures as decimal strings; docs/EVENTS.md lists them per type.' })
  data: Record<string, unknown>;
}

@ObjectType({ description: 'An institution\'s endpoint for events (docs/EVENTS.md).', simpleResolvers: true })
export class Webhook {
  @Field(() => ID, { description: 'The webhook\'s id.' })
  id: string;

  @Field({ description: 'Where deliveries are POSTed: an http(s) URL whose origin an administrator allows (WEBHOOK_ALLOWED_ORIGINS).' })
  url: string;

  @Field(() => [EventTypeEnum], { description: 'The event types it receives.' })
  events: EventType[];

  @Field(() => String, { nullable: true, description: 'What it is for.' })
  description: string | null;

  @Field({ description: 'False when disabled: nothing new is delivered to it.' })
  enabled: boolean;

  @Field(() => DateTimeScalar, { description: 'When it was registered.' })
  createdAt: Date;
}

@ObjectType({ description: 'One POST of a delivery and what the receiver answered.', simpleResolvers: true })
export class WebhookAttempt {
  @Field(() => DateTimeScalar, { description: 'When it was sent.' })
  at: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null when none was (connection refused, timeout).' })
  responseStatus: number | null;

  @Field(() => String, { nullable: true, description: 'The start of the answer\'s body (at most 2,048 bytes).' })
  responseBody: string | null;

  @Field(() => String, { nullable: true, description: 'Why it failed without an answer, or a redirect that was not followed.' })
  error: string | null;

  @Field(() => Int, { description: 'How long it took, ms.' })
  durationMs: number;
}

@ObjectType({ description: 'An event on its way to one webhook: retried with exponential backoff until a 2xx, for 24 hours.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The delivery\'s id.' })
  id: string;

  @Field(() => WebhookDeliveryStatusEnum, { description: 'Where it stands.' })
  status: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attemptCount: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  nextAttemptAt: Date | null;

  @Field(() => DateTimeScalar, { description: 'When it was created (the event was dispatched, or redelivered for the first time).' })
  createdAt: Date;
}

export const WebhookDeliveryConnection = connectionType(WebhookDelivery, 'WebhookDelivery', 'webhook delivery');

@ObjectType({ description: 'Something that happened to one of the enterprise\'s needs, for the mini-program: title and body in Chinese or, with Accept-Language: en, English.' })
export class Notification {
  @Field(() => ID, { description: 'The notification\'s id.' })
  id: string;

  @Field(() => EventTypeEnum, { description: 'What happened.' })
  type: EventType;

  @Field(() => ID, { description: 'The event it tells of (its stable id).' })
  eventId: string;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the enterprise marked it read; null while unread.' })
  readAt: Date | null;
}

export const NotificationConnection = connectionType(Notification, 'Notification', 'notification');
