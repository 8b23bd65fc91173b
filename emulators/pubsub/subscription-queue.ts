import { DeliveryRules, StoredMessage, SubscriptionResource } from './types';

/** One message's life in one subscription: attempts so far, when it may go out, its lease. */
export interface Delivery {
  message: StoredMessage;
  attempts: number;
  availableAt: number;
  ackId?: string;
  owner?: string;
  leaseUntil?: number;
}

/**
 * A subscription's messages: those waiting (possibly backing off until `availableAt`) in
 * publish order, those leased under an ack id, and acked ones kept for Seek when the
 * subscription has `retainAckedMessages`. Bookkeeping only; the broker decides.
 */
export class SubscriptionQueue {
  private ready: Delivery[] = [];
  private readonly leased = new Map<string, Delivery>();
  private acked: Delivery[] = [];

  constructor(
    public resource: SubscriptionResource,
    public rules: DeliveryRules,
  ) {}

  enqueue(d: Delivery): void {
    this.ready.push(d);
  }

  /** Removes and returns up to `max` deliverable messages, within `maxBytes` (one always fits). */
  takeReady(now: number, max: number, maxBytes?: number): Delivery[] {
    const out: Delivery[] = [];
    const keep: Delivery[] = [];
    let bytes = 0;
    for (const d of this.ready) {
      const fits = maxBytes === undefined || out.length === 0 || bytes + d.message.data.length <= maxBytes;
      if (out.length >= max || d.availableAt > now || !fits) keep.push(d);
      else {
        bytes += d.message.data.length;
        out.push(d);
      }
    }
    this.ready = keep;
    return out;
  }

  hold(d: Delivery & { ackId: string }): void {
    this.leased.set(d.ackId, d);
  }

  leaseOf(ackId: string): Delivery | undefined {
    return this.leased.get(ackId);
  }

  unhold(d: Delivery): void {
    if (d.ackId) this.leased.delete(d.ackId);
  }

  leases(): Delivery[] {
    return [...this.leased.values()];
  }

  /** An acked message kept for Seek (retainAckedMessages). */
  keepAcked(d: Delivery): void {
    this.acked.push(d);
  }

  /** The unacked messages: waiting and leased. */
  unacked(): Delivery[] {
    return [...this.ready, ...this.leased.values()];
  }

  /** Unacked and retained acked messages, the set a Seek re-marks. */
  retained(): Delivery[] {
    return [...this.unacked(), ...this.acked];
  }

  /** After a Seek (leases already dropped): `unacked` wait in publish order, `acked` are kept. */
  reset(unacked: Delivery[], acked: Delivery[]): void {
    const order = (a: Delivery, b: Delivery): number =>
      a.message.publishTimeMs - b.message.publishTimeMs || Number(a.message.messageId) - Number(b.message.messageId);
    this.ready = [...unacked].sort(order);
    this.acked = acked;
  }

  hasReady(now: number): boolean {
    return this.ready.some((d) => d.availableAt <= now);
  }

  /** Earliest future lease expiry or backoff end. */
  nextWake(now: number): number | undefined {
    let next: number | undefined;
    const consider = (t: number | undefined): void => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    for (const d of this.leased.values()) consider(d.leaseUntil);
    for (const d of this.ready) if (d.availableAt > now) consider(d.availableAt);
    return next;
  }

  get waiting(): number {
    return this.ready.length;
  }

  get leasedCount(): number {
    return this.leased.size;
  }
}
