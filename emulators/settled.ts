import type { PubSubEmulator } from './pubsub';
import type { PushSubscription } from './storage/push-delivery';

/** How often `waitUntilSettled` looks again while something is still on its way (it reads memory only). */
const LOOK_EVERY_MS = 10;

/**
 * True when nothing is on its way to a function: no storage event in flight or backing off, and
 * every push subscription has no message waiting, backing off or leased. Both are read in the same
 * turn of the event loop. A function runs only inside a push it has not answered yet, and it
 * publishes its next message before answering, so this is also "no function is running and none
 * is about to": the moment an absence (no run started, no further call) can be asserted.
 * Pull subscriptions (audit and dead-letter inboxes nobody reads) are not deliveries and do not count.
 */
export function isSettled(pubsub: PubSubEmulator, triggers: readonly PushSubscription[]): boolean {
  if (triggers.some((trigger) => trigger.busy)) return false;
  return pubsub.subscriptions().every((sub) => sub.pushEndpoint === undefined || sub.backlog === 0);
}

/**
 * Resolves at the first moment `isSettled` holds; rejects after `timeoutMs` naming what is still
 * outstanding (a delivery retried forever is a bug the caller should see, not a hang).
 */
export async function waitUntilSettled(
  pubsub: PubSubEmulator,
  triggers: readonly PushSubscription[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isSettled(pubsub, triggers)) {
    if (Date.now() > deadline) {
      const busy = pubsub.subscriptions().filter((sub) => sub.pushEndpoint !== undefined && sub.backlog > 0);
      const storage = triggers.some((trigger) => trigger.busy) ? ['storage events'] : [];
      throw new Error(
        `the local stack did not settle within ${timeoutMs} ms; still outstanding: ${[
          ...storage,
          ...busy.map((sub) => `${sub.name} (${sub.backlog})`),
        ].join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
  }
}
