/**
 * Errors in the Google REST shape `{ error: { code, message, status } }`, which firebase-admin
 * turns into `FirebaseMachineLearningError` by `status`
 * (https://cloud.google.com/apis/design/errors#http_mapping).
 */

/** Canonical status name → [HTTP status, google.rpc.Code]. */
const CANONICAL = {
  CANCELLED: [499, 1],
  UNKNOWN: [500, 2],
  INVALID_ARGUMENT: [400, 3],
  DEADLINE_EXCEEDED: [504, 4],
  NOT_FOUND: [404, 5],
  ALREADY_EXISTS: [409, 6],
  PERMISSION_DENIED: [403, 7],
  RESOURCE_EXHAUSTED: [429, 8],
  FAILED_PRECONDITION: [400, 9],
  ABORTED: [409, 10],
  OUT_OF_RANGE: [400, 11],
  UNIMPLEMENTED: [501, 12],
  INTERNAL: [500, 13],
  UNAVAILABLE: [503, 14],
  DATA_LOSS: [500, 15],
  UNAUTHENTICATED: [401, 16],
} as const satisfies Record<string, readonly [number, number]>;

export type CanonicalStatus = keyof typeof CANONICAL;

/** A request the emulator refuses; `status` is the canonical name the SDK maps to an error code. */
export class RestError extends Error {
  readonly httpStatus: number;
  readonly rpcCode: number;

  /** `httpStatus` overrides the canonical one (injected faults keep the HTTP code they were given). */
  constructor(
    readonly status: CanonicalStatus,
    message: string,
    httpStatus?: number,
  ) {
    super(message);
    this.name = 'RestError';
    this.httpStatus = httpStatus ?? CANONICAL[status][0];
    this.rpcCode = CANONICAL[status][1];
  }

  toJSON(): { error: { code: number; message: string; status: string } } {
    return { error: { code: this.httpStatus, message: this.message, status: this.status } };
  }
}

/** The canonical name Google uses for an HTTP status (used for injected faults given as HTTP codes). */
export function statusForHttp(httpStatus: number): CanonicalStatus {
  const byHttp: Record<number, CanonicalStatus> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    429: 'RESOURCE_EXHAUSTED',
    499: 'CANCELLED',
    500: 'INTERNAL',
    501: 'UNIMPLEMENTED',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return byHttp[httpStatus] ?? (httpStatus >= 500 ? 'INTERNAL' : 'UNKNOWN');
}

/** The `google.rpc.Code` number of a canonical status (for `state.validationError`). */
export function rpcCodeOf(status: CanonicalStatus): number {
  return CANONICAL[status][1];
}

/** An injected fault answered with the given HTTP status and the matching canonical status. */
export function faultError(httpStatus: number, message: string): RestError {
  return new RestError(statusForHttp(httpStatus), message, httpStatus);
}
