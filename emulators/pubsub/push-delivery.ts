import http from 'node:http';
import https from 'node:https';
import { delayCall, FaultInjector } from '../faults';
import { Broker, Leased } from './broker';
import { PushTokenSigner } from './oidc-token';
import { PushRequest, toPushRequest } from './push-envelope';
import { DeliveryRules } from './types';

/** Deliveries in flight per push subscription, like the push flow-control window. */
export const MAX_PUSH_IN_FLIGHT = 64;

/**
 * Pushes messages of push subscriptions as Pub/Sub does: one HTTP POST per message whose body is
 * the JSON push envelope (or the raw data with `noWrapper`), with `Authorization: Bearer <OIDC
 * token>` when the subscription has `oidcToken`. 102/200/201/202/204 ack; any other status, a network
 * error or no answer within the ack deadline is a nack (backoff, then dead letter).
 * The `push` fault decides per attempt: `fail` drops the attempt as if the target failed,
 * `duplicate` delivers it twice.
 * @see https://cloud.google.com/pubsub/docs/push#receive_push
 */
export class PushDelivery {
  private readonly inFlight = new Map<string, number>();
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: MAX_PUSH_IN_FLIGHT });
  private readonly tlsAgent = new https.Agent({ keepAlive: true, maxSockets: MAX_PUSH_IN_FLIGHT });
  private readonly requests = new Set<http.ClientRequest>();
  private stopped = false;
  /** Signs the push OIDC tokens (a local key, not Google's). */
  readonly tokens = new PushTokenSigner();

  constructor(
    private readonly broker: Broker,
    private readonly faults: FaultInjector,
  ) {}

  dispatch(subscription: string): void {
    const rules = this.broker.rules(subscription);
    if (this.stopped || !rules?.pushEndpoint || !this.broker.hasReady(subscription)) return;
    const busy = this.inFlight.get(subscription) ?? 0;
    if (busy >= MAX_PUSH_IN_FLIGHT) return;
    const leased = this.broker.lease(subscription, MAX_PUSH_IN_FLIGHT - busy, `push:${subscription}`);
    this.inFlight.set(subscription, busy + leased.length);
    for (const l of leased) void this.deliver(subscription, rules, l);
  }

  stop(): void {
    this.stopped = true;
    for (const req of this.requests) req.destroy();
    this.agent.destroy();
    this.tlsAgent.destroy();
  }

  private async deliver(subscription: string, rules: DeliveryRules, l: Leased): Promise<void> {
    const endpoint = rules.pushEndpoint as string;
    const timeoutMs = rules.ackDeadlineMs;
    const request = toPushRequest(l.message, subscription, l.deliveryAttempt, {
      ...(rules.noWrapper ? { noWrapper: rules.noWrapper } : {}),
      ...(rules.pushAuth
        ? { authorization: `Bearer ${this.tokens.token(rules.pushAuth.serviceAccountEmail, rules.pushAuth.audience)}` }
        : {}),
    });
    const decision = this.faults.take('push');
    let ok = false;
    try {
      await delayCall(decision);
      if (!decision.fail && !this.stopped) {
        const sends = [this.post(endpoint, request, timeoutMs)];
        if (decision.duplicate) {
          this.broker.counters.delivered += 1;
          sends.push(this.post(endpoint, request, timeoutMs));
        }
        ok = (await Promise.all(sends)).some(Boolean);
      }
    } finally {
      this.inFlight.set(subscription, (this.inFlight.get(subscription) ?? 1) - 1);
    }
    if (this.stopped) return;
    try {
      if (ok) this.broker.acknowledge(subscription, [l.ackId]);
      else this.broker.modifyAckDeadline(subscription, [l.ackId], 0);
    } catch {
      // The subscription was deleted while the request was in flight: nothing left to settle.
    }
  }

  /** Resolves true on an acking status; never rejects. */
  private post(endpoint: string, push: PushRequest, timeoutMs: number): Promise<boolean> {
    const body = push.body;
    const url = new URL(endpoint);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.tlsAgent : this.agent,
          headers: { ...push.headers, 'content-length': String(body.length) },
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve([102, 200, 201, 202, 204].includes(res.statusCode ?? 0)));
          res.on('error', () => resolve(false));
        },
      );
      this.requests.add(req);
      req.on('close', () => this.requests.delete(req));
      req.on('timeout', () => req.destroy(new Error(`push to ${endpoint} timed out after ${timeoutMs} ms`)));
      req.on('error', () => resolve(false));
      req.end(body);
    });
  }
}
