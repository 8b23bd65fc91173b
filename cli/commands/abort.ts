import { abortRun } from '../../functions/pipeline/operator/abort-run';
import { parseCommandArgs, textFlag } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { withOperator } from '../operator-command';

/**
 * `ferry abort <run> [--reason]`: ends a live run aborted, rolling back any traffic its candidate
 * had (the exact previous split) and releasing the endpoint. Exit 0 when aborted or already
 * ended (a repeat changes nothing); 1 when unknown, refused (promoting, rolling back) or moved on.
 */
export const abort: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.abort, args);
  const runId = parsed.positionals[0];
  const reason = textFlag(COMMAND_SPECS.abort, parsed, 'reason');
  return withOperator(io, parsed.string('project'), async (deps) => {
    const result = await abortRun({ ...deps, rollout: deps, mobileRollout: deps.mobileRollout }, runId, {
      by: deps.by,
      ...(reason ? { reason } : {}),
    });
    switch (result.result) {
      case 'not-found':
        io.err(`no run ${runId}: \`ferry status\` lists the runs`);
        return 1;
      case 'aborted': {
        const restored = result.run.deployment
          ? `; split restored to ${JSON.stringify(result.run.deployment.previousSplit)}`
          : result.run.mobile?.rollout
            ? ` (${result.run.reason?.split('; ').slice(1).join('; ')})`
            : '';
        // A mobile model has no endpoint: its workflow's next version may simply roll out.
        const next =
          result.run.kind === 'tflite'
            ? `the next version of ${result.run.workflow} can roll out`
            : `the ${result.run.workflow} endpoint is free for the next version`;
        io.out(`run ${runId} aborted by ${deps.by}${restored}; ${next}`);
        return 0;
      }
      case 'already-ended':
        io.out(`run ${runId} has already ended ${result.run.state}; nothing changed`);
        return 0;
      case 'refused':
        io.err(`run ${runId} is ${result.run.state} and cannot be aborted: ${result.why}`);
        return 1;
      case 'moved-on':
        io.err(
          `run ${runId} moved on to ${result.run.state} while this looked at it; run \`ferry abort ${runId}\` again`,
        );
        return 1;
    }
  });
};
