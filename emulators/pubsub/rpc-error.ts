import { status } from '@grpc/grpc-js';

/**
 * A failure with the gRPC status and wording the real Pub/Sub API uses, so clients classify it
 * the same way (NOT_FOUND is permanent, UNAVAILABLE is retried by the client's default policy).
 * @see https://cloud.google.com/pubsub/docs/reference/error-codes
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

export function notFound(resource: string): RpcError {
  return new RpcError(status.NOT_FOUND, `Resource not found (resource=${resource}).`);
}

export function alreadyExists(resource: string): RpcError {
  return new RpcError(status.ALREADY_EXISTS, `Resource already exists in the project (resource=${resource}).`);
}

export function invalidArgument(message: string): RpcError {
  return new RpcError(status.INVALID_ARGUMENT, message);
}

/** The `{code, details}` object grpc-js sends as the call status. */
export function toServiceError(err: unknown): { code: status; details: string; message: string } {
  if (err instanceof RpcError) return { code: err.code, details: err.message, message: err.message };
  const text = err instanceof Error ? err.message : String(err);
  return { code: status.INTERNAL, details: `pubsub emulator: ${text}`, message: text };
}
