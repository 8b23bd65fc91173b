import type { App } from 'firebase-admin/app';
import type * as MachineLearningModule from 'firebase-admin/machine-learning';
import { errorMessage, retryLater } from '../../core/errors';
import { newerVersionTag } from '../../core/run/run-id';
import type { MobileChannel, MobileRelease } from '../../pipeline/ports';

/** How long to wait for Firebase ML to validate a file before publishing it. */
export const UNLOCK_TIMEOUT_MS = 120_000;
/** Updates refused because the model was locked, before the delivery is handed back for a retry. */
const LOCKED_ATTEMPTS = 5;

/**
 * Firebase ML model management (shuts down on 15 June 2027): the model is found or created by
 * display name, gets the candidate's file and tags, is waited on until Firebase has validated the
 * file, and is published only if Firebase found nothing wrong. Publishing the same release twice
 * changes nothing.
 * @see https://firebase.google.com/docs/ml/manage-hosted-models
 */
export class FirebaseMlChannel implements MobileChannel {
  readonly name = 'firebaseMl' as const;

  constructor(private readonly app: () => App) {}

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
        // Another release's update took the model between our wait and our update: wait again. A
        // model still locked after that is a reason to retry later, not to fail; firebase-admin
        // gives no status code for it (and its errors have a read-only `code`).
        if (!/locked/i.test(errorMessage(error))) throw error;
        if (attempt >= LOCKED_ATTEMPTS)
          throw retryLater(`Firebase ML model "${release.modelName}": ${errorMessage(error)}`, error);
      }
    }
  }

  private async publishOnce(release: MobileRelease): Promise<string> {
    const ml = this.ml();
    const options = {
      displayName: release.modelName,
      tags: release.tags,
      tfliteModel: { gcsTfliteUri: release.gcsUri },
    };
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
    model = model ? await ml.updateModel(model.modelId, options) : await ml.createModel(options);
    if (model.locked) await model.waitForUnlocked(UNLOCK_TIMEOUT_MS);
    model = await ml.getModel(model.modelId);
    if (model.validationError) throw new Error(`Firebase ML refused the file: ${model.validationError}`);
    await ml.publishModel(model.modelId);
    return `Firebase ML model ${model.modelId} "${release.modelName}" published with tags ${release.tags.join(', ')}`;
  }
}
