import { retryRun, type RetryResult } from '../../functions/pipeline/operator/retry-run';
import type { RunRecord } from '../../functions/core/run/run-record';
import { parseCommandArgs, textFlag } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import { openOperator } from '../stack/operator-deps';

/**
 * `ferry retry <run> [--force] [--reason TEXT] [--project PROJECT]`: a new attempt of the same
 * artifact version (functions/pipeline/operator/retry-run.ts). Exit 0 when the attempt started or
 * already exists (a second retry changes nothing), 1 when refused (the reason says what to do), 2
 * for wrong arguments.
 */
export const retry: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.retry, args);
  const reason = textFlag(COMMAND_SPECS.retry, parsed, 'reason');
  const runId = parsed.positionals[0];
  try {
    const deps = await openOperator(io, parsed.string('project'));
    try {
      const result = await retryRun(deps, runId, {
        verb: 'retry',
        by: deps.by,
        at: deps.clock.now(),
        force: parsed.flag('force'),
        reason,
      });
      return report(result, runId, io);
    } finally {
      await deps.close();
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};

function report(result: RetryResult, runId: string, io: CliIo): number {
  switch (result.kind) {
    case 'started':
      io.out(`${result.run.runId}: attempt ${result.run.attempt} of ${runId} started (${result.run.state})`);
      io.out(`follow it with: ferry status ${result.run.runId}`);
      return 0;
    case 'exists':
      io.out(`${runId} was already retried: ${describeAttempt(result.run)}; nothing new started`);
      io.out(followUp(result.run));
      return 0;
    default:
      io.err(result.message);
      return 1;
  }
}

function describeAttempt(run: RunRecord): string {
  return `attempt ${run.attempt ?? 1} is ${run.runId} (${run.state})`;
}

/** A newer attempt that ended failed is the one to retry next; anything else is followed. */
function followUp(run: RunRecord): string {
  if (run.state === 'failed' || run.state === 'aborted') return `to retry again: ferry retry ${run.runId}`;
  return `follow it with: ferry status ${run.runId}`;
}
