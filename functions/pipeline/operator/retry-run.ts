import { nextAttemptId, retryAttempt, type RetryRequest } from '../../core/run/retry-attempt';
import type { RunRecord } from '../../core/run/run-record';
import { announce, type StageDeps } from '../run-stage';
import { awaitedMessages } from '../stages/awaited-messages';

export type RetryResult =
  /** The next attempt was created and its first message published. */
  | { kind: 'started'; run: RunRecord }
  /** The run already has its next attempt (a second `ferry retry`, or a replay after one): nothing new. */
  | { kind: 'exists'; run: RunRecord }
  | { kind: 'refused'; message: string }
  | { kind: 'not-found'; message: string };

/**
 * `ferry retry` (and `ferry replay` of the dead letter that ended a run): starts the next attempt
 * of an ended run. The attempt's id is fixed by the run's (core/run/run-id.ts) and created
 * create-only, so retrying twice, or from two terminals at once, makes one attempt; the second
 * finds it and changes nothing. Then the attempt is announced and what it waits for published
 * (savedmodel.ready or tflite.ready), exactly as a drop starts a run. An attempt found still
 * `checked` gets that message again: the first retry may have died between creating and
 * publishing, and a duplicate is ignored by the stage.
 */
export async function retryRun(
  deps: Pick<StageDeps, 'runs' | 'publisher' | 'log'>,
  runId: string,
  request: RetryRequest,
): Promise<RetryResult> {
  const stored = await deps.runs.get(runId);
  if (!stored)
    return { kind: 'not-found', message: `no run ${runId}: list the runs with ferry status (--state failed)` };
  const run = stored.value;
  const newer = await existingAttempt(deps, run);
  if (newer) return newer;
  const decision = retryAttempt(run, request);
  if (!decision.ok) return { kind: 'refused', message: decision.refusal };
  if (!(await deps.runs.create(decision.next))) {
    const raced = await existingAttempt(deps, run);
    if (raced) return raced;
    throw new Error(`run ${decision.next.runId} exists but could not be read; try again`);
  }
  await announce(deps, undefined, decision.next);
  await publishAwaited(deps, decision.next);
  return { kind: 'started', run: decision.next };
}

/** The next attempt of `run` if it exists, its awaited message sent again while it is still `checked`. */
async function existingAttempt(
  deps: Pick<StageDeps, 'runs' | 'publisher'>,
  run: RunRecord,
): Promise<RetryResult | undefined> {
  const found = await deps.runs.get(nextAttemptId(run));
  if (!found) return undefined;
  if (found.value.state === 'checked') await publishAwaited(deps, found.value);
  return { kind: 'exists', run: found.value };
}

async function publishAwaited(deps: Pick<StageDeps, 'publisher'>, run: RunRecord): Promise<void> {
  for (const message of awaitedMessages(run)) await deps.publisher.publish(message.topic, message.data);
}
