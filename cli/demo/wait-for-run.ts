import type { Storage } from '@google-cloud/storage';
import { classifyError, errorMessage } from '../../functions/core/errors';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';

/**
 * Polls the run record until the run ends (or reaches what `reached` looks for: a state it waits
 * in); a run that never gets there within `timeoutMs` is an error.
 * A read that fails for a transient cause (a reset connection, 429, 5xx) is just another poll: a
 * keep-alive socket the server closed as the poll reused it must not end the wait.
 */
export async function waitForRun(
  storage: Storage,
  stateBucket: string,
  runId: string,
  timeoutMs = 60_000,
  reached: (run: RunRecord) => boolean = isTerminal,
): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  let last: RunRecord | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = (await readRunRecord(storage, stateBucket, runId)) ?? last;
      lastError = undefined;
      if (last && reached(last)) return last;
    } catch (error) {
      if (classifyError(error) !== 'transient') throw error;
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const failing = lastError === undefined ? '' : `; the last read failed: ${errorMessage(lastError)}`;
  throw new Error(
    `run ${runId} did not ${reached === isTerminal ? 'end' : 'get there'} within ${timeoutMs / 1000} s (last state: ${last?.state ?? 'not started'}${failing})`,
  );
}

/** The run record as stored now, or undefined while no run has started. */
export async function readRunRecord(
  storage: Storage,
  stateBucket: string,
  runId: string,
): Promise<RunRecord | undefined> {
  const file = storage.bucket(stateBucket).file(`runs/${runId}.json`);
  const [exists] = await file.exists();
  if (!exists) return undefined;
  return JSON.parse((await file.download())[0].toString('utf8')) as RunRecord;
}
