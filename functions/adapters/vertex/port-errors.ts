import { PortError, errorMessage, type PortErrorKind } from '../../core/errors';
import { GRPC } from '../../core/grpc-codes';
import type { OperationStatus } from '../../pipeline/ports';

/** The Vertex status codes that mean the same on every call. */
const KIND_OF_CODE = new Map<number, PortErrorKind>([
  [GRPC.NOT_FOUND, 'not-found'],
  [GRPC.ALREADY_EXISTS, 'already-exists'],
  [GRPC.INVALID_ARGUMENT, 'invalid'],
]);

export interface Translation {
  /**
   * What FAILED_PRECONDITION means for this call. On an endpoint mutation (deploy, undeploy with a
   * split, split update) it is Vertex's "the endpoint has an operation in progress; retry when it
   * is done" (`busy`). Elsewhere it can be final (an undeploy without a split of a model that still
   * takes traffic), so it is left untranslated, as permanent as before.
   */
  failedPrecondition?: PortErrorKind;
}

/**
 * A Vertex client's error in the ports' terms: a PortError naming `resource` (the cause kept),
 * or the error itself when its code has no port meaning (core/errors classifies it as it is).
 */
export function toPortError(error: unknown, resource: string, translation: Translation = {}): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'number') return error;
  const kind = code === GRPC.FAILED_PRECONDITION ? translation.failedPrecondition : KIND_OF_CODE.get(code);
  return kind ? new PortError(kind, `${resource}: ${errorMessage(error)}`, { cause: error }) : error;
}

/** Runs one client call, translating what it throws (see toPortError). */
export async function translated<T>(resource: string, call: () => Promise<T>, translation?: Translation): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toPortError(error, resource, translation);
  }
}

/** A `google.longrunning.Operation` as the ports see it. */
export function operationStatus(operation: {
  done?: boolean | null;
  error?: { code?: number | null; message?: string | null } | null;
}): OperationStatus {
  const error = operation.error
    ? { code: operation.error.code ?? GRPC.UNKNOWN, message: operation.error.message ?? 'operation failed' }
    : undefined;
  return { done: Boolean(operation.done), ...(error ? { error } : {}) };
}
