import type { File } from '@google-cloud/storage';
import type { MobileRelease } from '../../pipeline/ports';
import { statusOf } from '../gcs/storage-client';

/** GCS answers 412 when `ifGenerationMatch: 0` finds the object already there. */
const PRECONDITION_FAILED = 412;

/**
 * Writes a release's validated bytes create-only, with their sha256 in the object's metadata. A
 * retry finds its own earlier object (same hash) and goes on; an object holding other bytes is
 * never overwritten: `conflict` says what a person should do about it.
 * @see https://cloud.google.com/storage/docs/request-preconditions
 */
export async function writeImmutable(file: File, release: MobileRelease, conflict: string): Promise<void> {
  try {
    await file.save(Buffer.from(release.bytes), {
      resumable: false,
      contentType: 'application/octet-stream',
      metadata: { metadata: { sha256: release.sha256, runId: release.runId } },
      preconditionOpts: { ifGenerationMatch: 0 },
    });
  } catch (error) {
    if (statusOf(error) !== PRECONDITION_FAILED) throw error;
    const [metadata] = await file.getMetadata();
    if (metadata.metadata?.sha256 !== release.sha256) throw new Error(conflict);
  }
}
