import { status } from '@grpc/grpc-js';
import { RpcError } from '../rpc-error';

export { RpcError, status as Code };

/** Shorthands for the statuses Vertex answers most. */
export const invalidArgument = (message: string): RpcError => new RpcError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string): RpcError => new RpcError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(status.FAILED_PRECONDITION, message);

/** Field-level INVALID_ARGUMENT in the shape Vertex uses: `List of found errors: 1.Field: x; Message: y`. */
export function badField(field: string, message: string): RpcError {
  return invalidArgument(`List of found errors:\t1.Field: ${field}; Message: ${message}\t`);
}
