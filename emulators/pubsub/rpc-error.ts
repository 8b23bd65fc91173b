import { status } from '@grpc/grpc-js';
import { RpcError } from '../rpc-error';

export { RpcError };

/** Errors in Pub/Sub's wording: https://cloud.google.com/pubsub/docs/reference/error-codes */
export function notFound(resource: string): RpcError {
  return new RpcError(status.NOT_FOUND, `Resource not found (resource=${resource}).`);
}

export function alreadyExists(resource: string): RpcError {
  return new RpcError(status.ALREADY_EXISTS, `Resource already exists in the project (resource=${resource}).`);
}

export function invalidArgument(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

export function failedPrecondition(message: string): RpcError {
  return new RpcError(status.FAILED_PRECONDITION, message);
}

/** The `{code, details}` object grpc-js sends as the call status. */
export function toServiceError(err: unknown): { code: status; details: string; message: string } {
  if (err instanceof RpcError) return { code: err.code, details: err.message, message: err.message };
  const text = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: `pubsub emulator: ${text}`, message: text };
}
