import { deadLetterAttributes } from '../../../../emulators/pubsub/dead-letter';

describe('deadLetterAttributes', () => {
  test('adds the four source attributes to the message own ones', () => {
    const message = {
      messageId: '1',
      topic: 'projects/p/topics/t',
      data: Buffer.from('x'),
      attributes: { run: 'r1' },
      publishTimeMs: Date.UTC(2026, 10, 23, 8, 0, 0),
      orderingKey: '',
    };
    expect(deadLetterAttributes(message, 7, 'projects/other/subscriptions/fn-trigger')).toEqual({
      run: 'r1',
      CloudPubSubDeadLetterSourceDeliveryCount: '7',
      CloudPubSubDeadLetterSourceSubscription: 'fn-trigger',
      CloudPubSubDeadLetterSourceSubscriptionProject: 'other',
      CloudPubSubDeadLetterSourceTopicPublishTime: '2026-11-23T08:00:00.000Z',
    });
    expect(message.attributes).toEqual({ run: 'r1' });
  });
});
