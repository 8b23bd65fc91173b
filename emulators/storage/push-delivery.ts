import { request } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { FaultInjector } from '../faults';
import { binaryModeRequest } from './cloud-events';
import type { StorageCloudEvent, StorageEventType } from './cloud-events';

/** Redelivery policy, like an Eventarc trigger with retries on (real: 10–600 s backoff). */
export interface RetryPolicy {
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Attempts in all, the first one included. */
  maxAttempts: number;
}

/** Where and how to push events, the way an Eventarc trigger targets a Cloud Run / gen2 function. */
export interface PushTarget {
  url: string;
  eventTypes: StorageEventType[];
  bucket?: string;
  retry: RetryPolicy;
  /** Multiplies every backoff, so tests can run real policies quickly (e.g. 0.001). Default 1. */
  timeScale?: number;
  /** Per-attempt timeout; a hung target counts as a failed attempt. Default 30 s. */
  attemptTimeoutMs?: number;
}

export interface DeliveryStats {
  delivered: number;
  /** Attempts after the first one, over all events. */
  redelivered: number;
  dropped: number;
  /** Extra deliveries caused by injected duplicates. */
  duplicated: number;
  droppedEvents: Array<{ event: StorageCloudEvent; attempts: number; lastError: string }>;
}

/** Wait before attempt `attempt + 1`: doubling from minBackoffMs, capped at maxBackoffMs, times `timeScale`. */
export function backoffMs(retry: RetryPolicy, attempt: number, timeScale = 1): number {
  return Math.min(retry.maxBackoffMs, retry.minBackoffMs * 2 ** (attempt - 1)) * timeScale;
}

/**
 * Pushes matching events to one HTTP target: 2xx acknowledges; any other status, a connection
 * error or a timeout is retried with exponential backoff until `maxAttempts`, then dropped and
 * recorded. The `push` fault method can fail, delay or duplicate each attempt.
 * @see https://cloud.google.com/eventarc/docs/retry-events
 */
export class PushSubscription {
  private readonly stats: DeliveryStats = {
    delivered: 0,
    redelivered: 0,
    dropped: 0,
    duplicated: 0,
    droppedEvents: [],
  };
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly inFlight = new Set<ClientRequest>();
  private closed = false;

  constructor(
    readonly target: PushTarget,
    private readonly faults: FaultInjector,
  ) {
    if (
      !(target.retry.maxAttempts >= 1) ||
      !(target.retry.minBackoffMs >= 0) ||
      !(target.retry.maxBackoffMs >= target.retry.minBackoffMs)
    ) {
      throw new Error(`subscribe(${target.url}): retry needs maxAttempts >= 1 and 0 <= minBackoffMs <= maxBackoffMs.`);
    }
    new URL(target.url);
  }

  matches(event: StorageCloudEvent): boolean {
    return (
      this.target.eventTypes.includes(event.type) &&
      (this.target.bucket === undefined || event.data.bucket === this.target.bucket)
    );
  }

  deliver(event: StorageCloudEvent): void {
    if (this.closed || !this.matches(event)) return;
    this.track(this.attempt(event, 1));
  }

  deliveryStats(): DeliveryStats {
    return { ...this.stats, droppedEvents: [...this.stats.droppedEvents] };
  }

  /** True while a delivery is in flight or waiting for its backoff. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Resolves once no delivery is in flight or waiting for its backoff. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
    for (const req of this.inFlight) req.destroy(new Error('subscription closed'));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async attempt(event: StorageCloudEvent, attempt: number): Promise<void> {
    if (this.closed) return;
    if (attempt > 1) this.stats.redelivered += 1;
    const fault = this.faults.take('push');
    if (fault.held) await fault.held;
    if (fault.latencyMs > 0) await this.sleep(fault.latencyMs);
    let error: string | undefined;
    if (fault.fail) error = `injected: ${fault.fail.message}`;
    else {
      error = await this.post(event);
      if (error === undefined && fault.duplicate) {
        this.stats.duplicated += 1;
        await this.post(event);
      }
    }
    if (error === undefined) {
      this.stats.delivered += 1;
      return;
    }
    // Stopped while this attempt was open (close() cut it): no backoff may start after close().
    if (this.closed) return;
    if (attempt >= this.target.retry.maxAttempts) {
      this.stats.dropped += 1;
      this.stats.droppedEvents.push({ event, attempts: attempt, lastError: error });
      return;
    }
    await this.sleep(backoffMs(this.target.retry, attempt, this.target.timeScale));
    if (!this.closed) await this.attempt(event, attempt + 1);
  }

  /** One POST; resolves to undefined on 2xx, else to a description of what went wrong. */
  private post(event: StorageCloudEvent): Promise<string | undefined> {
    const { headers, body } = binaryModeRequest(event);
    return new Promise((resolve) => {
      const req = request(
        this.target.url,
        { method: 'POST', headers, timeout: this.target.attemptTimeoutMs ?? 30_000 },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve(status >= 200 && status < 300 ? undefined : `HTTP ${status}`);
          });
          res.on('error', (err) => resolve(`response error: ${err.message}`));
        },
      );
      this.inFlight.add(req);
      req.on('close', () => this.inFlight.delete(req));
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => resolve(`connection error: ${err.message}`));
      req.end(body);
    });
  }

  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}
