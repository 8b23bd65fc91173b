import { parseSubscriptionName } from './names';
import { StoredMessage } from './types';

/**
 * Attributes Pub/Sub adds when it forwards a message to the dead-letter topic, on top of the
 * message's own.
 * @see https://cloud.google.com/pubsub/docs/handling-failures#dead_letter_topic
 */
export function deadLetterAttributes(
  message: StoredMessage,
  attempts: number,
  subscription: string,
): Record<string, string> {
  const source = parseSubscriptionName(subscription);
  return {
    ...message.attributes,
    CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
    CloudPubSubDeadLetterSourceSubscription: source.id,
    CloudPubSubDeadLetterSourceSubscriptionProject: source.project,
    CloudPubSubDeadLetterSourceTopicPublishTime: new Date(message.publishTimeMs).toISOString(),
  };
}
