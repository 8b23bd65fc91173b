import { status } from '@grpc/grpc-js';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';
import { deliveryRules, normalizeSubscription } from '../../../../emulators/pubsub/subscription-config';
import { SubscriptionResource } from '../../../../emulators/pubsub/types';

const base = { name: 'projects/p/subscriptions/sub', topic: 'projects/p/topics/topic' };

function rejects(input: Partial<SubscriptionResource>): string {
  try {
    normalizeSubscription(input);
  } catch (err) {
    expect((err as RpcError).code).toBe(status.INVALID_ARGUMENT);
    return (err as Error).message;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('normalizeSubscription', () => {
  test('fills the server defaults', () => {
    const sub = normalizeSubscription(base);
    expect(sub).toMatchObject({
      ...base,
      ackDeadlineSeconds: 10,
      state: 'ACTIVE',
      messageRetentionDuration: { seconds: '604800' },
    });
    expect(sub.deadLetterPolicy).toBeUndefined();
    expect(deliveryRules(sub)).toEqual({ ackDeadlineMs: 10_000, retentionMs: 604_800_000 });
  });

  test('dead-letter and retry policies become delivery rules', () => {
    const sub = normalizeSubscription({
      ...base,
      ackDeadlineSeconds: 30,
      pushConfig: { pushEndpoint: 'https://example.com/push' },
      deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq' },
      retryPolicy: { minimumBackoff: { seconds: '1', nanos: 500_000_000 } },
    });
    expect(sub.deadLetterPolicy).toEqual({ deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 5 });
    expect(deliveryRules(sub)).toEqual({
      ackDeadlineMs: 30_000,
      retentionMs: 604_800_000,
      retry: { minMs: 1500, maxMs: 600_000 },
      deadLetter: { topic: 'projects/p/topics/dlq', maxAttempts: 5 },
      pushEndpoint: 'https://example.com/push',
    });
  });

  // PushConfig.OidcToken: "if not specified, the Push endpoint URL will be used" (pubsub.proto).
  test.each([
    [
      'oidcToken with an audience',
      { oidcToken: { serviceAccountEmail: 'sa@p.iam.gserviceaccount.com', audience: 'https://fn.run.app' } },
      { pushAuth: { serviceAccountEmail: 'sa@p.iam.gserviceaccount.com', audience: 'https://fn.run.app' } },
    ],
    [
      'oidcToken without an audience: the push endpoint',
      { oidcToken: { serviceAccountEmail: 'sa@p.iam.gserviceaccount.com' } },
      { pushAuth: { serviceAccountEmail: 'sa@p.iam.gserviceaccount.com', audience: 'https://example.com/push' } },
    ],
    ['noWrapper', { noWrapper: {} }, { noWrapper: { writeMetadata: false } }],
    ['noWrapper with writeMetadata', { noWrapper: { writeMetadata: true } }, { noWrapper: { writeMetadata: true } }],
    ['pubsubWrapper: the envelope', { pubsubWrapper: {} }, {}],
  ])('push config: %s', (_why, config, rules) => {
    const sub = normalizeSubscription({ ...base, pushConfig: { pushEndpoint: 'https://example.com/push', ...config } });
    expect(deliveryRules(sub)).toEqual({
      ackDeadlineMs: 10_000,
      retentionMs: 604_800_000,
      pushEndpoint: 'https://example.com/push',
      ...rules,
    });
  });

  test('an empty dead-letter topic clears the policy', () => {
    expect(
      normalizeSubscription({ ...base, deadLetterPolicy: { deadLetterTopic: '', maxDeliveryAttempts: 3 } })
        .deadLetterPolicy,
    ).toBeUndefined();
  });

  test.each([
    ['ack deadline below 10', { ackDeadlineSeconds: 5 }, 'ack_deadline_seconds'],
    ['ack deadline above 600', { ackDeadlineSeconds: 601 }, 'ack_deadline_seconds'],
    ['fractional ack deadline', { ackDeadlineSeconds: 10.5 }, 'ack_deadline_seconds'],
    [
      '3 delivery attempts',
      { deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 3 } },
      'max_delivery_attempts: 3',
    ],
    [
      '101 delivery attempts',
      { deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 101 } },
      'max_delivery_attempts: 101',
    ],
    ['bad dead-letter topic', { deadLetterPolicy: { deadLetterTopic: 'dlq' } }, 'Invalid [topics] name'],
    [
      'min backoff above max',
      { retryPolicy: { minimumBackoff: { seconds: 60 }, maximumBackoff: { seconds: 30 } } },
      'retry_policy',
    ],
    ['max backoff above 600', { retryPolicy: { maximumBackoff: { seconds: 601 } } }, 'retry_policy'],
    ['retention below 10 minutes', { messageRetentionDuration: { seconds: 60 } }, 'message_retention_duration'],
    ['push endpoint not a URL', { pushConfig: { pushEndpoint: 'not a url' } }, 'push_endpoint'],
    ['push endpoint not http', { pushConfig: { pushEndpoint: 'file:///etc/passwd' } }, 'push_endpoint'],
  ])('rejects %s', (_why, patch, text) => {
    expect(rejects({ ...base, ...(patch as Partial<SubscriptionResource>) })).toContain(text);
  });

  test('rejects bad names', () => {
    expect(rejects({ ...base, name: 'sub' })).toContain('Invalid [subscriptions] name');
    expect(rejects({ ...base, topic: undefined })).toContain('topic is required');
  });

  test('keeps a deleted topic marker so a subscription that outlived its topic can be updated', () => {
    expect(normalizeSubscription({ ...base, topic: '_deleted-topic_' }).topic).toBe('_deleted-topic_');
  });
});
