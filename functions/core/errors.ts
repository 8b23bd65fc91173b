/**
 * Transient errors are retried (the function throws and Pub/Sub/Eventarc redeliver with
 * backoff); permanent ones end the run with a reason. gRPC codes as google-gax reports them,
 * HTTP statuses as the REST clients do.
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 */
const TRANSIENT_GRPC = new Set([
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED
  10, // ABORTED
  13, // INTERNAL
  14, // UNAVAILABLE
]);
const TRANSIENT_NODE = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ESOCKETTIMEDOUT',
]);
/** firebase-admin reports no HTTP status, only `<service>/<code>` (e.g. `machine-learning/resource-exhausted` for a 429). */
const TRANSIENT_FIREBASE = new Set([
  'resource-exhausted',
  'service-unavailable',
  'deadline-exceeded',
  'aborted',
  'internal-error',
]);

export type ErrorClass = 'transient' | 'permanent';

export function classifyError(error: unknown): ErrorClass {
  if (typeof error !== 'object' || error === null) return 'permanent';
  const { code, status, statusCode } = error as { code?: unknown; status?: unknown; statusCode?: unknown };
  const http = [code, status, statusCode].find((v) => typeof v === 'number' && v >= 100) as number | undefined;
  if (http !== undefined) return http === 429 || http === 408 || http >= 500 ? 'transient' : 'permanent';
  if (typeof code === 'number') return TRANSIENT_GRPC.has(code) ? 'transient' : 'permanent';
  if (typeof code === 'string' && TRANSIENT_NODE.has(code)) return 'transient';
  if (typeof code === 'string' && code.includes('/') && TRANSIENT_FIREBASE.has(code.slice(code.indexOf('/') + 1)))
    return 'transient';
  return 'permanent';
}

/** An error the delivery should be retried for (gRPC ABORTED: try again later). */
export function retryLater(message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code: 10 });
}

/** The one-line message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0];
  return String(error);
}
