import type { Storage } from '@google-cloud/storage';
import type { App } from 'firebase-admin/app';
import type * as MachineLearningModule from 'firebase-admin/machine-learning';
import { errorMessage, retryLater } from '../../core/errors';
import { newerVersionTag } from '../../core/run/run-id';
import type { MobileChannel, MobileRelease } from '../../pipeline/ports';
import { writeImmutable } from './immutable-object';

/** How long to wait for Firebase ML to validate a file before publishing it. */
export const UNLOCK_TIMEOUT_MS = 120_000;
/** Attempts lost to another release (model locked or taken), before the delivery is handed back for a retry. */
const CONTENDED_ATTEMPTS = 5;

/** Another release created or changed the model between our read and our write: start again from the listing. */
class ModelTaken extends Error {}

/**
 * Firebase ML model management (shuts down on 15 June 2027): the model is found or created by
 * display name, gets the candidate's file and tags, is waited on until Firebase has validated the
 * file, and is published only if Firebase found nothing wrong. Publishing the same release twice
 * changes nothing.
 *
 * Firebase ML fetches the file itself, later, through a read URL firebase-admin signs for the
 * `gcsTfliteUri` (`MachineLearning.signUrl`: `bucket.file(name).getSignedUrl`, no generation), so
 * it gets whatever the object holds then. The candidate's own object can be overwritten after
 * ferry validated it; the channel therefore first writes the validated bytes, create-only, to
 * an object named by their SHA-256 in `bucket` and points Firebase ML at that one.
 * @see https://firebase.google.com/docs/ml/manage-hosted-models
 */
export class FirebaseMlChannel implements MobileChannel {
  readonly name = 'firebaseMl' as const;

  constructor(
    private readonly app: () => App,
    private readonly storage: () => Storage,
    /** Where the validated bytes are kept under `firebase-ml/` (ferry's state bucket). */
    private readonly bucket: string,
  ) {}

  private ml(): MachineLearningModule.MachineLearning {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- first use only (cold start)
    const { getMachineLearning } = require('firebase-admin/machine-learning') as typeof MachineLearningModule;
    return getMachineLearning(this.app());
  }

  async publish(release: MobileRelease): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.publishOnce(release);
      } catch (error) {
        // Another release's update took the model between our wait and our update: wait again
        // (firebase-admin gives no status code for a locked model, and its `code` is read-only).
        // Another release created the model first (two versions racing on createModel), or changed
        // it while we waited: the next attempt finds it by name and continues as an update, or
        // leaves it to a newer version. Still contended after that: retry later, do not fail.
        const contended = /locked/i.test(errorMessage(error)) || error instanceof ModelTaken;
        if (!contended) throw error;
        if (attempt >= CONTENDED_ATTEMPTS)
          throw retryLater(`Firebase ML model "${release.modelName}": ${errorMessage(error)}`, error);
      }
    }
  }

  private async publishOnce(release: MobileRelease): Promise<string> {
    const ml = this.ml();
    let model: MachineLearningModule.Model | undefined = (
      await ml.listModels({ filter: `display_name = ${release.modelName}` })
    ).models[0];
    if (model?.locked) {
      await model.waitForUnlocked(UNLOCK_TIMEOUT_MS);
      model = await ml.getModel(model.modelId);
    }
    const versionTag = release.tags[release.tags.length - 1];
    if (model && model.published && model.tags.includes(versionTag) && model.modelHash === release.sha256) {
      return `Firebase ML model ${model.modelId} already publishes ${versionTag}`;
    }
    // Releases can finish out of order; the model never moves back to an older version.
    const newer = model && newerVersionTag(model.tags, versionTag);
    if (model && newer) return `Firebase ML model ${model.modelId} keeps the newer version ${newer}`;
    const options = {
      displayName: release.modelName,
      tags: release.tags,
      tfliteModel: { gcsTfliteUri: await this.keepValidatedBytes(release) },
    };
    model = model ? await ml.updateModel(model.modelId, options) : await this.create(ml, options);
    if (model.locked) await model.waitForUnlocked(UNLOCK_TIMEOUT_MS);
    model = await ml.getModel(model.modelId);
    if (!model.tags.includes(versionTag))
      throw new ModelTaken(`model ${model.modelId} was changed by another release while ${versionTag} validated`);
    if (model.validationError) throw new Error(`Firebase ML refused the file: ${model.validationError}`);
    await ml.publishModel(model.modelId);
    return `Firebase ML model ${model.modelId} "${release.modelName}" published with tags ${release.tags.join(', ')}`;
  }

  /**
   * createModel, or ModelTaken when it failed because a model of that display name exists now
   * (another release created it since our listing). firebase-admin maps only some REST statuses
   * to codes (`ERROR_CODE_MAPPING` in `machine-learning-api-client.js` has no ALREADY_EXISTS: it
   * arrives as `unknown-error`), so the listing, not the error, decides.
   */
  private async create(
    ml: MachineLearningModule.MachineLearning,
    options: MachineLearningModule.ModelOptions,
  ): Promise<MachineLearningModule.Model> {
    try {
      return await ml.createModel(options);
    } catch (error) {
      const filter = `display_name = ${options.displayName ?? ''}`;
      if ((await ml.listModels({ filter })).models.length === 0) throw error;
      throw new ModelTaken(
        `Firebase ML model "${options.displayName}" was created by another release: ${errorMessage(error)}`,
      );
    }
  }

  /**
   * `gs://<bucket>/firebase-ml/<model>/<sha256>.tflite`, written once (`ifGenerationMatch: 0`); an
   * earlier attempt's object is reused when it carries the same hash. The name cannot be reused
   * for other bytes by ferry, so what Firebase ML fetches is what was validated.
   */
  private async keepValidatedBytes(release: MobileRelease): Promise<string> {
    const name = `firebase-ml/${release.modelName}/${release.sha256}.tflite`;
    await writeImmutable(
      this.storage().bucket(this.bucket).file(name),
      release,
      `gs://${this.bucket}/${name} exists without sha256 ${release.sha256}; delete it so ferry can write the validated model again`,
    );
    return `gs://${this.bucket}/${name}`;
  }
}
