import { status } from '@grpc/grpc-js';

/**
 * A gRPC status an emulator answers with, in the wording the real API uses; the official client
 * turns it into the same `GoogleError` (`code`, `"<code> <NAME>: <details>"`) it raises in production,
 * so ferry classifies it the same way.
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
