import { invalidArgument } from './rpc-error';
import { PubsubMessageWire, StoredMessage } from './types';

// Quotas from https://cloud.google.com/pubsub/quotas#resource_limits
export const MAX_PUBLISH_REQUEST_BYTES = 10 * 1024 * 1024;
export const MAX_MESSAGES_PER_REQUEST = 1000;
export const MAX_ATTRIBUTES = 100;
export const MAX_ATTRIBUTE_KEY_BYTES = 256;
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;
export const MAX_ORDERING_KEY_BYTES = 1024;

export type NewMessage = Omit<StoredMessage, 'messageId' | 'topic' | 'publishTimeMs'>;

/**
 * Checks a PublishRequest's messages against the documented limits and turns them into what the
 * broker stores. Each error names `messages[i]` and the field, as the fix is in the caller.
 */
export function readPublishMessages(raw: unknown): NewMessage[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalidArgument('The request must contain at least one message (messages is empty).');
  }
  if (raw.length > MAX_MESSAGES_PER_REQUEST) {
    throw invalidArgument(`Too many messages in one request: ${raw.length} (limit ${MAX_MESSAGES_PER_REQUEST}).`);
  }
  let total = 0;
  const out = raw.map((m: PubsubMessageWire, i): NewMessage => {
    const where = `messages[${i}]`;
    const data = m.data ? Buffer.from(m.data) : Buffer.alloc(0);
    const attributes = m.attributes ?? {};
    const keys = Object.keys(attributes);
    if (data.length === 0 && keys.length === 0) {
      throw invalidArgument(
        `${where} is empty. Each message must contain either non-empty data, or at least one attribute.`,
      );
    }
    if (keys.length > MAX_ATTRIBUTES) {
      throw invalidArgument(`${where}.attributes has ${keys.length} entries (limit ${MAX_ATTRIBUTES}).`);
    }
    for (const key of keys) {
      const value = String(attributes[key]);
      if (key === '' || Buffer.byteLength(key) > MAX_ATTRIBUTE_KEY_BYTES || key.startsWith('goog')) {
        throw invalidArgument(
          `${where}.attributes key "${key.slice(0, 40)}" is invalid (1-256 bytes, not starting with "goog").`,
        );
      }
      if (Buffer.byteLength(value) > MAX_ATTRIBUTE_VALUE_BYTES) {
        throw invalidArgument(`${where}.attributes["${key}"] is longer than ${MAX_ATTRIBUTE_VALUE_BYTES} bytes.`);
      }
      total += Buffer.byteLength(key) + Buffer.byteLength(value);
    }
    const orderingKey = m.orderingKey ?? '';
    if (Buffer.byteLength(orderingKey) > MAX_ORDERING_KEY_BYTES) {
      throw invalidArgument(`${where}.ordering_key is longer than ${MAX_ORDERING_KEY_BYTES} bytes.`);
    }
    total += data.length + Buffer.byteLength(orderingKey);
    return { data, attributes: { ...attributes }, orderingKey };
  });
  if (total > MAX_PUBLISH_REQUEST_BYTES) {
    throw invalidArgument(`Request payload size exceeds the limit: ${MAX_PUBLISH_REQUEST_BYTES} bytes (got ${total}).`);
  }
  return out;
}
