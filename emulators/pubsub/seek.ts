import { Delivery } from './subscription-queue';
import { StoredMessage } from './types';

/** What a Seek starts from: the subscription's messages now, and what the seek target says. */
export interface SeekInput {
  /** Unacked (waiting and leased) and retained acked messages of the subscription. */
  retained: Delivery[];
  /** Ids of those that are unacked now. */
  unackedIds: Set<string>;
  /** Messages a snapshot keeps that the subscription no longer has. */
  snapshotMessages: StoredMessage[];
  /** The target's rule: published at or after the time, or kept by the snapshot. */
  isUnacked(message: StoredMessage): boolean;
  now: number;
  retentionMs: number;
  retainAcked: boolean;
}

/**
 * The messages a Seek leaves unacked (deliverable now) and acked (kept only with
 * retainAckedMessages), within the subscription's retention. A message that was acked and comes
 * back starts its delivery attempts afresh.
 * @see https://cloud.google.com/pubsub/docs/replay-overview
 */
export function seekPartition(input: SeekInput): { unacked: Delivery[]; acked: Delivery[] } {
  const all = new Map(input.retained.map((d) => [d.message.messageId, d]));
  for (const m of input.snapshotMessages)
    if (!all.has(m.messageId)) all.set(m.messageId, { message: m, attempts: 0, availableAt: input.now });
  const live = [...all.values()].filter((d) => input.now - d.message.publishTimeMs <= input.retentionMs);
  const unacked = live.filter((d) => input.isUnacked(d.message));
  for (const d of unacked) {
    d.availableAt = input.now;
    if (!input.unackedIds.has(d.message.messageId)) d.attempts = 0;
  }
  const acked = input.retainAcked ? live.filter((d) => !input.isUnacked(d.message)) : [];
  return { unacked, acked };
}
