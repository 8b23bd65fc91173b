import type { CloudEvent } from '@google-cloud/functions-framework';
import { messageAgeMs } from '../pipeline/message-age';

/**
 * The `data` of the `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent the Functions
 * Framework makes of a Pub/Sub push envelope (`{message, subscription}` POSTed to
 * `/projects/P/topics/T`): the message with its payload base64 in `message.data`, its id and
 * publish time (also the CloudEvent's `id` and `time`) and attributes.
 * @see https://github.com/GoogleCloudPlatform/functions-framework-nodejs/blob/main/src/pubsub_middleware.ts
 * @see https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto
 */
export interface MessagePublishedData {
  message: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

export class EventError extends Error {}

/**
 * The message of a delivery. The Functions Framework converts a push only when `message.data` is
 * non-empty; otherwise the envelope itself arrives as the "event" (no id, no time), so both shapes
 * are read here.
 */
function published(event: CloudEvent<unknown>): { id: string; data: Partial<MessagePublishedData> | undefined } {
  const raw = event as unknown as Partial<MessagePublishedData> & { data?: unknown };
  if (event.data === undefined && raw.message && typeof raw.message === 'object')
    return { id: event.id ?? raw.message.messageId ?? '', data: { message: raw.message } };
  return { id: event.id, data: event.data as Partial<MessagePublishedData> | undefined };
}

/** The event's id (the message id), also for a push the Functions Framework left unconverted. */
export function eventId(event: CloudEvent<unknown>): string {
  return published(event).id;
}

/** The JSON payload of a Pub/Sub CloudEvent (decoding `data.message.data`, not `data.message`). */
export function messageJson(event: CloudEvent<unknown>): unknown {
  const { id, data } = published(event);
  const encoded = data?.message?.data;
  if (typeof encoded !== 'string' || encoded === '')
    throw new EventError(`event ${id}: no message.data in the Pub/Sub CloudEvent`);
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new EventError(`event ${id}: message.data is not JSON: ${text.slice(0, 80)}`);
  }
}

/** How old the event is; Pub/Sub keeps retrying a failing push until the retention ends. */
export function eventAgeMs(event: CloudEvent<unknown>, now: Date): number {
  return messageAgeMs(event.time, undefined, now);
}

/**
 * The Pub/Sub message's id and attributes (dead letters carry `CloudPubSubDeadLetterSource*`
 * attributes). The Functions Framework keeps both in `data.message` when it turns a push into a
 * CloudEvent; its id is also the CloudEvent's id.
 */
export function messageMeta(event: CloudEvent<unknown>): { id: string; attributes: Record<string, string> } {
  const { id, data } = published(event);
  const message = data?.message;
  const attributes = message?.attributes && typeof message.attributes === 'object' ? message.attributes : {};
  return { id: message?.messageId || id, attributes };
}
