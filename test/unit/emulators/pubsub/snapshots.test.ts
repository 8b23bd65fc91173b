import { status } from '@grpc/grpc-js';
import { SNAPSHOT_MAX_LIFETIME_MS, SnapshotStore, snapshotExpiry } from '../../../../emulators/pubsub/snapshots';
import { StoredMessage } from '../../../../emulators/pubsub/types';

const HOUR = 3600 * 1000;
const NOW = Date.UTC(2026, 0, 1);
const message = (id: string, publishTimeMs: number, topic = 'projects/p/topics/topic1'): StoredMessage => ({
  messageId: id,
  topic,
  data: Buffer.from(id),
  attributes: {},
  publishTimeMs,
  orderingKey: '',
});
const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: number }).code;
  }
};

// https://cloud.google.com/pubsub/docs/replay-overview: 7 days minus the age of the oldest
// unacked message; none that would expire within an hour.
describe('snapshotExpiry', () => {
  test.each([
    ['no backlog', undefined, NOW + SNAPSHOT_MAX_LIFETIME_MS],
    ['a day-old backlog', NOW - 24 * HOUR, NOW + SNAPSHOT_MAX_LIFETIME_MS - 24 * HOUR],
    ['a backlog leaving exactly an hour', NOW - SNAPSHOT_MAX_LIFETIME_MS + HOUR, NOW + HOUR],
  ])('%s', (_why, oldest, expected) => {
    expect(snapshotExpiry(oldest, NOW)).toBe(expected);
  });

  test('a backlog leaving less than an hour is FAILED_PRECONDITION', () => {
    expect(codeOf(() => snapshotExpiry(NOW - SNAPSHOT_MAX_LIFETIME_MS + HOUR - 1, NOW))).toBe(
      status.FAILED_PRECONDITION,
    );
  });
});

describe('SnapshotStore', () => {
  test('keeps later publishes of its topic only, and forgets a snapshot once it expires', () => {
    let now = NOW;
    const store = new SnapshotStore(() => now);
    store.add('projects/p/snapshots/snap1', 'projects/p/topics/topic1', [message('1', NOW - HOUR)]);
    store.record(message('2', NOW));
    store.record(message('3', NOW, 'projects/p/topics/other-topic'));
    expect([...store.get('projects/p/snapshots/snap1').messages.keys()]).toEqual(['1', '2']);
    expect(store.ofTopic('projects/p/topics/topic1')).toEqual(['projects/p/snapshots/snap1']);

    now = NOW - HOUR + SNAPSHOT_MAX_LIFETIME_MS;
    expect(codeOf(() => store.get('projects/p/snapshots/snap1'))).toBe(status.NOT_FOUND);
    expect(store.list('p')).toEqual([]);
  });

  test('update refuses other fields and expire times in the past, naming the field', () => {
    const store = new SnapshotStore(() => NOW);
    store.add('projects/p/snapshots/snap1', 'projects/p/topics/topic1', []);
    expect(() => store.update({ name: 'projects/p/snapshots/snap1', topic: 'x' }, ['topic'])).toThrow('"topic"');
    expect(() =>
      store.update({ name: 'projects/p/snapshots/snap1', expireTime: { seconds: NOW / 1000 - 1, nanos: 0 } }, [
        'expire_time',
      ]),
    ).toThrow('snapshot.expire_time');
    expect(() => store.update({ name: 'projects/p/snapshots/snap1' }, [])).toThrow('update_mask');
  });
});
