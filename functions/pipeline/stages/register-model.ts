import { RUN_LABEL, WORKFLOW_LABEL } from '../../core/labels';
import { advance } from '../../core/run/transitions';
import { versionAlias } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { servingImageFor } from '../../core/serving-image';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import { isPending, type Clock, type ModelRegistry, type ModelVersionRef } from '../ports';
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
 * by its run label instead of uploading twice; so does a `ferry retry` attempt, by the label of the
 * attempt it retries, and one that carries the version an earlier attempt registered reuses it.
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
      if (run.model) return reuseVersion(deps, run, run.model);
      // An environment elsewhere (run.environment.parent): its own registry's model of that name.
      const parent = run.environment?.parent;
      const parentModel = await deps.registry.findModel(model.displayName, workflow.name, parent);
      const found = parentModel ? await findEarlierUpload(deps.registry, parentModel, run) : undefined;
      const copyRequest = run.copyFrom && parent ? { sourceVersionName: run.copyFrom, parent, parentModel } : undefined;
      const version =
        found ??
        (copyRequest
          ? await deps.registry.copy(copyRequest)
          : await deps.registry.upload({
              displayName: model.displayName,
              description: model.description,
              artifactUri: `gs://${run.bucket}/${run.root}`,
              servingImage: image.image,
              labels: { ...model.labels, [RUN_LABEL]: run.runId, [WORKFLOW_LABEL]: workflow.name },
              aliases: [versionAlias(run.version)],
              parentModel,
              ...(parent ? { parent } : {}),
            }));
      if (isPending(version)) return recordPending(run, 'registering', version.operation, deps.clock.now());
      // A copy carries neither the version alias nor the labels of this run: add the alias here.
      const wanted = copyRequest ? ['candidate', versionAlias(run.version)] : ['candidate'];
      if (wanted.some((alias) => !version.aliases.includes(alias)))
        await deps.registry.mergeAliases(version.versionName, wanted);
      const how = found
        ? ', found from an earlier attempt'
        : copyRequest
          ? `, copied from ${copyRequest.sourceVersionName}`
          : '';
      const detail = `${version.versionName} (${versionAlias(run.version)}, candidate)${how}${image.warning ? `; ${image.warning}` : ''}`;
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

/** The version this run uploaded or copied (a retried delivery), else the one the attempt it retries uploaded late. */
async function findEarlierUpload(
  registry: ModelRegistry,
  parentModel: string,
  run: RunRecord,
): Promise<ModelVersionRef | undefined> {
  const own = await registry.findVersionByRun(parentModel, run.runId);
  if (own) return own;
  // CopyModel keeps the source's labels: an earlier copy carries the promoting run's label.
  const copied =
    run.copyFrom && run.promotedFrom ? await registry.findVersionByRun(parentModel, run.promotedFrom) : undefined;
  if (copied || !run.retryOf) return copied;
  return registry.findVersionByRun(parentModel, run.retryOf);
}

/**
 * A `ferry retry` attempt of a run that had registered: the same version becomes the candidate
 * again, never a second upload. `-rejected` undoes what a rejected attempt's rollback marked (only
 * a --force retry reuses one); removing an alias the version lacks changes nothing.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/mergeVersionAliases
 */
async function reuseVersion(
  deps: RegisterDeps,
  run: RunRecord,
  model: NonNullable<RunRecord['model']>,
): Promise<RunRecord> {
  await deps.registry.mergeAliases(model.versionName, ['candidate', '-rejected']);
  const detail = `${model.versionName} (${versionAlias(run.version)}, candidate), reused from ${run.retryOf ?? 'an earlier attempt'}: nothing uploaded`;
  return advance({ ...run, pendingOperation: undefined }, 'registered', deps.clock.now(), detail);
}
