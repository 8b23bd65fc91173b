import { parseTopicName } from './names';
import { StoredMessage } from './types';

/**
 * Body of the CloudEvent Eventarc delivers to a gen2 function for a Pub/Sub trigger
 * (`google.cloud.pubsub.topic.v1.messagePublished`, data = MessagePublishedData). Eventarc
 * sends both camelCase and snake_case ids and times.
 * @see https://cloud.google.com/eventarc/docs/cloudevents#pubsub
 * @see https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto
 */
export interface MessagePublishedData {
  message: {
    data?: string;
    attributes?: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    orderingKey?: string;
  };
  subscription: string;
  /** Present only when the subscription has a dead-letter policy (Pub/Sub push format). */
  deliveryAttempt?: number;
}

export const MESSAGE_PUBLISHED_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';

export interface PushRequest {
  headers: Record<string, string>;
  body: MessagePublishedData;
}

/** Builds the binary-mode CloudEvent HTTP request for one delivery. */
export function toPushRequest(message: StoredMessage, subscription: string, deliveryAttempt: number): PushRequest {
  const topic = parseTopicName(message.topic);
  const time = new Date(message.publishTimeMs).toISOString();
  const body: MessagePublishedData = {
    message: {
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime: time,
      publish_time: time,
    },
    subscription,
  };
  if (message.data.length > 0) body.message.data = message.data.toString('base64');
  if (Object.keys(message.attributes).length > 0) body.message.attributes = { ...message.attributes };
  if (message.orderingKey) body.message.orderingKey = message.orderingKey;
  if (deliveryAttempt > 0) body.deliveryAttempt = deliveryAttempt;
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'ce-id': message.messageId,
      'ce-source': `//pubsub.googleapis.com/projects/${topic.project}/topics/${topic.id}`,
      'ce-type': MESSAGE_PUBLISHED_TYPE,
      'ce-specversion': '1.0',
      'ce-time': time,
    },
    body,
  };
}
