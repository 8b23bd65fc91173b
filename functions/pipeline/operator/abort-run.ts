import { isTerminal, type RunRecord } from '../../core/run/run-record';
import { endRunSafely, type EndRunDeps } from '../stages/end-run-safely';

export interface AbortRequest {
  by: string;
  reason?: string;
}

export type AbortResult =
  | { result: 'aborted'; run: RunRecord }
  /** Ended before (by this verb or otherwise): nothing changed. */
  | { result: 'already-ended'; run: RunRecord }
  /** Not abortable in its state: `why` says what to do instead. */
  | { result: 'refused'; run: RunRecord; why: string }
  /** It changed state while this looked at it: look again. */
  | { result: 'moved-on'; run: RunRecord }
  | { result: 'not-found' };

/**
 * `ferry abort`: ends a live run `aborted`. A run whose candidate holds traffic gets the exact
 * previous split back and its candidate undeployed (endRunSafely, as for a dead letter), and the
 * endpoint's turn is released for the workflow's next version. A run being promoted (its candidate
 * is validated at 100 % and takes `default`) or already rolling back is left to finish: aborting it
 * would undo a decision half-way; `ferry rollback` undoes a promotion.
 */
export async function abortRun(deps: EndRunDeps, runId: string, request: AbortRequest): Promise<AbortResult> {
  // The pipeline may move the run on (a validation stepping up) between the read and the abort:
  // look again, a few times, rather than leave that to the person.
  let result: AbortResult = { result: 'not-found' };
  for (let attempt = 0; attempt < MOVED_ON_ATTEMPTS; attempt += 1) {
    result = await abortOnce(deps, runId, request);
    if (result.result !== 'moved-on') return result;
  }
  return result;
}

const MOVED_ON_ATTEMPTS = 3;

async function abortOnce(deps: EndRunDeps, runId: string, request: AbortRequest): Promise<AbortResult> {
  const stored = await deps.runs.get(runId);
  if (!stored) return { result: 'not-found' };
  const run = stored.value;
  if (isTerminal(run)) return { result: 'already-ended', run };
  if (run.state === 'promoting')
    return {
      result: 'refused',
      run,
      why: `it passed validation at 100 % and is being promoted; once it ends, \`ferry rollback ${run.workflow}\` puts the previous version back`,
    };
  if (run.state === 'rolling-back')
    return {
      result: 'refused',
      run,
      why: 'it is already rolling back (the previous split is restored); it ends by itself',
    };
  const at = deps.clock.now().toISOString();
  const why = request.reason ? ` (${request.reason})` : '';
  const ended = await endRunSafely(deps, runId, {
    reason: `aborted by ${request.by}${why}`,
    at: { state: run.state, step: run.step },
    outcome: 'aborted',
    patch: {
      operatorActions: [
        ...(run.operatorActions ?? []),
        { verb: 'abort', by: request.by, at, step: run.step, ...(request.reason ? { reason: request.reason } : {}) },
      ],
    },
  });
  const after = (await deps.runs.get(runId))?.value ?? run;
  if (ended === 'ended')
    return after.state === 'aborted' ? { result: 'aborted', run: after } : { result: 'already-ended', run: after };
  if (ended === 'cannot-roll-back')
    return {
      result: 'refused',
      run: after,
      why:
        run.state === 'rolling-out'
          ? 'it is rolling out through Remote Config and no Remote Config access was given'
          : 'its candidate may hold traffic and no Vertex access was given',
    };
  if (ended === 'already-ended') return { result: 'already-ended', run: after };
  return { result: 'moved-on', run: after };
}
