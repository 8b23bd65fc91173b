import { status } from '@grpc/grpc-js';

/** HTTP status for each gRPC code, as https://cloud.google.com/apis/design/errors#handling_errors maps them. */
const HTTP_STATUS: Record<number, number> = {
  [status.OK]: 200,
  [status.CANCELLED]: 499,
  [status.UNKNOWN]: 500,
  [status.INVALID_ARGUMENT]: 400,
  [status.DEADLINE_EXCEEDED]: 504,
  [status.NOT_FOUND]: 404,
  [status.ALREADY_EXISTS]: 409,
  [status.PERMISSION_DENIED]: 403,
  [status.RESOURCE_EXHAUSTED]: 429,
  [status.FAILED_PRECONDITION]: 400,
  [status.ABORTED]: 409,
  [status.OUT_OF_RANGE]: 400,
  [status.UNIMPLEMENTED]: 501,
  [status.INTERNAL]: 500,
  [status.UNAVAILABLE]: 503,
  [status.DATA_LOSS]: 500,
  [status.UNAUTHENTICATED]: 401,
};

/** The body Google's REST front end sends with an error (`google.rpc.Status` in JSON). */
export interface RestErrorBody {
  error: { code: number; message: string; status: string };
}

/** The HTTP status and body for a gRPC status `code` with `message`. */
export function restError(code: number, message: string): { httpStatus: number; body: RestErrorBody } {
  const httpStatus = HTTP_STATUS[code] ?? 500;
  const name = (status as unknown as Record<number, string>)[code] ?? 'UNKNOWN';
  return { httpStatus, body: { error: { code: httpStatus, message, status: name } } };
}
