import { StoredMessage } from './types';

/**
 * The JSON body Pub/Sub POSTs to a plain push endpoint (`Content-Type: application/json`): the
 * message with its payload base64 in `data`, ids and times in both camelCase and snake_case, the
 * subscription's full name, and `deliveryAttempt` only when the subscription has a dead-letter
 * policy. No CloudEvent `ce-*` headers: turning this into a CloudEvent is the receiver's job (the
 * Functions Framework does it for a body with `subscription`, `message.data` and
 * `message.messageId`, taking the topic from the URL path `/projects/P/topics/T`).
 * @see https://cloud.google.com/pubsub/docs/push#receive_push
 */
export interface PushEnvelope {
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
  deliveryAttempt?: number;
}

/** How the subscription's push config shapes a request (from `pushConfig.noWrapper` and `oidcToken`). */
export interface PushFormat {
  /** `pushConfig.noWrapper`: the raw data is the body; `writeMetadata` adds headers. */
  noWrapper?: { writeMetadata: boolean };
  /** `Authorization` header value (`Bearer <OIDC JWT>`), when the subscription has an oidcToken. */
  authorization?: string;
}

export interface PushRequest {
  headers: Record<string, string>;
  body: Buffer;
}

/** Builds the HTTP request of one push delivery. */
export function toPushRequest(
  message: StoredMessage,
  subscription: string,
  deliveryAttempt: number,
  format: PushFormat = {},
): PushRequest {
  const auth: Record<string, string> = format.authorization ? { authorization: format.authorization } : {};
  if (format.noWrapper)
    return { headers: { ...unwrappedHeaders(message, subscription, format.noWrapper), ...auth }, body: message.data };
  return {
    headers: { 'content-type': 'application/json', ...auth },
    body: Buffer.from(JSON.stringify(toPushEnvelope(message, subscription, deliveryAttempt))),
  };
}

export function toPushEnvelope(message: StoredMessage, subscription: string, deliveryAttempt: number): PushEnvelope {
  const time = new Date(message.publishTimeMs).toISOString();
  const body: PushEnvelope = {
    message: { messageId: message.messageId, message_id: message.messageId, publishTime: time, publish_time: time },
    subscription,
  };
  if (message.data.length > 0) body.message.data = message.data.toString('base64');
  if (Object.keys(message.attributes).length > 0) body.message.attributes = { ...message.attributes };
  if (message.orderingKey) body.message.orderingKey = message.orderingKey;
  if (deliveryAttempt > 0) body.deliveryAttempt = deliveryAttempt;
  return body;
}

/**
 * Payload unwrapping: with `writeMetadata`, the metadata goes to `x-goog-pubsub-<key>` headers and
 * each attribute to a header of its own name (the NoWrapper proto comment and the guide's example).
 * @see https://cloud.google.com/pubsub/docs/payload-unwrapping
 */
function unwrappedHeaders(
  message: StoredMessage,
  subscription: string,
  noWrapper: { writeMetadata: boolean },
): Record<string, string> {
  if (!noWrapper.writeMetadata) return {};
  const headers: Record<string, string> = {
    'x-goog-pubsub-subscription-name': subscription,
    'x-goog-pubsub-message-id': message.messageId,
    'x-goog-pubsub-publish-time': new Date(message.publishTimeMs).toISOString(),
  };
  if (message.orderingKey) headers['x-goog-pubsub-ordering-key'] = message.orderingKey;
  for (const [key, value] of Object.entries(message.attributes)) headers[key.toLowerCase()] = value;
  return headers;
}
