import type { Storage } from '@google-cloud/storage';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';

/** Polls the run record until the run ends; a run that never ends within `timeoutMs` is an error. */
export async function waitForRun(
  storage: Storage,
  stateBucket: string,
  runId: string,
  timeoutMs = 60_000,
): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  let last: RunRecord | undefined;
  while (Date.now() < deadline) {
    const file = storage.bucket(stateBucket).file(`runs/${runId}.json`);
    const [exists] = await file.exists();
    if (exists) {
      last = JSON.parse((await file.download())[0].toString('utf8')) as RunRecord;
      if (isTerminal(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `run ${runId} did not end within ${timeoutMs / 1000} s (last state: ${last?.state ?? 'not started'})`,
  );
}
