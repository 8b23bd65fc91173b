import { SubscriptionQueue } from '../../../../emulators/pubsub/subscription-queue';

const message = (id: string, size: number) => ({
  messageId: id,
  topic: 't',
  data: Buffer.alloc(size),
  attributes: {},
  publishTimeMs: 0,
  orderingKey: '',
});

describe('SubscriptionQueue', () => {
  test('takes ready messages in order, skipping ones still backing off', () => {
    const q = new SubscriptionQueue(
      { name: 's', topic: 't', ackDeadlineSeconds: 10 },
      { ackDeadlineMs: 10_000, retentionMs: 1e9 },
    );
    q.enqueue({ message: message('1', 1), attempts: 0, availableAt: 0 });
    q.enqueue({ message: message('2', 1), attempts: 1, availableAt: 500 });
    q.enqueue({ message: message('3', 1), attempts: 0, availableAt: 0 });
    expect(q.nextWake(100)).toBe(500);
    expect(q.takeReady(100, 10).map((d) => d.message.messageId)).toEqual(['1', '3']);
    expect(q.hasReady(100)).toBe(false);
    expect(q.takeReady(500, 10).map((d) => d.message.messageId)).toEqual(['2']);
    expect(q.waiting).toBe(0);
  });

  test('holds leases by ack id', () => {
    const q = new SubscriptionQueue(
      { name: 's', topic: 't', ackDeadlineSeconds: 10 },
      { ackDeadlineMs: 10_000, retentionMs: 1e9 },
    );
    const d = { message: message('1', 1), attempts: 1, availableAt: 0, ackId: 'ack-1', leaseUntil: 50 };
    q.hold(d);
    expect(q.leaseOf('ack-1')).toBe(d);
    expect(q.nextWake(0)).toBe(50);
    q.unhold(d);
    expect(q.leasedCount).toBe(0);
  });
});
