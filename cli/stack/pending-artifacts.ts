import type { Storage } from '@google-cloud/storage';

/** A SavedModel whose folder is incomplete: no run yet, only onArtifact's record of what it lacks. */
export interface PendingArtifact {
  /** The run id it will start as once complete. */
  runId: string;
  missing: string[];
  /** When its first file was seen (the record's creation). */
  since: string;
  /** The record could not be read as onArtifact writes it: what is wrong and what to do. */
  problem?: string;
}

const PREFIX = 'pending/';

/**
 * The `pending/<runId>.json` records in the state bucket (functions/pipeline/stages/pending-files.ts):
 * what each incomplete SavedModel still waits for. A record deleted between listing and reading
 * (its last file arrived) is skipped; one that is not onArtifact's JSON (a hand edit) is listed
 * with its problem rather than failing the whole listing.
 */
export async function readPendingArtifacts(storage: Storage, stateBucket: string): Promise<PendingArtifact[]> {
  const [files] = await storage.bucket(stateBucket).getFiles({ prefix: PREFIX, autoPaginate: true });
  const pending: PendingArtifact[] = [];
  for (const file of files) {
    const runId = file.name.slice(PREFIX.length).replace(/\.json$/, '');
    const since = String(file.metadata.timeCreated ?? '');
    let contents: Buffer;
    try {
      [contents] = await file.download();
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) continue;
      throw error;
    }
    const missing = missingFiles(contents);
    if (Array.isArray(missing)) pending.push({ runId, missing, since });
    else
      pending.push({
        runId,
        missing: [],
        since,
        problem: `gs://${stateBucket}/${file.name} ${missing.problem}: delete it, then drop the artifact's files again`,
      });
  }
  return pending.sort((a, b) => a.since.localeCompare(b.since));
}

/** The record's `missing` list, or what keeps it from being one. */
function missingFiles(contents: Buffer): string[] | { problem: string } {
  let record: unknown;
  try {
    record = JSON.parse(contents.toString('utf8'));
  } catch {
    return { problem: 'is not JSON' };
  }
  const missing = (record as { missing?: unknown } | null)?.missing;
  if (!Array.isArray(missing) || missing.some((name) => typeof name !== 'string'))
    return { problem: 'has no "missing" list of file names' };
  return missing as string[];
}

/** One line per incomplete artifact: what it waits for, the first few files named. */
export function formatPending(artifact: PendingArtifact): string {
  if (artifact.problem) return `  ${artifact.runId}: ${artifact.problem}`;
  const shown = artifact.missing.slice(0, 3).join(', ');
  const more = artifact.missing.length > 3 ? `, and ${artifact.missing.length - 3} more` : '';
  return `  ${artifact.runId}: waiting since ${artifact.since} for ${artifact.missing.length} file(s): ${shown}${more} (the run starts once they land)`;
}
