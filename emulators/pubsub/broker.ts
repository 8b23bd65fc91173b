import { retryDelayMs } from './backoff';
import { Catalog } from './catalog';
import { deadLetterAttributes } from './dead-letter';
import { DELETED_TOPIC } from './names';
import { failedPrecondition, invalidArgument } from './rpc-error';
import { seekPartition } from './seek';
import { SnapshotResource, SnapshotStore, timestampMs } from './snapshots';
import { Delivery, SubscriptionQueue } from './subscription-queue';
import { StoredMessage, Timestamp } from './types';

/** A message handed to a subscriber (pull, stream or push) under an ack id. */
export interface Leased {
  ackId: string;
  message: StoredMessage;
  /** 0 unless the subscription has a dead-letter policy, as in the real API. */
  deliveryAttempt: number;
}

export interface DeadLetter {
  /** The dead-letter topic the message was forwarded to. */
  topic: string;
  sourceSubscription: string;
  message: StoredMessage;
}

export interface Counters {
  published: number;
  delivered: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
}

/** Without a dead-letter policy retries are bounded by retention; this caps a runaway loop. */
export const MAX_ATTEMPTS_WITHOUT_DEAD_LETTER = 1000;
const ACK_ID = /^ack-(\d+)$/;

/**
 * Message delivery with no I/O over the catalog's topics and subscriptions: per-subscription
 * queues, leases by ack id, redelivery with backoff and dead-lettering. Time comes from `now`
 * so the rules are testable; the gRPC services and the push loop drive it.
 * @see https://cloud.google.com/pubsub/docs/subscription-overview
 */
export class Broker extends Catalog {
  readonly counters: Counters = { published: 0, delivered: 0, acked: 0, redelivered: 0, deadLettered: 0 };
  readonly deadLetters: DeadLetter[] = [];
  readonly snapshots: SnapshotStore;
  private readonly owners = new Map<string, { messages: number; bytes: number }>();
  private messageSeq = 0;
  private ackSeq = 0;

  constructor(
    private readonly timeScale = 1,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.snapshots = new SnapshotStore(now);
  }

  /** Stores messages and fans them out to the topic's subscriptions; returns their ids. */
  publish(topicName: unknown, messages: Array<Omit<StoredMessage, 'messageId' | 'topic' | 'publishTimeMs'>>): string[] {
    const topic = this.getTopic(topicName);
    const ids = messages.map((m) => this.store(topic.name, m).messageId);
    this.counters.published += ids.length;
    this.onChange();
    return ids;
  }

  /**
   * Leases up to `max` deliverable messages to `owner` (a stream, a push loop or a Pull call),
   * within `maxBytes` when given (one message always fits, as flow control allows).
   */
  lease(name: unknown, max: number, owner: string, opts: { deadlineMs?: number; maxBytes?: number } = {}): Leased[] {
    const sub = this.state(name);
    const now = this.now();
    const out: Leased[] = [];
    for (const d of sub.takeReady(now, max, opts.maxBytes)) {
      d.attempts += 1;
      const ackId = `ack-${++this.ackSeq}`;
      const held = Object.assign(d, { ackId, owner, leaseUntil: now + (opts.deadlineMs ?? sub.rules.ackDeadlineMs) });
      sub.hold(held);
      this.adjustOwner(owner, 1, d.message.data.length);
      this.counters.delivered += 1;
      if (d.attempts > 1) this.counters.redelivered += 1;
      out.push({ ackId, message: d.message, deliveryAttempt: sub.rules.deadLetter ? d.attempts : 0 });
    }
    if (out.length > 0) this.onChange();
    return out;
  }

  /** Acks; ids already acked or expired are ignored like the real API (no exactly-once). */
  acknowledge(name: unknown, ackIds: unknown[]): void {
    const sub = this.state(name);
    for (const id of this.checkAckIds(ackIds)) {
      const d = sub.leaseOf(id);
      if (!d) continue;
      this.unlease(sub, d);
      if (sub.resource.retainAckedMessages) sub.keepAcked(d);
      this.counters.acked += 1;
    }
    this.onChange();
  }

