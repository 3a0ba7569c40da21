import { Field, ID, InputType } from 'type-graphql';
import { Len, MaxItems } from '../common/validation';
import type { EventType } from './event-types';
import { EventTypeEnum } from './event.type';

@InputType({ description: 'A webhook to register for the viewer\'s institution.' })
export class RegisterWebhookInput {
  @Field({ description: 'Where to POST events: an http(s) URL whose origin an administrator allows (WEBHOOK_ALLOWED_ORIGINS). Redirects are not followed.' })
  @Len(1, 2000)
  url: string;

  @Field(() => [EventTypeEnum], { description: 'The event types to receive (those institutions hear: not NEW_ELIGIBLE_PRODUCT).' })
  @MaxItems(20)
  events: EventType[];

  @Field(() => String, { nullable: true, description: 'What it is for (up to 500 characters).' })
  @Len(1, 500)
  description?: string | null;
}

@InputType({ description: 'One of the institution\'s webhooks.' })
export class WebhookIdInput {
  @Field(() => ID, { description: 'The webhook.' })
  webhookId: string;
}

@InputType({ description: 'Turn one of the institution\'s webhooks on or off.' })
export class SetWebhookEnabledInput {
  @Field(() => ID, { description: 'The webhook.' })
  webhookId: string;

  @Field({ description: 'False: nothing new is delivered to it, and what waits for it fails; true: it receives events again.' })
  enabled: boolean;
}

@InputType({ description: 'An event to send again.' })
export class RedeliverWebhookEventInput {
  @Field(() => ID, { description: 'The event\'s id (X-Finmatch-Event-Id).' })
  eventId: string;
}

@InputType({ description: 'Notifications to mark read.' })
export class MarkNotificationsReadInput {
  @Field(() => [ID], { description: 'The notifications (1–100), all the enterprise\'s own.' })
  @MaxItems(100)
  ids: string[];
}
