import type { Storage } from '@google-cloud/storage';

/** A SavedModel whose folder is incomplete: no run yet, only onArtifact's record of what it lacks. */
export interface PendingArtifact {
  /** The run id it will start as once complete. */
  runId: string;
  missing: string[];
  /** When its first file was seen (the record's creation). */
  since: string;
}

const PREFIX = 'pending/';

/**
 * The `pending/<runId>.json` records in the state bucket (functions/pipeline/stages/pending-files.ts):
 * what each incomplete SavedModel still waits for. A record deleted between listing and reading
 * (its last file arrived) is skipped.
 */
export async function readPendingArtifacts(storage: Storage, stateBucket: string): Promise<PendingArtifact[]> {
  const [files] = await storage.bucket(stateBucket).getFiles({ prefix: PREFIX, autoPaginate: true });
  const pending: PendingArtifact[] = [];
  for (const file of files) {
    try {
      const [contents] = await file.download();
      const record = JSON.parse(contents.toString('utf8')) as { missing?: unknown };
      const missing = Array.isArray(record.missing) ? record.missing.map(String) : [];
      pending.push({
        runId: file.name.slice(PREFIX.length).replace(/\.json$/, ''),
        missing,
        since: String(file.metadata.timeCreated ?? ''),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error;
    }
  }
  return pending.sort((a, b) => a.since.localeCompare(b.since));
}

/** One line per incomplete artifact: what it waits for, the first few files named. */
export function formatPending(artifact: PendingArtifact): string {
  const shown = artifact.missing.slice(0, 3).join(', ');
  const more = artifact.missing.length > 3 ? `, and ${artifact.missing.length - 3} more` : '';
  return `  ${artifact.runId}: waiting since ${artifact.since} for ${artifact.missing.length} file(s): ${shown}${more} (the run starts once they land)`;
}