  /** Extends leases; 0 seconds is a nack. */
  modifyAckDeadline(name: unknown, ackIds: unknown[], seconds: number): void {
    const sub = this.state(name);
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 600) {
      throw invalidArgument(`Invalid ack_deadline_seconds: ${seconds}. It must be between 0 and 600.`);
    }
    const now = this.now();
    for (const id of this.checkAckIds(ackIds)) {
      const d = sub.leaseOf(id);
      if (!d) continue;
      if (seconds === 0) this.release(d, sub);
      else d.leaseUntil = now + seconds * 1000;
    }
    this.onChange();
  }

  /** Returns expired leases to their queues (or the dead-letter topic). */
  expireLeases(): void {
    const now = this.now();
    for (const sub of this.subs.values()) {
      for (const d of sub.leases()) if ((d.leaseUntil ?? 0) <= now) this.release(d, sub);
    }
  }

  /** Earliest time something happens without a call: a lease expires or a backoff ends. */
  nextWakeAt(): number | undefined {
    const now = this.now();
    const times = [...this.subs.values()].map((s) => s.nextWake(now)).filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  hasReady(name: string): boolean {
    const now = this.now();
    return this.subs.get(name)?.hasReady(now) ?? false;
  }

  outstanding(owner: string): { messages: number; bytes: number } {
    return this.owners.get(owner) ?? { messages: 0, bytes: 0 };
  }

  /**
   * CreateSnapshot: the subscription's unacked messages now, and every message published to its
   * topic from now on, until the snapshot expires.
   * @see https://cloud.google.com/pubsub/docs/replay-overview
   */
  createSnapshot(name: unknown, subscription: unknown, labels?: Record<string, string>): SnapshotResource {
    const sub = this.state(subscription);
    if (sub.resource.topic === DELETED_TOPIC) {
      throw failedPrecondition(`The topic of ${sub.resource.name} was deleted: it cannot be snapshotted.`);
    }
    const backlog = sub.unacked().map((d) => d.message);
    return this.snapshots.add(name, sub.resource.topic, backlog, labels);
  }

  /**
   * Seek: to a time, retained messages published before it become acked and the others unacked;
   * to a snapshot, exactly the snapshot's messages become unacked. Outstanding leases end (their
   * ack ids stop working); acked messages stay only with `retainAckedMessages`.
   * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#seekrequest
   */
  seek(name: unknown, target: { snapshot?: unknown; time?: Timestamp }): void {
    const sub = this.state(name);
    let unacked: (m: StoredMessage) => boolean;
    let extra: StoredMessage[] = [];
    if (target.snapshot) {
      const snapshot = this.snapshots.get(target.snapshot);
      if (snapshot.resource.topic !== sub.resource.topic) {
        throw failedPrecondition(
          `The subscription's topic ${sub.resource.topic} is different from that of the snapshot ${snapshot.resource.topic}; they must match.`,
        );
      }
      unacked = (m) => snapshot.messages.has(m.messageId);
      extra = [...snapshot.messages.values()];
    } else if (target.time) {
      const at = timestampMs(target.time, 'time');
      unacked = (m) => m.publishTimeMs >= at;
    } else {
      throw invalidArgument('No target was specified in the SeekRequest. Must specify either a time or a snapshot.');
    }
    const { unacked: toUnacked, acked: toAcked } = seekPartition({
      retained: sub.retained(),
      unackedIds: new Set(sub.unacked().map((d) => d.message.messageId)),
      snapshotMessages: extra,
      isUnacked: unacked,
      now: this.now(),
      retentionMs: sub.rules.retentionMs,
      retainAcked: sub.resource.retainAckedMessages === true,
    });
    this.forgetLeases(sub);
    sub.reset(toUnacked, toAcked);
    this.onChange();
  }

  private store(topic: string, m: Omit<StoredMessage, 'messageId' | 'topic' | 'publishTimeMs'>): StoredMessage {
    const message: StoredMessage = { ...m, messageId: String(++this.messageSeq), topic, publishTimeMs: this.now() };
    this.snapshots.record(message);
    for (const sub of this.subs.values()) {
      if (sub.resource.topic === topic) sub.enqueue({ message, attempts: 0, availableAt: message.publishTimeMs });
    }
    return message;
  }

  protected forgetLeases(sub: SubscriptionQueue): void {
    for (const d of sub.leases()) this.unlease(sub, d);
  }

  private checkAckIds(ackIds: unknown[]): string[] {
    for (const id of ackIds) {
      if (typeof id !== 'string' || !ACK_ID.test(id)) {
        throw invalidArgument(`You have passed an invalid ack ID to the service (ack_id=${String(id)}).`);
      }
    }
    return ackIds as string[];
  }

  private unlease(sub: SubscriptionQueue, d: Delivery): void {
    if (!d.ackId) return;
    sub.unhold(d);
    if (d.owner) this.adjustOwner(d.owner, -1, -d.message.data.length);
    d.ackId = undefined;
    d.owner = undefined;
    d.leaseUntil = undefined;
  }

  /** A delivery failed (nack, expiry, push error): back off, or dead-letter after the last attempt. */
  private release(d: Delivery, sub: SubscriptionQueue): void {
    this.unlease(sub, d);
    const now = this.now();
    const { rules } = sub;
    if (rules.deadLetter && d.attempts >= rules.deadLetter.maxAttempts) {
      this.deadLetter(sub, d);
      return;
    }
    if (d.attempts >= MAX_ATTEMPTS_WITHOUT_DEAD_LETTER || now - d.message.publishTimeMs > rules.retentionMs) return;
    d.availableAt = now + retryDelayMs(d.attempts, rules, this.timeScale);
    sub.enqueue(d);
    this.onChange();
  }

  private deadLetter(sub: SubscriptionQueue, d: Delivery): void {
    const topic = sub.rules.deadLetter?.topic as string;
    const attributes = deadLetterAttributes(d.message, d.attempts, sub.resource.name);
    const forwarded = this.topicMap.has(topic)
      ? this.store(topic, { data: d.message.data, attributes, orderingKey: d.message.orderingKey })
      : { ...d.message, attributes, topic };
    this.deadLetters.push({ topic, sourceSubscription: sub.resource.name, message: forwarded });
    this.counters.deadLettered += 1;
    this.onChange();
  }

  private adjustOwner(owner: string, messages: number, bytes: number): void {
    const o = this.owners.get(owner) ?? { messages: 0, bytes: 0 };
    o.messages += messages;
    o.bytes += bytes;
    if (o.messages <= 0) this.owners.delete(owner);
    else this.owners.set(owner, o);
  }
}
