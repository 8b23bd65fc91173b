import { status } from '@grpc/grpc-js';
import { Broker } from '../../../../emulators/pubsub/broker';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';

const T = 'projects/p/topics/topic';
const S = 'projects/p/subscriptions/sub';

function error(fn: () => unknown): RpcError {
  try {
    fn();
  } catch (err) {
    return err as RpcError;
  }
  throw new Error('expected an error');
}

describe('Catalog (through Broker)', () => {
  test('create, list per project, delete topic marks subscriptions', () => {
    const b = new Broker();
    b.createTopic({ name: T, labels: { a: 'b' } });
    b.createTopic({ name: 'projects/q/topics/other' });
    b.createSubscription({ name: S, topic: T });
    expect(b.listTopics('p').map((t) => t.name)).toEqual([T]);
    expect(b.topicSubscriptions(T)).toEqual([S]);
    b.deleteTopic(T);
    expect(b.getSubscription(S).topic).toBe('_deleted-topic_');
    expect(b.listSubscriptions('p').map((s) => s.name)).toEqual([S]);
    expect(b.updateSubscription({ name: S, ackDeadlineSeconds: 20 }, ['ack_deadline_seconds']).ackDeadlineSeconds).toBe(
      20,
    );
  });

  test.each([
    [
      'duplicate topic',
      (b: Broker) => b.createTopic({ name: T }),
      status.ALREADY_EXISTS,
      `Resource already exists in the project (resource=${T}).`,
    ],
    [
      'duplicate subscription',
      (b: Broker) => b.createSubscription({ name: S, topic: T }),
      status.ALREADY_EXISTS,
      `(resource=${S})`,
    ],
    [
      'missing topic',
      (b: Broker) => b.getTopic('projects/p/topics/none'),
      status.NOT_FOUND,
      'Resource not found (resource=projects/p/topics/none).',
    ],
    [
      'subscription on a missing topic',
      (b: Broker) => b.createSubscription({ name: 'projects/p/subscriptions/sub2', topic: 'projects/p/topics/none' }),
      status.NOT_FOUND,
      'projects/p/topics/none',
    ],
    [
      'missing dead-letter topic',
      (b: Broker) =>
        b.createSubscription({
          name: 'projects/p/subscriptions/sub2',
          topic: T,
          deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/none' },
        }),
      status.NOT_FOUND,
      'projects/p/topics/none',
    ],
    ['empty update mask', (b: Broker) => b.updateSubscription({ name: S }, []), status.INVALID_ARGUMENT, 'update_mask'],
    [
      'update of the topic',
      (b: Broker) => b.updateSubscription({ name: S, topic: T }, ['topic']),
      status.INVALID_ARGUMENT,
      'cannot be updated',
    ],
    [
      'bad update value',
      (b: Broker) => b.updateSubscription({ name: S, ackDeadlineSeconds: 1 }, ['ack_deadline_seconds']),
      status.INVALID_ARGUMENT,
      'ack_deadline',
    ],
    [
      'delete missing subscription',
      (b: Broker) => b.deleteSubscription('projects/p/subscriptions/none'),
      status.NOT_FOUND,
      'none',
    ],
  ])('%s', (_why, act, code, text) => {
    const b = new Broker();
    b.createTopic({ name: T });
    b.createSubscription({ name: S, topic: T });
    const err = error(() => act(b));
    expect(err.code).toBe(code);
    expect(err.message).toContain(text);
  });

  test('deleting a subscription drops its leases and tells open streams', () => {
    const b = new Broker();
    const closed: string[] = [];
    b.onSubscriptionDeleted = (name) => closed.push(name);
    b.createTopic({ name: T });
    b.createSubscription({ name: S, topic: T });
    b.publish(T, [{ data: Buffer.from('x'), attributes: {}, orderingKey: '' }]);
    b.lease(S, 1, 'owner');
    b.deleteSubscription(S);
    expect(closed).toEqual([S]);
    expect(b.outstanding('owner')).toEqual({ messages: 0, bytes: 0 });
  });
});
