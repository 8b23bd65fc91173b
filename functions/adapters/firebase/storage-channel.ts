import type { Storage } from '@google-cloud/storage';
import { retryLater } from '../../core/errors';
import { newerVersion } from '../../core/run/run-id';
import type { MobileChannel, MobileRelease } from '../../pipeline/ports';
import { GcsDocuments } from '../gcs/gcs-documents';
import { writeImmutable } from './immutable-object';

/** What apps read to find the current model: `models/<name>/manifest.json` in the Firebase bucket. */
export interface MobileManifest {
  modelName: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  tags: string[];
  /** `models/<name>/<version>/model.tflite` in the same bucket. */
  object: string;
  publishedAt: string;
  runId: string;
}

const CAS_ATTEMPTS = 10;

/**
 * Cloud Storage for Firebase, Google's migration path off Firebase ML: each version is an
 * immutable object (written once, `ifGenerationMatch: 0`), and a manifest beside it names the
 * current one (compare-and-set on its generation), so apps never see a half-written release.
 * @see https://firebase.google.com/docs/ml/migrate-from-firebase-ml-model-deployment
 */
export class FirebaseStorageChannel implements MobileChannel {
  readonly name = 'firebaseStorage' as const;
  private readonly documents: GcsDocuments;

  constructor(
    private readonly storage: () => Storage,
    private readonly bucket: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.documents = new GcsDocuments(storage, bucket, 'models/');
  }

  async publish(release: MobileRelease): Promise<string> {
    const object = `models/${release.modelName}/${release.version}/model.tflite`;
    await this.writeVersion(object, release);
    const manifestKey = `${release.modelName}/manifest.json`;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const current = await this.documents.get<MobileManifest>(manifestKey);
      if (current?.value.runId === release.runId)
        return `gs://${this.bucket}/${object} is current (manifest already points at it)`;
      // Releases can finish out of order; the manifest never moves back to an older version.
      if (current && newerVersion(current.value.version, release.version)) {
        return `gs://${this.bucket}/${object} stored; the manifest keeps the newer version ${current.value.version}`;
      }
      const manifest: MobileManifest = {
        modelName: release.modelName,
        version: release.version,
        sha256: release.sha256,
        sizeBytes: release.bytes.byteLength,
        tags: release.tags,
        object,
        publishedAt: this.now().toISOString(),
        runId: release.runId,
      };
      const written = current
        ? await this.documents.update(manifestKey, manifest, current.generation)
        : await this.documents.create(manifestKey, manifest);
      if (written) return `gs://${this.bucket}/${object} with manifest gs://${this.bucket}/models/${manifestKey}`;
    }
    throw retryLater(`manifest for ${release.modelName} kept changing`);
  }

  private async writeVersion(object: string, release: MobileRelease): Promise<void> {
    await writeImmutable(
      this.storage().bucket(this.bucket).file(object),
      release,
      `gs://${this.bucket}/${object} already holds a different model for version ${release.version}; versions are immutable, publish a new version`,
    );
  }
}
