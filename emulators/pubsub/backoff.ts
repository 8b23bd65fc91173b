import { DeliveryRules } from './types';
import { DEFAULT_MAX_BACKOFF_S, DEFAULT_MIN_BACKOFF_S } from './subscription-config';

/**
 * Delay before the next delivery after `failedAttempts` failed ones: exponential from the retry
 * policy's minimum, capped at its maximum, then multiplied by `timeScale` so tests run fast.
 * Pull subscriptions without a retry policy redeliver at once; push ones use the 10 s–600 s
 * default Eventarc triggers get.
 * @see https://cloud.google.com/pubsub/docs/handling-failures#subscription_retry_policy
 */
export function retryDelayMs(failedAttempts: number, rules: DeliveryRules, timeScale: number): number {
  const policy =
    rules.retry ??
    (rules.pushEndpoint ? { minMs: DEFAULT_MIN_BACKOFF_S * 1000, maxMs: DEFAULT_MAX_BACKOFF_S * 1000 } : undefined);
  if (!policy) return 0;
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  const delay = Math.min(policy.minMs * 2 ** exponent, policy.maxMs);
  return delay * timeScale;
}
