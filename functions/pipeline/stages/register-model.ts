import { RUN_LABEL, WORKFLOW_LABEL } from '../../core/labels';
import { advance } from '../../core/run/transitions';
import { versionAlias } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { servingImageFor } from '../../core/serving-image';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import { isPending, type Clock, type ModelRegistry } from '../ports';
import type { Stage } from '../run-stage';
import { TOPICS } from '../topics';
import { checkRecorded, followMessages, recordPending } from './pending-operation';
import { workflowOf } from './workflow-of';

export interface RegisterDeps {
  registry: ModelRegistry;
  workflows: WorkflowSet;
  clock: Clock;
}

/**
 * Registers the candidate as a new version under the workflow's model (or as its first version),
 * with the version alias, then moves `candidate` to it. A retry after a crash finds the version
 * by its run label instead of uploading twice.
 * @see https://cloud.google.com/vertex-ai/docs/model-registry/versioning
 */
export function registerModelStage(deps: RegisterDeps): Stage {
  return {
    name: 'registerModel',
    expects: { state: 'checked' },
    produces: [{ state: 'registered' }],
    next: (run) =>
      run.state === 'checked' ? followMessages(run) : [{ topic: TOPICS.modelRegistered, data: { runId: run.runId } }],
    async work(run: RunRecord) {
      const workflow = workflowOf(deps.workflows, run);
      const model = workflow.model;
      if (!model) throw new Error(`${workflow.file}: model: is required for SavedModel workflows`);
      const tensorflowVersion = (run.inspection?.tensorflowVersion as string | undefined) ?? undefined;
      const image = servingImageFor(tensorflowVersion, model.servingImage);
      // A recorded upload is followed, never started again: its version shows once it is done.
      if ((await checkRecorded(run, 'registering', (name) => deps.registry.operation(name))) === 'running')
        return { ...run };
      const parentModel = await deps.registry.findModel(model.displayName, workflow.name);
      const found = parentModel ? await deps.registry.findVersionByRun(parentModel, run.runId) : undefined;
      const version =
        found ??
        (await deps.registry.upload({
          displayName: model.displayName,
          description: model.description,
          artifactUri: `gs://${run.bucket}/${run.root}`,
          servingImage: image.image,
          labels: { ...model.labels, [RUN_LABEL]: run.runId, [WORKFLOW_LABEL]: workflow.name },
          aliases: [versionAlias(run.version)],
          parentModel,
        }));
      if (isPending(version)) return recordPending(run, 'registering', version.operation, deps.clock.now());
      if (!version.aliases.includes('candidate')) await deps.registry.mergeAliases(version.versionName, ['candidate']);
      const detail = `${version.versionName} (${versionAlias(run.version)}, candidate)${found ? ', found from an earlier attempt' : ''}${image.warning ? `; ${image.warning}` : ''}`;
      return advance({ ...run, pendingOperation: undefined }, 'registered', deps.clock.now(), detail, {
        model: {
          name: version.name,
          versionId: version.versionId,
          versionName: version.versionName,
          servingImage: image.image,
        },
      });
    },
  };
}
