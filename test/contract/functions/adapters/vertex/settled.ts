import { isPending, type PendingOperation } from '../../../../../functions/pipeline/ports';

/** The result of an adapter call that may hand back an operation, failing the test if it did. */
export async function settled<T extends object>(result: Promise<T | PendingOperation>): Promise<T> {
  const value = await result;
  if (isPending(value)) throw new Error(`expected a finished result, got operation ${value.operation}`);
  return value as T;
}
