/**
 * Cloud Storage JSON API error bodies, shaped exactly as GCS answers them so that the official
 * client raises the same `ApiError` (`.code`, `.errors[0].reason`) it raises against Google.
 * @see https://cloud.google.com/storage/docs/json_api/v1/status-codes
 */
export interface GcsErrorItem {
  domain: string;
  reason: string;
  message: string;
  locationType?: string;
  location?: string;
}

export interface GcsErrorBody {
  error: { code: number; message: string; errors: GcsErrorItem[] };
}

/** An error the emulator answers with; thrown anywhere below the router and rendered once. */
export class GcsHttpError extends Error {
  /** Why a precondition failed, for logs; GCS does not say, so it is not sent. */
  detail?: string;

  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly extra: Partial<GcsErrorItem> = {},
  ) {
    super(message);
  }

  toBody(): GcsErrorBody {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ domain: 'global', reason: this.reason, message: this.message, ...this.extra }],
      },
    };
  }
}

const REASON_BY_STATUS: Record<number, string> = {
  400: 'invalid',
  401: 'required',
  403: 'forbidden',
  404: 'notFound',
  408: 'requestTimeout',
  409: 'conflict',
  412: 'conditionNotMet',
  413: 'uploadTooLarge',
  416: 'requestedRangeNotSatisfiable',
  429: 'rateLimitExceeded',
  500: 'backendError',
  502: 'backendError',
  503: 'backendError',
  504: 'backendError',
};

export function badRequest(message: string): GcsHttpError {
  return new GcsHttpError(400, 'invalid', message);
}

export function noSuchObject(bucket: string, name: string): GcsHttpError {
  return new GcsHttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
}

export function noSuchBucket(): GcsHttpError {
  return new GcsHttpError(404, 'notFound', 'The specified bucket does not exist.');
}

/** The 412 GCS returns for every failed `if*Match` precondition (the message is always this one). */
export function preconditionFailed(detail: string): GcsHttpError {
  const error = new GcsHttpError(
    412,
    'conditionNotMet',
    'At least one of the pre-conditions you specified did not hold.',
    {
      locationType: 'header',
      location: 'If-Match',
    },
  );
  error.detail = detail;
  return error;
}

/** An injected fault rendered as the error GCS itself would send for that status. */
export function injectedError(status: number, message: string): GcsHttpError {
  return new GcsHttpError(status, REASON_BY_STATUS[status] ?? 'backendError', message);
}
