import { status } from '@grpc/grpc-js';

export { status as Code };

/**
 * A gRPC status the emulator answers with; the official client turns it into the same
 * `GoogleError` (`code`, `"<code> <NAME>: <details>"`) the real API produces.
 */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** Shorthands for the statuses Vertex answers most. */
export const invalidArgument = (message: string): RpcError => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string): RpcError => new RpcError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(status.FAILED_PRECONDITION, message);

/** Field-level INVALID_ARGUMENT in the shape Vertex uses: `List of found errors: 1.Field: x; Message: y`. */
export function badField(field: string, message: string): RpcError {
  return invalidArgument(`List of found errors:\t1.Field: ${field}; Message: ${message}\t`);
}
