import type { Storage } from '@google-cloud/storage';
import { retryLater } from '../../core/errors';
import { newerVersion } from '../../core/run/run-id';
import { versionObject } from '../../core/mobile/manifest-paths';
import type { ManifestRollout, MobileChannel, MobileRelease, RolloutManifest } from '../../pipeline/ports';
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
  /** A staged rollout under way: its candidate, and the share of app instances that should take it. */
  rollout?: ManifestRollout;
  /** The version a completed staged rollout replaced: what `ferry rollback` makes current again. */
  previous?: Omit<MobileManifest, 'rollout' | 'previous'>;
}

/** Before a model's first full release, a staged rollout's manifest has the rollout entry only. */
export type StagedManifest = Pick<MobileManifest, 'modelName'> & { rollout?: ManifestRollout };

function hasCurrent(manifest: MobileManifest | StagedManifest): manifest is MobileManifest {
  return 'version' in manifest;
}

const CAS_ATTEMPTS = 10;

/**
 * Cloud Storage for Firebase, Google's migration path off Firebase ML: each version is an
 * immutable object (written once, `ifGenerationMatch: 0`), and a manifest beside it names the
 * current one (compare-and-set on its generation), so apps never see a half-written release.
 * @see https://firebase.google.com/docs/ml/migrate-from-firebase-ml-model-deployment
 */
export class FirebaseStorageChannel implements MobileChannel, RolloutManifest {
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
    const object = versionObject(release.modelName, release.version);
    await this.writeVersion(object, release);
    const manifestKey = `${release.modelName}/manifest.json`;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const read = await this.documents.get<MobileManifest | StagedManifest>(manifestKey);
      const current = read && hasCurrent(read.value) ? { ...read, value: read.value } : undefined;
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
        ...(read?.value.rollout ? { rollout: read.value.rollout } : {}),
      };
      const written = read
        ? await this.documents.update(manifestKey, manifest, read.generation)
        : await this.documents.create(manifestKey, manifest);
      if (written) return `gs://${this.bucket}/${object} with manifest gs://${this.bucket}/models/${manifestKey}`;
    }
    throw retryLater(`manifest for ${release.modelName} kept changing`);
  }

  async stage(release: MobileRelease, rollout: ManifestRollout): Promise<string> {
    const object = versionObject(release.modelName, release.version);
    await this.writeVersion(object, release);
    await this.editManifest(release.modelName, (manifest) =>
      manifest?.rollout?.runId === rollout.runId
        ? undefined
        : { ...(manifest ?? { modelName: release.modelName }), rollout },
    );
    return `gs://${this.bucket}/${object} stored; the manifest's rollout entry offers it to ${rollout.percent} % of app instances (its current version stays)`;
  }

  async widen(modelName: string, runId: string, percent: number): Promise<void> {
    await this.editManifest(modelName, (manifest) =>
      manifest?.rollout?.runId === runId && manifest.rollout.percent !== percent
        ? { ...manifest, rollout: { ...manifest.rollout, percent } }
        : undefined,
    );
  }

  async complete(modelName: string, runId: string): Promise<void> {
    await this.editManifest(modelName, (manifest) => {
      const rollout = manifest?.rollout;
      if (!manifest || rollout?.runId !== runId) return undefined;
      const { candidate } = rollout;
      const previous = hasCurrent(manifest) ? withoutRollout(manifest) : undefined;
      return {
        ...(previous ? { previous } : {}),
        modelName,
        version: candidate.version,
        sha256: candidate.sha256,
        sizeBytes: candidate.sizeBytes,
        tags: candidate.tags,
        object: candidate.object,
        publishedAt: this.now().toISOString(),
        runId,
      };
    });
  }

  async revert(modelName: string, runId: string): Promise<string> {
    let outcome = `the manifest of ${modelName} was not changed by run ${runId}'s rollout, or was reverted already`;
    await this.editManifest(modelName, (manifest) => {
      if (!manifest || !hasCurrent(manifest) || manifest.runId !== runId || !manifest.previous) return undefined;
      outcome = `the manifest of ${modelName} points at version ${manifest.previous.version} again`;
      return { ...manifest.previous, ...(manifest.rollout ? { rollout: manifest.rollout } : {}) };
    });
    return outcome;
  }

  async clear(modelName: string, runId: string): Promise<void> {
    await this.editManifest(modelName, (manifest) => {
      if (!manifest || manifest.rollout?.runId !== runId) return undefined;
      const { rollout: _gone, ...rest } = manifest;
      return rest;
    });
  }

  /** Compare-and-set on the manifest; `edit` returns undefined when there is nothing to change. */
  private async editManifest(
    modelName: string,
    edit: (manifest: MobileManifest | StagedManifest | undefined) => MobileManifest | StagedManifest | undefined,
  ): Promise<void> {
    const key = `${modelName}/manifest.json`;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const read = await this.documents.get<MobileManifest | StagedManifest>(key);
      const next = edit(read?.value);
      if (!next) return;
      const written = read
        ? await this.documents.update(key, next, read.generation)
        : await this.documents.create(key, next);
      if (written) return;
    }
    throw retryLater(`manifest for ${modelName} kept changing`);
  }

  private async writeVersion(object: string, release: MobileRelease): Promise<void> {
    await writeImmutable(
      this.storage().bucket(this.bucket).file(object),
      release,
      `gs://${this.bucket}/${object} already holds a different model for version ${release.version}; versions are immutable, publish a new version`,
    );
  }
}

function withoutRollout(manifest: MobileManifest): Omit<MobileManifest, 'rollout' | 'previous'> {
  const { rollout: _rollout, previous: _previous, ...current } = manifest;
  return current;
}
