import { Broker } from './broker';
import { PullWaiters } from './pull-waiters';
import { PushDelivery } from './push-delivery';
import { StreamingPullHub } from './streaming-pull';

/**
 * The one place time moves: expires leases, hands ready messages to streams and push
 * endpoints, wakes waiting Pull calls, then sleeps until the next lease expiry or backoff end. Coalesces kicks into one
 * pass per event-loop turn so a burst of publishes costs one dispatch.
 */
export class DeliveryLoop {
  private scheduled = false;
  private timer?: NodeJS.Timeout;
  private timerAt?: number;
  private stopped = false;

  constructor(
    private readonly broker: Broker,
    private readonly hub: StreamingPullHub,
    private readonly push: PushDelivery,
    private readonly pulls: PullWaiters,
  ) {}

  kick(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.run());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private run(): void {
    this.scheduled = false;
    if (this.stopped) return;
    this.broker.expireLeases();
    for (const name of this.hub.subscriptionsWithStreams()) this.hub.dispatch(name);
    for (const { resource } of this.broker.subscriptionStates()) this.push.dispatch(resource.name);
    this.pulls.wake((name) => this.broker.hasReady(name));
    const next = this.broker.nextWakeAt();
    if (next === undefined || (this.timerAt !== undefined && this.timerAt <= next && this.timer)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = next;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = undefined;
        this.kick();
      },
      Math.max(0, next - Date.now()) + 1,
    );
    this.timer.unref();
  }
}
