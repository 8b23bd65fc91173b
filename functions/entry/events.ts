import type { CloudEvent } from '@google-cloud/functions-framework';

/**
 * The `data` of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent as Eventarc delivers
 * it to a gen2 function: the message, with its payload base64 in `message.data`.
 * @see https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto
 */
export interface MessagePublishedData {
  message: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

export class EventError extends Error {}

/** The JSON payload of a Pub/Sub CloudEvent (decoding `data.message.data`, not `data.message`). */
export function messageJson(event: CloudEvent<unknown>): unknown {
  const data = event.data as Partial<MessagePublishedData> | undefined;
  const encoded = data?.message?.data;
  if (typeof encoded !== 'string' || encoded === '')
    throw new EventError(`event ${event.id}: no message.data in the Pub/Sub CloudEvent`);
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new EventError(`event ${event.id}: message.data is not JSON: ${text.slice(0, 80)}`);
  }
}

/** How old the event is; Eventarc keeps retrying a failing event for up to 24 hours. */
export function eventAgeMs(event: CloudEvent<unknown>, now: Date): number {
  const time = event.time ? Date.parse(event.time) : NaN;
  return Number.isNaN(time) ? 0 : now.getTime() - time;
}

/**
 * The Pub/Sub message's id and attributes (dead letters carry `CloudPubSubDeadLetterSource*`
 * attributes). The Functions Framework keeps both in `data.message` when it turns a push into a
 * CloudEvent; its id is also the CloudEvent's id.
 */
export function messageMeta(event: CloudEvent<unknown>): { id: string; attributes: Record<string, string> } {
  const message = (event.data as Partial<MessagePublishedData> | undefined)?.message;
  const attributes = message?.attributes && typeof message.attributes === 'object' ? message.attributes : {};
  return { id: message?.messageId || event.id, attributes };
}
