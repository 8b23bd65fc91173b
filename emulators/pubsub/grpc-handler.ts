import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { delayCall, FaultInjector } from '../faults';
import { invalidArgument, toServiceError } from './rpc-error';
import { PubsubMessageWire, StoredMessage, toTimestamp } from './types';

/**
 * Wraps one unary RPC: consults the fault injector under the RPC's own name (`Publish`,
 * `CreateSubscription`, ...), then maps thrown (or rejected) RpcErrors to the call status.
 */
export function unary<Req, Res>(
  method: string,
  faults: FaultInjector,
  fn: (request: Req, call: ServerUnaryCall<Req, Res>) => Res | Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
    const decision = faults.take(method);
    const run = (): void => {
      if (decision.fail) {
        callback({
          code: decision.fail.code,
          details: decision.fail.message,
          message: decision.fail.message,
          name: 'Error',
        });
        return;
      }
      // A handler may answer later (Pull waits for messages); thrown or rejected, errors map alike.
      Promise.resolve()
        .then(() => fn(call.request, call))
        .then(
          (value) => callback(null, value),
          (err: unknown) => callback({ ...toServiceError(err), name: 'Error' }),
        );
    };
    if (decision.latencyMs > 0 || decision.held) void delayCall(decision).then(run);
    else run();
  };
}

/** Offset-based page tokens for the List RPCs. */
export function page<T>(items: T[], pageSize: unknown, pageToken: unknown): { items: T[]; nextPageToken: string } {
  const size = Number(pageSize) > 0 ? Math.min(Number(pageSize), 1000) : 100;
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidArgument(`Invalid page_token: "${String(pageToken)}".`);
  const slice = items.slice(start, start + size);
  return { items: slice, nextPageToken: start + size < items.length ? String(start + size) : '' };
}

/** A stored message in the PubsubMessage wire form. */
export function toWireMessage(m: StoredMessage): PubsubMessageWire {
  return {
    data: m.data,
    attributes: m.attributes,
    messageId: m.messageId,
    publishTime: toTimestamp(m.publishTimeMs),
    orderingKey: m.orderingKey,
  };
}
