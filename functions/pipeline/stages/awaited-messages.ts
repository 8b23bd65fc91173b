import type { RunRecord } from '../../core/run/run-record';
import type { NextMessage } from '../run-stage';
import { TOPICS } from '../topics';
import { operationMessage } from './deploy-model';

/**
 * The message(s) a run in its current state waits for: what the stage before published. Sent
 * again, they heal a publish that was lost (a function that died between its state write and its
 * publish, with no redelivery left); the stages treat them as any duplicate.
 */
export function awaitedMessages(run: RunRecord): NextMessage[] {
  const { runId } = run;
  switch (run.state) {
    case 'checked':
      return [{ topic: run.kind === 'tflite' ? TOPICS.tfliteReady : TOPICS.savedModelReady, data: { runId } }];
    case 'registered':
      return [{ topic: TOPICS.modelRegistered, data: { runId } }];
    case 'deploying':
      return [{ topic: TOPICS.operationPending, data: operationMessage(run, 'deploy', run.deployment?.operation) }];
    case 'deployed':
      return [{ topic: TOPICS.modelDeployed, data: { runId, step: run.step } }];
    case 'rolling-back':
      return (run.pendingOperations ?? []).map((op) => ({
        topic: TOPICS.operationPending,
        data: operationMessage(run, 'rollback', op),
      }));
    case 'promoting':
      // One retire step at a time (retire-step.ts): the undeploy being followed, or the first step.
      return [{ topic: TOPICS.operationPending, data: operationMessage(run, 'retire', run.pendingOperations?.[0]) }];
    default:
      return [];
  }
}
