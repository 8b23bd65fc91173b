import { status } from '@grpc/grpc-js';
import { Broker, MAX_ATTEMPTS_WITHOUT_DEAD_LETTER } from '../../../../emulators/pubsub/broker';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';
import { SubscriptionResource } from '../../../../emulators/pubsub/types';

const T = 'projects/p/topics/topic';
const DLQ = 'projects/p/topics/dead';
const S = 'projects/p/subscriptions/sub';
const msg = (text: string, attributes: Record<string, string> = {}) => ({
  data: Buffer.from(text),
  attributes,
  orderingKey: '',
});

function setup(sub: Partial<SubscriptionResource> = {}, timeScale = 1) {
  let now = 1_000_000;
  const broker = new Broker(timeScale, () => now);
  broker.createTopic({ name: T });
  broker.createTopic({ name: DLQ });
  broker.createSubscription({ name: S, topic: T, ...sub });
  return { broker, advance: (ms: number) => (now += ms), now: () => now };
}

describe('Broker delivery rules', () => {
  test('publish fans out to every subscription of the topic, not to later ones', () => {
    const { broker } = setup();
    const [id] = broker.publish(T, [msg('a')]);
    broker.createSubscription({ name: 'projects/p/subscriptions/late', topic: T });
    expect(broker.lease(S, 10, 'o').map((l) => l.message.messageId)).toEqual([id]);
    expect(broker.lease('projects/p/subscriptions/late', 10, 'o')).toEqual([]);
    expect(broker.counters).toMatchObject({ published: 1, delivered: 1 });
  });

  test('a leased message is not handed out again until acked or expired', () => {
    const { broker, advance } = setup();
    broker.publish(T, [msg('a')]);
    const [first] = broker.lease(S, 10, 'o');
    expect(broker.lease(S, 10, 'o')).toEqual([]);
    advance(9_999);
    broker.expireLeases();
    expect(broker.lease(S, 10, 'o')).toEqual([]);
    advance(1);
    broker.expireLeases();
    const [again] = broker.lease(S, 10, 'o');
    expect(again.message.messageId).toBe(first.message.messageId);
    expect(again.ackId).not.toBe(first.ackId);
    expect(broker.counters.redelivered).toBe(1);
    broker.acknowledge(S, [first.ackId]);
    expect(broker.counters.acked).toBe(0);
    broker.acknowledge(S, [again.ackId]);
    expect(broker.counters.acked).toBe(1);
    advance(60_000);
    broker.expireLeases();
    expect(broker.lease(S, 10, 'o')).toEqual([]);
  });

  test('modifyAckDeadline extends a lease and 0 nacks it', () => {
    const { broker, advance } = setup();
    broker.publish(T, [msg('a')]);
    const [l] = broker.lease(S, 1, 'o');
    broker.modifyAckDeadline(S, [l.ackId], 60);
    advance(30_000);
    broker.expireLeases();
    expect(broker.lease(S, 1, 'o')).toEqual([]);
    broker.modifyAckDeadline(S, [l.ackId], 0);
    expect(broker.lease(S, 1, 'o')).toHaveLength(1);
  });

  test('retry policy backs off exponentially, scaled', () => {
    const { broker, advance } = setup(
      { retryPolicy: { minimumBackoff: { seconds: 10 }, maximumBackoff: { seconds: 15 } } },
      0.5,
    );
    broker.publish(T, [msg('a')]);
    const nackAndWait = (ms: number) => {
      const [l] = broker.lease(S, 1, 'o');
      broker.modifyAckDeadline(S, [l.ackId], 0);
      advance(ms - 1);
      expect(broker.lease(S, 1, 'o')).toEqual([]);
      expect(broker.nextWakeAt()).toBeDefined();
      advance(1);
    };
    nackAndWait(5_000);
    nackAndWait(7_500); // 20 s capped at 15 s, times 0.5
    expect(broker.lease(S, 1, 'o')).toHaveLength(1);
  });

  test('dead-letters after maxDeliveryAttempts with the source attributes', () => {
    const { broker } = setup({ deadLetterPolicy: { deadLetterTopic: DLQ, maxDeliveryAttempts: 5 } });
    broker.createSubscription({ name: 'projects/p/subscriptions/dead-sub', topic: DLQ });
    broker.publish(T, [msg('poison', { a: 'b' })]);
    const attempts: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const [l] = broker.lease(S, 1, 'o');
      attempts.push(l.deliveryAttempt);
      broker.modifyAckDeadline(S, [l.ackId], 0);
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(broker.lease(S, 1, 'o')).toEqual([]);
    expect(broker.counters.deadLettered).toBe(1);
    const [dead] = broker.lease('projects/p/subscriptions/dead-sub', 1, 'o');
    expect(dead.message.data.toString()).toBe('poison');
    expect(dead.message.attributes).toMatchObject({
      a: 'b',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: 'sub',
    });
    expect(broker.deadLetters.map((d) => d.topic)).toEqual([DLQ]);
  });

  test('a dead-letter topic deleted later still records the message', () => {
    const { broker } = setup({ deadLetterPolicy: { deadLetterTopic: DLQ, maxDeliveryAttempts: 5 } });
    broker.deleteTopic(DLQ);
    broker.publish(T, [msg('x')]);
    for (let i = 0; i < 5; i += 1) broker.modifyAckDeadline(S, [broker.lease(S, 1, 'o')[0].ackId], 0);
    expect(broker.deadLetters).toHaveLength(1);
  });

  test('without a dead-letter policy retries stop at the sanity cap or the retention', () => {
    const { broker, advance } = setup();
    broker.publish(T, [msg('x')]);
    for (let i = 0; i < MAX_ATTEMPTS_WITHOUT_DEAD_LETTER; i += 1)
      broker.modifyAckDeadline(S, [broker.lease(S, 1, 'o')[0].ackId], 0);
    expect(broker.lease(S, 1, 'o')).toEqual([]);

    broker.publish(T, [msg('old')]);
    const [l] = broker.lease(S, 1, 'o');
    advance(7 * 24 * 3600 * 1000 + 1);
    broker.modifyAckDeadline(S, [l.ackId], 0);
    expect(broker.lease(S, 1, 'o')).toEqual([]);
  });

  test('flow control: maxBytes limits a lease but one message always fits; owners are counted', () => {
    const { broker } = setup();
    broker.publish(T, [msg('12345'), msg('12345'), msg('12345')]);
    expect(broker.lease(S, 10, 'a', { maxBytes: 1 })).toHaveLength(1);
    expect(broker.lease(S, 10, 'b', { maxBytes: 10 })).toHaveLength(2);
    expect(broker.outstanding('a')).toEqual({ messages: 1, bytes: 5 });
    expect(broker.outstanding('b')).toEqual({ messages: 2, bytes: 10 });
  });

  test('ack ids: malformed is INVALID_ARGUMENT, unknown is ignored, deadline range checked', () => {
    const { broker } = setup();
    const code = (fn: () => void) => {
      try {
        fn();
        return 'ok';
      } catch (err) {
        return (err as RpcError).code;
      }
    };
    expect(code(() => broker.acknowledge(S, ['ack-12345']))).toBe('ok');
    expect(code(() => broker.acknowledge(S, ['bogus']))).toBe(status.INVALID_ARGUMENT);
    expect(code(() => broker.acknowledge(S, [7]))).toBe(status.INVALID_ARGUMENT);
    expect(code(() => broker.modifyAckDeadline(S, ['ack-1'], -1))).toBe(status.INVALID_ARGUMENT);
    expect(code(() => broker.modifyAckDeadline(S, ['ack-1'], 601))).toBe(status.INVALID_ARGUMENT);
    expect(code(() => broker.acknowledge('projects/p/subscriptions/nope', []))).toBe(status.NOT_FOUND);
  });

  test('onChange fires for publish, ack and nack so the delivery loop wakes', () => {
    const { broker } = setup();
    let kicks = 0;
    broker.onChange = () => (kicks += 1);
    broker.publish(T, [msg('a')]);
    const [l] = broker.lease(S, 1, 'o');
    broker.acknowledge(S, [l.ackId]);
    expect(kicks).toBeGreaterThanOrEqual(3);
  });
});
