import { retryLater } from '../../core/errors';
import type { DocumentStore } from '../ports';

/** What a SavedModel folder still lacks, kept while its files arrive. */
interface PendingFiles {
  missing: string[];
}

const CAS_ATTEMPTS = 20;
/** Ticking off is contended by every shard's event at once: more, paced attempts before a retry. */
const TICK_ATTEMPTS = 80;
/** Longest pause between two compare-and-set attempts on a contended record. */
const MAX_PAUSE_MS = 1000;

/**
 * A random pause that grows with each lost compare-and-set (full jitter): a thousand shard events
 * hitting one record at once otherwise retry in lockstep and mostly lose again, until their
 * deliveries run out and the events are dropped.
 * @see https://cloud.google.com/storage/docs/retry-strategy#exponential-backoff
 */
const contentionPause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_PAUSE_MS, 10 * 2 ** attempt)));
const key = (runId: string) => `pending/${runId}.json`;

/** Write-then-recheck rounds before the delivery is retried instead (each round learns more files). */
const RECHECK_ROUNDS = 5;

/**
 * Records the files an artifact still lacks (replacing an older record), then lists again for
 * files that landed while it was being written, since their events may have found no record.
 * `recheck` returns everything still missing by a fresh listing, not just `missing`: a record
 * written from a partial listing (before saved_model.pb or the index was there, possibly racing a
 * handler that knew every shard) is completed with what it lacked, so the record can only empty
 * once the folder is complete. True when nothing is missing any more.
 */
export async function recordMissing(
  store: DocumentStore,
  runId: string,
  missing: string[],
  recheck: () => Promise<string[]>,
): Promise<boolean> {
  let recorded = missing;
  for (let round = 0; round < RECHECK_ROUNDS; round += 1) {
    await writeMissing(store, runId, recorded, round > 0);
    const stillMissing = await recheck();
    if (stillMissing.length === 0) {
      await store.delete(key(runId));
      return true;
    }
    let emptied = false;
    for (const file of recorded.filter((f) => !stillMissing.includes(f)))
      emptied = (await markArrived(store, runId, file)) || emptied;
    const unknown = stillMissing.filter((f) => !recorded.includes(f));
    if (unknown.length === 0) return emptied;
    recorded = unknown;
  }
  throw retryLater(`pending record for ${runId}: files kept appearing while it was written`);
}

/** Replaces the record, or (`merge`) adds to it; creates it when there is none. */
async function writeMissing(store: DocumentStore, runId: string, files: string[], merge: boolean): Promise<void> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const current = await store.get<PendingFiles>(key(runId));
    const missing = merge && current ? [...new Set([...current.value.missing, ...files])] : files;
    const written = current
      ? await store.update(key(runId), { missing }, current.generation)
      : await store.create(key(runId), { missing });
    if (written) return;
    await contentionPause(attempt);
  }
  throw retryLater(`pending record for ${runId} kept changing`);
}

/**
 * Ticks one arrived file off the record: O(1) calls per file. True for the one call that empties
 * the record (that caller starts the run). No record means the folder is not known to be waiting.
 */
export async function markArrived(store: DocumentStore, runId: string, file: string): Promise<boolean> {
  for (let attempt = 0; attempt < TICK_ATTEMPTS; attempt += 1) {
    const current = await store.get<PendingFiles>(key(runId));
    if (!current || !current.value.missing.includes(file)) return false;
    const missing = current.value.missing.filter((f) => f !== file);
    if (await store.update(key(runId), { missing }, current.generation)) {
      if (missing.length > 0) return false;
      await store.delete(key(runId));
      return true;
    }
    await contentionPause(attempt);
  }
  // Transient: the event is redelivered and tries again.
  throw retryLater(`pending record for ${runId} kept changing`);
}
