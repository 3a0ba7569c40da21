/**
 * Issue 15 §1 through GraphQL: the subscriptions (`inboxUpdates`, `myMatchUpdates`, over graphql-ws on
 * /graphql: ws.server.ts), webhooks and their deliveries, and the enterprise's notifications.
 */
import { Arg, Authorized, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { INSTITUTION_ROLES } from '../auth/roles';
import { AuthedContext, RequestContext } from '../common/context';
import { badArgument } from '../common/errors';
import { message } from '../common/messages';
import { payloadType, toPayload } from '../common/payload';
import { JSONScalar } from '../common/scalars';
import { PayloadMutation } from '../common/validation';
import { UserError, localize } from '../common/user-error';
import { viewerEnterpriseId } from '../enterprises/enterprise.service';
import { MatchEntity } from '../matching/match.entity';
import { canViewMatch, matchById } from '../matching/match.read';
import { Match } from '../matching/match.type';
import { EventRow, eventData } from './event.read';
import { ENTERPRISE_EVENTS, EventType, INSTITUTION_EVENTS } from './event-types';
import type { EventHub } from './event-hub';
import { Event, EventTypeEnum, Notification, NotificationConnection, Webhook, WebhookAttempt, WebhookDelivery, WebhookDeliveryConnection, WebhookDeliveryStatusEnum, WebhookDeliveryStatus } from './event.type';
import { MarkNotificationsReadInput, RedeliverWebhookEventInput, RegisterWebhookInput, SetWebhookEnabledInput, WebhookIdInput } from './events.inputs';
import { markNotificationsRead, NotificationRow, notifications } from './notification.service';
import { notificationText } from './notification.text';
import { attemptsOf, changeWebhook, DeliveryView, eventById, listWebhooks, redeliverEvent, registerWebhook, webhookById, webhookDeliveries } from './webhook.service';

/** A subscription's context: the request context of its connection, and this process's hub. */
export type SubscriptionContext = RequestContext & { eventHub: EventHub };

/** An event as the `Event` type resolves it. */
export type EventView = Event & { matchId: string | null };

const eventView = (row: EventRow): EventView => ({ id: row.id, type: row.type, createdAt: row.created_at, data: eventData(row), matchId: row.match_id });

/**
 * The events `accept` takes, as views; before each one the connection's loaders are emptied, so the
 * fields of one event never read what an earlier event's left in them.
 */
function stream(ctx: SubscriptionContext, accept: (row: EventRow) => boolean): AsyncIterable<EventView> {
  const events = ctx.eventHub.subscribe(accept);
  return {
    [Symbol.asyncIterator]: () => ({
      async next() {
        const next = await events.next();
        if (next.done) return { value: undefined, done: true };
        ctx.loaders.clear();
        return { value: eventView(next.value), done: false };
      },
      return: async () => {
        await events.return?.();
        return { value: undefined, done: true };
      },
    }),
  };
}

/** The match an event or notification is about, as the viewer may see it now (R10); one statement per page. */
async function matchFor(ctx: RequestContext, matchId: string | null): Promise<MatchEntity | null> {
  if (!matchId) return null;
  const m = await matchById(ctx).load(matchId);
  return m && (await canViewMatch(ctx, m)) ? m : null;
}

const typeFilter = (types: EventType[] | null | undefined) => (types?.length ? new Set(types) : null);

@Resolver(() => Event)
export class EventResolver {
  @Authorized(INSTITUTION_ROLES)
  @Subscription(() => Event, {
    description:
      'Events of the viewer\'s institution as they happen, on any API process (graphql-ws on /graphql; connectionParams { authorization: "Bearer <token>" }): its matches\' proposals, deadlines, lapses, contacts and declines, its loans (a guarantor also those routed to it). Live only: what happens while no subscription is open is in the inbox and the webhooks.',
    subscribe: ({ context, args }) => {
      const ctx = context as SubscriptionContext;
      const institutionId = ctx.viewer!.institutionId!;
      const types = typeFilter(args.types as EventType[] | null);
      return stream(ctx, (e) => INSTITUTION_EVENTS.includes(e.type) && (e.institution_id === institutionId || e.guarantor_id === institutionId) && (!types || types.has(e.type)));
    },
  })
  inboxUpdates(
    @Root() event: EventView,
    @Arg('types', () => [EventTypeEnum], { nullable: true, description: 'Only these types (default: all an institution hears).' }) _types: EventType[] | null,
  ): EventView {
    return event;
  }

  @Authorized(['ENTERPRISE'])
  @Subscription(() => Event, {
    description:
      'Events of the viewer\'s enterprise\'s needs as they happen, on any API process (graphql-ws on /graphql): proposals, contacts, declines with advice, lapses, new eligible products, loans. The durable record is `notifications`.',
    subscribe: async ({ context }) => {
      const ctx = context as SubscriptionContext;
      const enterpriseId = await viewerEnterpriseId(ctx);
      if (!enterpriseId) throw badArgument(message(ctx.lang, 'NOT_REGISTERED'), 'viewer');
      return stream(ctx, (e) => e.enterprise_id === enterpriseId && ENTERPRISE_EVENTS.includes(e.type));
    },
  })
  myMatchUpdates(@Root() event: EventView): EventView {
    return event;
  }

  @FieldResolver(() => Match, { nullable: true, description: 'The match it is about, as the viewer may see it now; null for none.' })
  match(@Root() e: EventView, @Ctx() ctx: RequestContext): Promise<MatchEntity | null> {
    return matchFor(ctx, e.matchId);
  }
}

@ObjectType({ description: 'Result of registerWebhook: the webhook and, this once, its signing secret.' })
class RegisterWebhookPayload {
  @Field(() => Webhook, { nullable: true, description: 'The webhook, or null when the input was refused.' })
  webhook: Webhook | null;

  @Field(() => String, { nullable: true, description: 'The signing secret (whsec_…), shown only now: keep it to verify X-Finmatch-Signature (docs/EVENTS.md). Lost: delete the webhook and register another.' })
  secret: string | null;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. When present, nothing was written.' })
  userErrors: UserError[];
}

const WebhookPayload = payloadType('WebhookPayload', 'webhook', () => Webhook, 'Result of changing a webhook.');
const RedeliverPayload = payloadType('RedeliverWebhookEventPayload', 'deliveries', () => [WebhookDelivery] as never, 'Result of redeliverWebhookEvent: the deliveries queued again.');
const NotificationsPayload = payloadType('MarkNotificationsReadPayload', 'notifications', () => [Notification] as never, 'Result of markNotificationsRead.');

@Resolver(() => WebhookDelivery)
export class WebhookResolver {
  @Authorized(INSTITUTION_ROLES)
  @PayloadMutation(() => RegisterWebhookPayload, {
    description: 'Registers a webhook for the viewer\'s institution: signed POSTs of its events (docs/EVENTS.md), retried for 24 hours. Returns the signing secret once.',
  })
  async registerWebhook(@Ctx() ctx: AuthedContext, @Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput): Promise<RegisterWebhookPayload> {
    const result = await registerWebhook(ctx, input);
    return result.ok
      ? { ...result.value, userErrors: [] }
      : { webhook: null, secret: null, userErrors: result.failures.map((f) => localize(ctx.lang, f)) };
  }

  @Authorized(INSTITUTION_ROLES)
  @PayloadMutation(() => WebhookPayload, { description: 'Disables (nothing new is delivered; what waits fails) or enables one of the institution\'s webhooks.' })
  async setWebhookEnabled(@Ctx() ctx: AuthedContext, @Arg('input', () => SetWebhookEnabledInput) input: SetWebhookEnabledInput) {
    return toPayload(ctx, 'webhook', await changeWebhook(ctx, input.webhookId, { enabled: input.enabled }));
  }

  @Authorized(INSTITUTION_ROLES)
  @PayloadMutation(() => WebhookPayload, { description: 'Deletes one of the institution\'s webhooks; its deliveries stay on record, and what waits for it fails.' })
  async deleteWebhook(@Ctx() ctx: AuthedContext, @Arg('input', () => WebhookIdInput) input: WebhookIdInput) {
    return toPayload(ctx, 'webhook', await changeWebhook(ctx, input.webhookId, { deleted: true }));
  }

  @Authorized(INSTITUTION_ROLES)
  @PayloadMutation(() => RedeliverPayload, { description: 'Sends an event of the institution\'s again to each of its enabled webhooks that subscribe to its type, with a fresh 24-hour retry window.' })
  async redeliverWebhookEvent(@Ctx() ctx: AuthedContext, @Arg('input', () => RedeliverWebhookEventInput) input: RedeliverWebhookEventInput) {
    return toPayload(ctx, 'deliveries', await redeliverEvent(ctx, input.eventId));
  }

  @Authorized(INSTITUTION_ROLES)
  @Query(() => [Webhook], { description: 'The viewer\'s institution\'s webhooks, newest first.' })
  webhooks(@Ctx() ctx: AuthedContext): Promise<Webhook[]> {
    return listWebhooks(ctx);
  }

  @Authorized(INSTITUTION_ROLES)
  @Query(() => WebhookDeliveryConnection, { description: 'The deliveries to the viewer\'s institution\'s webhooks, newest first, with every attempt and answer.' })
  webhookDeliveries(
    @Ctx() ctx: AuthedContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('status', () => WebhookDeliveryStatusEnum, { nullable: true, description: 'Only deliveries in this state.' }) status: WebhookDeliveryStatus | null,
  ) {
    return webhookDeliveries(ctx, status, { first, after });
  }

  @FieldResolver(() => Webhook, { description: 'The webhook it goes to.' })
  async webhook(@Root() d: DeliveryView, @Ctx() ctx: RequestContext): Promise<Webhook> {
    return (await webhookById(ctx).load(d.webhookId))!;
  }

  @FieldResolver(() => Event, { description: 'The event it carries.' })
  async event(@Root() d: DeliveryView, @Ctx() ctx: RequestContext): Promise<EventView> {
    return eventView((await eventById(ctx).load(d.eventId))!);
  }

  @FieldResolver(() => [WebhookAttempt], { description: 'Every attempt, oldest first.' })
  attempts(@Root() d: DeliveryView, @Ctx() ctx: RequestContext): Promise<WebhookAttempt[]> {
    return attemptsOf(ctx).load(d.id);
  }
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized(['ENTERPRISE'])
  @Query(() => NotificationConnection, { description: 'The enterprise\'s notifications for the mini-program, newest first.' })
  notifications(
    @Ctx() ctx: AuthedContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–100 (default 20).' }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor to continue after.' }) after: string | null,
    @Arg('unreadOnly', () => Boolean, { nullable: true, description: 'Only those not marked read.' }) unreadOnly: boolean | null,
  ) {
    return notifications(ctx, unreadOnly ?? false, { first, after });
  }

  @Authorized(['ENTERPRISE'])
  @PayloadMutation(() => NotificationsPayload, { description: 'Marks the enterprise\'s notifications read (again: no change). An id that is not one of its notifications refuses the call.' })
  async markNotificationsRead(@Ctx() ctx: AuthedContext, @Arg('input', () => MarkNotificationsReadInput) input: MarkNotificationsReadInput) {
    return toPayload(ctx, 'notifications', await markNotificationsRead(ctx, input.ids));
  }

  @FieldResolver(() => String, { description: 'The title, in the request\'s language.' })
  title(@Root() n: NotificationRow, @Ctx() ctx: RequestContext): string {
    return notificationText(ctx.lang, n.type, n.payload).title;
  }

  @FieldResolver(() => String, { description: 'The body, in the request\'s language.' })
  body(@Root() n: NotificationRow, @Ctx() ctx: RequestContext): string {
    return notificationText(ctx.lang, n.type, n.payload).body;
  }

  @FieldResolver(() => JSONScalar, { description: 'What the event says (as Event.data; with productName and institutionName for display).' })
  data(@Root() n: NotificationRow): Record<string, unknown> {
    return eventData(n);
  }

  @FieldResolver(() => Boolean, { description: 'Whether it was marked read.' })
  read(@Root() n: NotificationRow): boolean {
    return n.readAt !== null;
  }

  @FieldResolver(() => Match, { nullable: true, description: 'The match it is about, if any.' })
  match(@Root() n: NotificationRow, @Ctx() ctx: RequestContext): Promise<MatchEntity | null> {
    return matchFor(ctx, n.matchId);
  }
}
