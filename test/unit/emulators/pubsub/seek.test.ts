import { seekPartition, SeekInput } from '../../../../emulators/pubsub/seek';
import { Delivery } from '../../../../emulators/pubsub/subscription-queue';
import { StoredMessage } from '../../../../emulators/pubsub/types';

const NOW = 1_000_000;
const message = (id: string, publishTimeMs: number): StoredMessage => ({
  messageId: id,
  topic: 'projects/p/topics/topic1',
  data: Buffer.from(id),
  attributes: {},
  publishTimeMs,
  orderingKey: '',
});
const delivery = (id: string, publishTimeMs: number, attempts = 2): Delivery => ({
  message: message(id, publishTimeMs),
  attempts,
  availableAt: NOW + 5000,
});
const base = (over: Partial<SeekInput>): SeekInput => ({
  retained: [],
  unackedIds: new Set(),
  snapshotMessages: [],
  isUnacked: () => true,
  now: NOW,
  retentionMs: 10_000,
  retainAcked: true,
  ...over,
});
const ids = (ds: Delivery[]) => ds.map((d) => d.message.messageId).sort();

describe('seekPartition', () => {
  test('splits by the target rule; replayed messages start afresh, unacked ones keep their attempts', () => {
    const { unacked, acked } = seekPartition(
      base({
        retained: [delivery('1', NOW - 100), delivery('2', NOW - 50), delivery('3', NOW - 10)],
        unackedIds: new Set(['3']),
        isUnacked: (m) => m.publishTimeMs >= NOW - 60,
      }),
    );
    expect(ids(unacked)).toEqual(['2', '3']);
    expect(ids(acked)).toEqual(['1']);
    expect(unacked.map((d) => [d.message.messageId, d.attempts, d.availableAt]).sort()).toEqual([
      ['2', 0, NOW],
      ['3', 2, NOW],
    ]);
  });

  test('adds the snapshot messages the subscription no longer has, once', () => {
    const { unacked } = seekPartition(
      base({
        retained: [delivery('1', NOW - 100)],
        snapshotMessages: [message('1', NOW - 100), message('9', NOW - 1)],
      }),
    );
    expect(ids(unacked)).toEqual(['1', '9']);
  });

  test('drops what is past retention, and acked messages without retainAckedMessages', () => {
    const { unacked, acked } = seekPartition(
      base({
        retained: [delivery('old', NOW - 20_000), delivery('acked', NOW - 10)],
        isUnacked: (m) => m.messageId === 'old',
        retainAcked: false,
      }),
    );
    expect(unacked).toEqual([]);
    expect(acked).toEqual([]);
  });
});
