import type { RunRecord } from '../../functions/core/run/run-record';
import { decideApproval, type Decision } from '../../functions/pipeline/operator/decide-approval';
import { parseCommandArgs, textFlag } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { withOperator } from '../operator-command';

/**
 * `ferry approve <run> [--reason]` and `ferry reject <run> --reason`: a person's decision on a run
 * awaiting approval. Exit 0 when decided, or when the same decision was already taken (a repeat
 * changes nothing); 1 when the run is unknown or not waiting for a decision.
 */
const decide =
  (verb: Decision['verb']): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs(COMMAND_SPECS[verb], args);
    const runId = parsed.positionals[0];
    const reason = textFlag(COMMAND_SPECS[verb], parsed, 'reason');
    return withOperator(io, parsed.string('project'), async (deps) => {
      const result = await decideApproval({ ...deps, rollout: deps }, runId, {
        verb,
        by: deps.by,
        ...(reason ? { reason } : {}),
      });
      if (result.result === 'not-found') {
        io.err(`no run ${runId}: \`ferry status --state awaiting-approval\` lists the runs waiting for a decision`);
        return 1;
      }
      if (result.result === 'decided') {
        io.out(
          `run ${runId} ${verb === 'approve' ? 'approved' : 'rejected'} by ${deps.by}: ${whatFollows(result.run)}`,
        );
        io.out(`follow it with: ferry status ${runId}`);
        return 0;
      }
      if (result.already) {
        const { by, at } = result.already;
        io.out(
          `run ${runId} was already ${verb === 'approve' ? 'approved' : 'rejected'} by ${by} at ${at}; it is ${result.run.state} now. Nothing changed`,
        );
        return 0;
      }
      io.err(`run ${runId} is ${result.run.state}, not awaiting approval: there is nothing to ${verb}`);
      return 1;
    });
  };

function whatFollows(run: RunRecord): string {
  const percent = run.deployment?.split?.[run.deployment.deployedModelId];
  switch (run.state) {
    case 'deployed':
      return `its candidate now serves ${percent} % and is validated again at this step`;
    case 'promoting':
      return 'promoting it (default moves to it, older deployments are retired)';
    case 'rolling-back':
    case 'rejected':
      return `the previous split ${JSON.stringify(run.deployment?.previousSplit ?? {})} is restored; the candidate is undeployed`;
    default:
      return `it is ${run.state}`;
  }
}

export const approve = decide('approve');
export const reject = decide('reject');
