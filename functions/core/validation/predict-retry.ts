/**
 * How validation rides out the weather: a Predict that fails transiently (429 RESOURCE_EXHAUSTED,
 * 503 UNAVAILABLE, DEADLINE_EXCEEDED; core/errors.ts) is retried after an exponential backoff, and
 * an invocation that meets more transient failures than its budget stops sampling and hands the
 * run on (the stage message is published again) instead of judging the model on them.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions
 * @see https://cloud.google.com/apis/design/errors#error_retries
 */
export const PREDICT_RETRY = {
  initialBackoffMs: 250,
  maxBackoffMs: 10_000,
  multiplier: 2,
  /** Transient failures one invocation tolerates before handing on (about 2.5 min of backoff). */
  transientBudget: 20,
} as const;

/**
 * Validation handed on for this long without reaching a decision (Predict kept failing) ends the
 * run failed, traffic restored: the same patience as a retried event (FERRY_MAX_EVENT_AGE_MS).
 */
export const VALIDATION_PATIENCE_MS = 6 * 60 * 60 * 1000;

/** The wait before the retry that follows `consecutive` transient failures in a row (1, 2, ...). */
export function backoffMs(consecutive: number): number {
  const exponent = Math.max(0, consecutive - 1);
  return Math.min(PREDICT_RETRY.maxBackoffMs, PREDICT_RETRY.initialBackoffMs * PREDICT_RETRY.multiplier ** exponent);
}
