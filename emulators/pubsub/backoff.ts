import { DeliveryRules } from './types';

/**
 * Delay before the next delivery after `failedAttempts` failed ones: exponential from the retry
 * policy's minimum, capped at its maximum, then multiplied by `timeScale` so tests run fast.
 * Without a retry policy, pull and push alike redeliver at once: "If a retry policy isn't set,
 * Pub/Sub resends the message as soon as the acknowledgment deadline expires or a message is
 * negatively acknowledged" (the 10–600 s backoff is what Eventarc's triggers set, not a default).
 * @see https://cloud.google.com/pubsub/docs/handling-failures#subscription_retry_policy
 */
export function retryDelayMs(failedAttempts: number, rules: DeliveryRules, timeScale: number): number {
  const policy = rules.retry;
  if (!policy) return 0;
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const delay = Math.min(policy.minMs * 2 ** exponent, policy.maxMs);
  return delay * timeScale;
}
