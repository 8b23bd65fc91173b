import type { RunRecord } from '../../core/run/run-record';
import type { OperationMessage } from '../messages';
import type { OperationStatus } from '../ports';
import type { NextMessage } from '../run-stage';
import { TOPICS } from '../topics';

export type Kind = NonNullable<RunRecord['pendingOperation']>['kind'];

/** Per kind: the RPC (for messages) and awaitOperation's purpose (resume-stage.ts resumes it). */
export const KINDS = {
  registering: { rpc: 'UploadModel', purpose: 'register' },
  'creating-endpoint': { rpc: 'CreateEndpoint', purpose: 'create-endpoint' },
} as const;

/** The RPC a run's `kind` of operation is: a registration copying from another region is a CopyModel. */
function rpcOf(run: RunRecord, kind: Kind): string {
  return kind === 'registering' && run.copyFrom ? 'CopyModel' : KINDS[kind].rpc;
}

/**
 * The run with an operation that outlasted its stage recorded (state unchanged): the stage's
 * `next` hands it to awaitOperation (followMessages), which publishes the stage's own message
 * again once it is done. Vertex uploads and endpoint creations can outlast a 300 s function.
 * @see https://cloud.google.com/vertex-ai/docs/general/long-running-operations
 */
export function recordPending(run: RunRecord, kind: Kind, name: string, now: Date): RunRecord {
  const at = now.toISOString();
  const detail = `${rpcOf(run, kind)} ${name} still running; following it`;
  return {
    ...run,
    pendingOperation: { kind, name, startedAt: at },
    timeline: [...run.timeline, { state: run.state, at, detail }],
  };
}

/** The awaitOperation message for the run's recorded operation, if any. */
export function followMessages(run: RunRecord): NextMessage[] {
  const pending = run.pendingOperation;
  if (!pending) return [];
  const message: OperationMessage = {
    runId: run.runId,
    purpose: KINDS[pending.kind].purpose,
    operation: pending.name,
    startedAt: pending.startedAt,
  };
  return [{ topic: TOPICS.operationPending, data: message }];
}

/**
 * A stage run again (its retry, or resumed by awaitOperation) with an operation recorded:
 * `running` (the run comes back as a copy, so its follower is sent again: duplicates are harmless),
 * `done`, or a thrown error naming the operation when it failed.
 */
export async function checkRecorded(
  run: RunRecord,
  kind: Kind,
  status: (name: string) => Promise<OperationStatus>,
): Promise<'none' | 'running' | 'done'> {
  const pending = run.pendingOperation;
  if (pending?.kind !== kind) return 'none';
  const current = await status(pending.name);
  if (current.error)
    throw new Error(
      `${rpcOf(run, kind)} ${pending.name} failed: ${current.error.message} (code ${current.error.code}); drop the artifact again once fixed`,
    );
  return current.done ? 'done' : 'running';
}
