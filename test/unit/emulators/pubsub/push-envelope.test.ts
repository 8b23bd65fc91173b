import { toPushRequest, type PushEnvelope } from '../../../../emulators/pubsub/push-envelope';
import { StoredMessage } from '../../../../emulators/pubsub/types';

const message: StoredMessage = {
  messageId: '42',
  topic: 'projects/proj/topics/model.ready',
  data: Buffer.from('{"a":1}'),
  attributes: { k: 'v' },
  publishTimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  orderingKey: '',
};
const SUB = 'projects/proj/subscriptions/s';

const envelope = (m: StoredMessage, attempt = 0): PushEnvelope =>
  JSON.parse(toPushRequest(m, SUB, attempt).body.toString('utf8')) as PushEnvelope;

// https://cloud.google.com/pubsub/docs/push#receive_push
describe('toPushRequest', () => {
  test('plain push: the JSON envelope, Content-Type application/json, no CloudEvent headers', () => {
    const request = toPushRequest(message, SUB, 0);
    expect(request.headers).toEqual({ 'content-type': 'application/json' });
    expect(envelope(message)).toEqual({
      message: {
        data: 'eyJhIjoxfQ==',
        attributes: { k: 'v' },
        messageId: '42',
        message_id: '42',
        publishTime: '2026-01-02T03:04:05.678Z',
        publish_time: '2026-01-02T03:04:05.678Z',
      },
      subscription: SUB,
    });
  });

  test.each([
    [
      'attributes only: no data field',
      { data: Buffer.alloc(0) },
      (b: Record<string, unknown>) => expect(b).not.toHaveProperty('data'),
    ],
    [
      'no attributes: no attributes field',
      { attributes: {} },
      (b: Record<string, unknown>) => expect(b).not.toHaveProperty('attributes'),
    ],
    [
      'ordering key kept',
      { orderingKey: 'run-7' },
      (b: Record<string, unknown>) => expect(b.orderingKey).toBe('run-7'),
    ],
  ])('%s', (_why, patch, check) => {
    check(envelope({ ...message, ...patch }).message as unknown as Record<string, unknown>);
  });

  test('deliveryAttempt only under a dead-letter policy', () => {
    expect(envelope(message, 3).deliveryAttempt).toBe(3);
    expect(envelope(message, 0)).not.toHaveProperty('deliveryAttempt');
  });

  test('the Authorization header when the subscription has an oidcToken', () => {
    expect(toPushRequest(message, SUB, 0, { authorization: 'Bearer x.y.z' }).headers).toEqual({
      'content-type': 'application/json',
      authorization: 'Bearer x.y.z',
    });
  });

  // https://cloud.google.com/pubsub/docs/payload-unwrapping
  test('noWrapper: the raw data is the body; writeMetadata adds x-goog-pubsub-* and attribute headers', () => {
    const bare = toPushRequest(message, SUB, 2, { noWrapper: { writeMetadata: false } });
    expect(bare).toEqual({ headers: {}, body: Buffer.from('{"a":1}') });
    const withMetadata = toPushRequest({ ...message, orderingKey: 'run-7' }, SUB, 2, {
      noWrapper: { writeMetadata: true },
    });
    expect(withMetadata.headers).toEqual({
      'x-goog-pubsub-subscription-name': SUB,
      'x-goog-pubsub-message-id': '42',
      'x-goog-pubsub-publish-time': '2026-01-02T03:04:05.678Z',
      'x-goog-pubsub-ordering-key': 'run-7',
      k: 'v',
    });
    expect(withMetadata.body.toString()).toBe('{"a":1}');
  });
});
