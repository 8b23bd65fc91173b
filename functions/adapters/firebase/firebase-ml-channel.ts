import type { App } from 'firebase-admin/app';
import type * as MachineLearningModule from 'firebase-admin/machine-learning';
import { errorMessage, retryLater } from '../../core/errors';
import type { MobileChannel, MobileRelease } from '../../pipeline/ports';

/** How long to wait for Firebase ML to validate a file before publishing it. */
export const UNLOCK_TIMEOUT_MS = 120_000;

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
    try {
      return await this.publishOnce(release);
    } catch (error) {
      // A model still locked by an earlier validation (another run, or this run's first attempt) is
      // a reason to try again later, not to fail; firebase-admin gives no status code for it.
      // (firebase-admin's errors have a read-only `code`, so the retryable error is a new one.)
      if (/locked/i.test(errorMessage(error))) throw Object.assign(retryLater(`Firebase ML model "${release.modelName}": ${errorMessage(error)}`), { cause: error });
      throw error;
    }
  }

  private async publishOnce(release: MobileRelease): Promise<string> {
    const ml = this.ml();
    const options = { displayName: release.modelName, tags: release.tags, tfliteModel: { gcsTfliteUri: release.gcsUri } };
    const { models } = await ml.listModels({ filter: `display_name = ${release.modelName}` });
    let model = models[0];
    const versionTag = release.tags[release.tags.length - 1];
    if (model && model.published && model.tags.includes(versionTag) && model.modelHash === release.sha256) {
      return `Firebase ML model ${model.modelId} already publishes ${versionTag}`;
    }
    model = model ? await ml.updateModel(model.modelId, options) : await ml.createModel(options);
    if (model.locked) await model.waitForUnlocked(UNLOCK_TIMEOUT_MS);
    model = await ml.getModel(model.modelId);
    if (model.validationError) throw new Error(`Firebase ML refused the file: ${model.validationError}`);
    await ml.publishModel(model.modelId);
    return `Firebase ML model ${model.modelId} "${release.modelName}" published with tags ${release.tags.join(', ')}`;
  }
}
