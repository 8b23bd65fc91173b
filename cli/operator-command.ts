import { errorMessage } from '../functions/core/errors';
import type { CliIo } from './io';
import { openOperator, type OperatorDeps } from './stack/operator-deps';

/**
 * Runs one operator verb against the stack or project: opens the clients, acts, closes them, and
 * turns a failure into one line on stderr and exit 1 (a run busy with another delivery says so;
 * running the verb again is safe).
 */
export async function withOperator(
  io: CliIo,
  project: string | undefined,
  act: (deps: OperatorDeps) => Promise<number>,
): Promise<number> {
  let deps: OperatorDeps | undefined;
  try {
    deps = await openOperator(io, project);
    return await act(deps);
  } catch (error) {
    io.err(`${errorMessage(error)}${deps ? '\nnothing is half-done: running the same command again is safe' : ''}`);
    return 1;
  } finally {
    await deps?.close();
  }
}
