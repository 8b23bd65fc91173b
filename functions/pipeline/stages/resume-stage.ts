import { endRun } from '../../core/run/transitions';
import type { OperationMessage } from '../messages';
import type { Stage } from '../run-stage';
import { TOPICS } from '../topics';
import { KINDS, type Kind } from './pending-operation';

/** Where the stage that started each kind of operation waits, and the message that runs it again. */
const RESUMES = {
  registering: { state: 'checked', resume: TOPICS.savedModelReady },
  'creating-endpoint': { state: 'registered', resume: TOPICS.modelRegistered },
} as const;

/** awaitOperation's completion of a recorded operation: resumes the stage, or ends the run if it failed. */
export function resumeStage(message: OperationMessage, failure: string | undefined, now: () => Date): Stage {
  const kind: Kind = message.purpose === 'register' ? 'registering' : 'creating-endpoint';
  const { rpc } = KINDS[kind];
  const { state, resume } = RESUMES[kind];
  return {
    name: `awaitOperation(${message.purpose})`,
    expects: { state },
    produces: [],
    next: (run) => [{ topic: resume, data: { runId: run.runId } }],
    work: async (run) => {
      if (run.pendingOperation?.name !== message.operation) return run;
      if (failure) return endRun(run, 'failed', `${rpc} ${message.operation} failed: ${failure}`, now());
      return { ...run };
    },
  };
}
