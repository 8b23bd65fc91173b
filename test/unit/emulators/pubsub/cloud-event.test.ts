import { MESSAGE_PUBLISHED_TYPE, toPushRequest } from '../../../../emulators/pubsub/cloud-event';
import { StoredMessage } from '../../../../emulators/pubsub/types';

const message: StoredMessage = {
  messageId: '42',
  topic: 'projects/proj/topics/model.ready',
  data: Buffer.from('{"a":1}'),
  attributes: { k: 'v' },
  publishTimeMs: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  orderingKey: '',
};

describe('toPushRequest', () => {
  test('binary-mode CloudEvent headers and Eventarc body', () => {
    expect(toPushRequest(message, 'projects/proj/subscriptions/s', 0)).toEqual({
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'ce-id': '42',
        'ce-source': '//pubsub.googleapis.com/projects/proj/topics/model.ready',
        'ce-type': MESSAGE_PUBLISHED_TYPE,
        'ce-specversion': '1.0',
        'ce-time': '2026-01-02T03:04:05.678Z',
      },
      body: {
        message: {
          data: 'eyJhIjoxfQ==',
          attributes: { k: 'v' },
          messageId: '42',
          message_id: '42',
          publishTime: '2026-01-02T03:04:05.678Z',
          publish_time: '2026-01-02T03:04:05.678Z',
        },
        subscription: 'projects/proj/subscriptions/s',
      },
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
    check(
      toPushRequest({ ...message, ...patch }, 'projects/proj/subscriptions/s', 0).body.message as unknown as Record<
        string,
        unknown
      >,
    );
  });

  test('deliveryAttempt only under a dead-letter policy', () => {
    expect(toPushRequest(message, 'projects/proj/subscriptions/s', 3).body.deliveryAttempt).toBe(3);
    expect(toPushRequest(message, 'projects/proj/subscriptions/s', 0).body).not.toHaveProperty('deliveryAttempt');
  });
});
