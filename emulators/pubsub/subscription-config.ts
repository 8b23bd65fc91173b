import { DELETED_TOPIC, parseSubscriptionName, parseTopicName } from './names';
import { invalidArgument } from './rpc-error';
import { DeliveryRules, Duration, SubscriptionResource, durationMs } from './types';

// Limits from https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#subscription
export const DEFAULT_ACK_DEADLINE_S = 10;
export const MAX_ACK_DEADLINE_S = 600;
export const DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
export const MIN_DELIVERY_ATTEMPTS = 5;
export const MAX_DELIVERY_ATTEMPTS = 100;
export const DEFAULT_RETENTION_S = 7 * 24 * 3600;
const MIN_RETENTION_S = 600;
const MAX_RETENTION_S = 31 * 24 * 3600;
export const DEFAULT_MIN_BACKOFF_S = 10;
export const DEFAULT_MAX_BACKOFF_S = 600;

function seconds(d: Duration | undefined): number | undefined {
  const ms = durationMs(d);
  return ms === undefined ? undefined : ms / 1000;
}

/**
 * Validates a Subscription as CreateSubscription / UpdateSubscription receive it and fills the
 * server defaults the real API reports back (ack deadline 10 s, 7-day retention, 5 attempts).
 * Throws INVALID_ARGUMENT naming the field.
 */
export function normalizeSubscription(input: Partial<SubscriptionResource>): SubscriptionResource {
  parseSubscriptionName(input.name, 'name');
  // A subscription outlives its topic; it then reports `_deleted-topic_` and can still be updated.
  if (input.topic !== DELETED_TOPIC) parseTopicName(input.topic, 'topic');
  const out: SubscriptionResource = {
    ...input,
    name: input.name as string,
    topic: input.topic as string,
    ackDeadlineSeconds: 0,
  };

  const ack = Number(input.ackDeadlineSeconds ?? 0) || DEFAULT_ACK_DEADLINE_S;
  if (!Number.isInteger(ack) || ack < DEFAULT_ACK_DEADLINE_S || ack > MAX_ACK_DEADLINE_S) {
    throw invalidArgument(`Invalid ack_deadline_seconds: ${ack}. It must be between 10 and 600 seconds.`);
  }
  out.ackDeadlineSeconds = ack;

  const retention = seconds(input.messageRetentionDuration) ?? DEFAULT_RETENTION_S;
  if (retention < MIN_RETENTION_S || retention > MAX_RETENTION_S) {
    throw invalidArgument(
      `Invalid message_retention_duration: ${retention}s. It must be between 10 minutes and 31 days.`,
    );
  }
  out.messageRetentionDuration = { seconds: String(retention), nanos: 0 };

  const endpoint = input.pushConfig?.pushEndpoint;
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw invalidArgument(`Invalid push_config.push_endpoint: "${endpoint}". It must be an http(s) URL.`);
    }
  }

  const dl = input.deadLetterPolicy;
  if (dl && dl.deadLetterTopic) {
    parseTopicName(dl.deadLetterTopic, 'dead_letter_policy.dead_letter_topic');
    const attempts = Number(dl.maxDeliveryAttempts ?? 0) || DEFAULT_MAX_DELIVERY_ATTEMPTS;
    if (!Number.isInteger(attempts) || attempts < MIN_DELIVERY_ATTEMPTS || attempts > MAX_DELIVERY_ATTEMPTS) {
      throw invalidArgument(
        `Invalid dead_letter_policy.max_delivery_attempts: ${attempts}. It must be between ${MIN_DELIVERY_ATTEMPTS} and ${MAX_DELIVERY_ATTEMPTS}.`,
      );
    }
    out.deadLetterPolicy = { deadLetterTopic: dl.deadLetterTopic, maxDeliveryAttempts: attempts };
  } else {
    delete out.deadLetterPolicy;
  }

  if (input.retryPolicy) {
    const min = seconds(input.retryPolicy.minimumBackoff) ?? DEFAULT_MIN_BACKOFF_S;
    const max = seconds(input.retryPolicy.maximumBackoff) ?? DEFAULT_MAX_BACKOFF_S;
    if (min < 0 || max > DEFAULT_MAX_BACKOFF_S || min > max) {
      throw invalidArgument(
        `Invalid retry_policy: minimum_backoff ${min}s and maximum_backoff ${max}s must satisfy 0 <= minimum <= maximum <= 600.`,
      );
    }
    out.retryPolicy = { minimumBackoff: toDuration(min), maximumBackoff: toDuration(max) };
  }
  out.state = 'ACTIVE';
  return out;
}

function toDuration(s: number): Duration {
  const whole = Math.floor(s);
  return { seconds: String(whole), nanos: Math.round((s - whole) * 1e9) };
}

/** The numbers the delivery loop needs, from a normalized subscription. */
export function deliveryRules(sub: SubscriptionResource): DeliveryRules {
  const rules: DeliveryRules = {
    ackDeadlineMs: sub.ackDeadlineSeconds * 1000,
    retentionMs: durationMs(sub.messageRetentionDuration) ?? DEFAULT_RETENTION_S * 1000,
  };
  if (sub.retryPolicy) {
    rules.retry = {
      minMs: durationMs(sub.retryPolicy.minimumBackoff) ?? DEFAULT_MIN_BACKOFF_S * 1000,
      maxMs: durationMs(sub.retryPolicy.maximumBackoff) ?? DEFAULT_MAX_BACKOFF_S * 1000,
    };
  }
  if (sub.deadLetterPolicy?.deadLetterTopic) {
    rules.deadLetter = {
      topic: sub.deadLetterPolicy.deadLetterTopic,
      maxAttempts: sub.deadLetterPolicy.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
    };
  }
  const push = sub.pushConfig;
  if (push?.pushEndpoint) {
    rules.pushEndpoint = push.pushEndpoint;
    const oidc = push.oidcToken as { serviceAccountEmail?: string; audience?: string } | undefined;
    // The audience defaults to the push endpoint URL (PushConfig.OidcToken in pubsub.proto).
    if (oidc?.serviceAccountEmail)
      rules.pushAuth = { serviceAccountEmail: oidc.serviceAccountEmail, audience: oidc.audience || push.pushEndpoint };
    const noWrapper = push.noWrapper as { writeMetadata?: boolean } | undefined;
    if (noWrapper) rules.noWrapper = { writeMetadata: noWrapper.writeMetadata === true };
  }
  return rules;
}
