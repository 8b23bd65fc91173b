import type { DocumentStore } from '../ports';

/** What a SavedModel folder still lacks, kept while its files arrive. */
interface PendingFiles {
  missing: string[];
}

const CAS_ATTEMPTS = 20;
const key = (runId: string) => `pending/${runId}.json`;

/**
 * Records the files an artifact still lacks (replacing an older record: the newest full listing
 * is the truth), then checks once more for files that landed while it was being written, since
 * their events may have found no record. True when nothing is missing any more.
 */
export async function recordMissing(store: DocumentStore, runId: string, missing: string[], recheck: () => Promise<string[]>): Promise<boolean> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const current = await store.get<PendingFiles>(key(runId));
    const written = current ? await store.update(key(runId), { missing }, current.generation) : await store.create(key(runId), { missing });
    if (written) break;
    if (attempt === CAS_ATTEMPTS - 1) throw Object.assign(new Error(`pending record for ${runId} kept changing`), { code: 10 });
  }
  const stillMissing = await recheck();
  if (stillMissing.length > 0) {
    let emptied = false;
    for (const file of missing.filter((f) => !stillMissing.includes(f))) emptied = (await markArrived(store, runId, file)) || emptied;
    return emptied;
  }
  await store.delete(key(runId));
  return true;
}

/**
 * Ticks one arrived file off the record: O(1) calls per file. True for the one call that empties
 * the record (that caller starts the run). No record means the folder is not known to be waiting.
 */
export async function markArrived(store: DocumentStore, runId: string, file: string): Promise<boolean> {
  for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
    const current = await store.get<PendingFiles>(key(runId));
    if (!current || !current.value.missing.includes(file)) return false;
    const missing = current.value.missing.filter((f) => f !== file);
    if (await store.update(key(runId), { missing }, current.generation)) {
      if (missing.length > 0) return false;
      await store.delete(key(runId));
      return true;
    }
  }
  // Aborted (gRPC 10) is transient: the event is redelivered and tries again.
  throw Object.assign(new Error(`pending record for ${runId} kept changing`), { code: 10 });
}
