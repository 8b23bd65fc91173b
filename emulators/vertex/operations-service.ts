import { paginate } from './list-filter';
import { badField } from './rpc-error';
import type { Handler } from './unary';
import type { VertexContext } from './vertex-context';

/** WaitOperation never blocks longer than this, whatever the request asks. */
const MAX_WAIT_MS = 60_000;

/**
 * `google.longrunning.Operations` as the Vertex client's operations client calls it
 * (GetOperation while polling `operation.promise()`).
 * https://cloud.google.com/vertex-ai/docs/reference/rpc/google.longrunning
 */
export function operationsHandlers(ctx: VertexContext): Record<string, Handler> {
  const { operations } = ctx;
  return {
    GetOperation(req) {
      return operations.toProto(operations.get(req.name));
    },
    ListOperations(req) {
      if (typeof req.name !== 'string' || req.name === '')
        throw badField('name', 'is required: the resource whose operations to list.');
      if (req.filter) throw badField('filter', 'is not supported by the emulator.');
      const all = operations.list(req.name).map((op) => operations.toProto(op));
      const { page, nextPageToken } = paginate(all, req.pageSize, req.pageToken);
      return { operations: page, nextPageToken };
    },
    DeleteOperation(req) {
      operations.delete(req.name);
      return {};
    },
    CancelOperation(req) {
      operations.cancel(req.name);
      return {};
    },
    async WaitOperation(req) {
      const timeout = req.timeout
        ? Number(req.timeout.seconds ?? 0) * 1000 + Number(req.timeout.nanos ?? 0) / 1e6
        : MAX_WAIT_MS;
      return operations.toProto(await operations.wait(req.name, Math.max(0, Math.min(timeout, MAX_WAIT_MS))));
    },
  };
}
