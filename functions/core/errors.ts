import { GRPC } from './grpc-codes';

/**
 * Transient errors are retried (the function throws and Pub/Sub/Eventarc redeliver with
 * backoff); permanent ones end the run with a reason. gRPC codes as google-gax reports them,
 * HTTP statuses as the REST clients do.
 * @see https://cloud.google.com/apis/design/errors#handling_errors
 */
const TRANSIENT_GRPC = new Set<number>([
  GRPC.DEADLINE_EXCEEDED,
  GRPC.RESOURCE_EXHAUSTED,
  GRPC.ABORTED,
  GRPC.INTERNAL,
  GRPC.UNAVAILABLE,
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

/**
 * firebase-admin reports every failed OAuth2 token fetch as `app/invalid-credential`, whatever
 * the cause: its token refresh (`lib/app/firebase-app.js`, `refreshToken`) wraps the credential's
 * error as `...failed to fetch a valid Google OAuth2 access token with the following error:
 * "<cause>".` with no status or cause object. A 5xx, 408 or 429 from the token endpoint, or a
 * dropped connection, is an outage worth a retry, not a bad key: the cause's text is all there is
 * to tell them apart. Texts: gaxios "Request failed with status code 503" (google-auth-library);
 * ferry's emulator exchange "(HTTP 503)"; RFC 6749's `temporarily_unavailable` / `server_error`.
 */
const FIREBASE_TOKEN_FAILURE = 'app/invalid-credential';
const TRANSIENT_TOKEN_CAUSE =
  /\(HTTP (?:408|429|5\d\d)\)|status code (?:408|429|5\d\d)\b|\b(?:ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN|ENOTFOUND)\b|socket hang up|timed out|temporarily_unavailable|server_error/;

export type ErrorClass = 'transient' | 'permanent';

/**
 * What a port (pipeline/ports.ts) reports in its own terms, so stages never read a client's
 * status codes: `busy` (the resource runs another operation; try again later), `not-found`,
 * `already-exists` (an earlier attempt made it), `invalid` (the request was refused as malformed),
 * `not-runnable` (a well-formed model the runtime cannot execute, e.g. a custom op it lacks),
 * `conflict` (a compare-and-set write lost: someone changed the resource since it was read, e.g. a
 * Remote Config template's ETag; re-read and decide again).
 * Adapters translate their clients' errors into these; anything else passes through untranslated.
 */
export type PortErrorKind = 'busy' | 'not-found' | 'already-exists' | 'invalid' | 'not-runnable' | 'conflict';

export class PortError extends Error {
  override readonly name = 'PortError';

  constructor(
    readonly kind: PortErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a PortError (of `kind`, when given). */
export function isPortError(error: unknown, kind?: PortErrorKind): error is PortError {
  return error instanceof PortError && (kind === undefined || error.kind === kind);
}

/** Only `busy` is worth another delivery; the other kinds will not change by retrying. */
const TRANSIENT_PORT: ReadonlySet<PortErrorKind> = new Set(['busy']);

export function classifyError(error: unknown): ErrorClass {
  if (error instanceof PortError) return TRANSIENT_PORT.has(error.kind) ? 'transient' : 'permanent';
  if (typeof error !== 'object' || error === null) return 'permanent';
  const { code, status, statusCode } = error as { code?: unknown; status?: unknown; statusCode?: unknown };
  const http = [code, status, statusCode].find((v) => typeof v === 'number' && v >= 100) as number | undefined;
  if (http !== undefined) return http === 429 || http === 408 || http >= 500 ? 'transient' : 'permanent';
  if (typeof code === 'number') return TRANSIENT_GRPC.has(code) ? 'transient' : 'permanent';
  if (typeof code === 'string' && TRANSIENT_NODE.has(code)) return 'transient';
  if (code === FIREBASE_TOKEN_FAILURE)
    return TRANSIENT_TOKEN_CAUSE.test(errorMessage(error)) ? 'transient' : 'permanent';
  if (typeof code === 'string' && code.includes('/') && TRANSIENT_FIREBASE.has(code.slice(code.indexOf('/') + 1)))
    return 'transient';
  return 'permanent';
}

/** An error the delivery should be retried for (gRPC ABORTED: try again later). */
export function retryLater(message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code: GRPC.ABORTED });
}

/** The one-line message of any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0];
  return String(error);
}
