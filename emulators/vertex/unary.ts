import { Metadata, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { delayCall, type FaultInjector } from '../faults';
import { type Msg, undecodable } from './protos';
import { Code, RpcError, invalidArgument } from './rpc-error';

/** One RPC's logic: request in, response out, RpcError for a gRPC status. */
export type Handler = (request: Msg) => Promise<Msg> | Msg;

/**
 * Adapts handlers to grpc-js: applies injected faults (`faults.take('<Rpc>')`, hold and latency first),
 * counts calls, and turns thrown errors into gRPC statuses. Unexpected errors become INTERNAL
 * with their message so a bug in the emulator is visible, not swallowed.
 */
export function unaryService(
  faults: FaultInjector,
  calls: Map<string, number>,
  handlers: Record<string, Handler>,
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [rpc, handler] of Object.entries(handlers)) {
    impl[rpc] = (call: ServerUnaryCall<Msg, Msg>, callback: sendUnaryData<Msg>) => {
      calls.set(rpc, (calls.get(rpc) ?? 0) + 1);
      const run = async (): Promise<Msg> => {
        const decision = faults.take(rpc);
        await delayCall(decision);
        if (decision.fail) throw new RpcError(decision.fail.code, decision.fail.message);
        const broken = undecodable.get(call.request);
        if (broken) throw invalidArgument(`Invalid request: ${broken}`);
        return handler(call.request);
      };
      run().then(
        (response) => callback(null, response),
        (err: unknown) => {
          const rpcError =
            err instanceof RpcError
              ? err
              : new RpcError(Code.INTERNAL, `emulator error: ${(err as Error)?.message ?? String(err)}`);
          callback({ code: rpcError.code, details: rpcError.message, metadata: new Metadata() });
        },
      );
    };
  }
  return impl;
}
