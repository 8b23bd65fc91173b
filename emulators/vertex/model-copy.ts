import type { Msg } from './protos';
import type { ModelRegistry } from './model-registry';
import { type LocationName, locationPath, parseModelName } from './resource-names';
import { badField } from './rpc-error';

/** A checked CopyModel request: the model it will write to, the ids it drew, and its commit. */
export interface CopyPlan {
  name: string;
  ids: string[];
  commit: () => { model: string; modelVersionId: string };
}

/**
 * CopyModel's rules. The source (`name`, `name@version` or `name@alias`; a bare name copies the
 * default version) must exist and be in the project of `parent`: the v1 reference and the proto
 * say "That Model must be in the same Project". The copy lands in a new model (`model_id`, or a
 * generated id) or as a new version of `parent_model`, which must be in `parent`. It keeps the
 * source's display name, descriptions, artifact, serving container and labels, but no alias:
 * "The copied model won't retain … Version aliases", so it holds `default` only when it is the
 * model's first version, as an upload does. The service documents no refusal of a copy into the
 * source's own region, so none is made.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/copy
 * @see https://cloud.google.com/vertex-ai/docs/model-registry/copy-model
 */
export function planCopy(models: ModelRegistry, parent: LocationName, req: Msg): CopyPlan {
  const source = parseModelName(req.sourceModel, 'source_model');
  if (source.project !== parent.project) {
    throw badField(
      'source_model',
      `must be in the same project as parent (${locationPath(parent)}); ${source.project} is another project.`,
    );
  }
  models.resolve(req.sourceModel, 'source_model');
  if (req.modelId && req.parentModel) throw badField('model_id', 'give model_id or parent_model, not both.');
  const { target, ids } = models.destination(parent, req);
  /** Checked when the copy starts and again when it completes: either may have changed meanwhile. */
  const check = () => {
    const found = models.resolve(req.sourceModel, 'source_model');
    models.checkDestination(target, req);
    return found.version;
  };
  check();
  return {
    name: target,
    ids,
    commit: () => {
      const { displayName, description, versionDescription, artifactUri, containerSpec, labels } = check();
      const fields = {
        displayName,
        description,
        versionDescription,
        artifactUri,
        containerSpec,
        labels: { ...labels },
      };
      return models.addVersion(target, fields, []);
    },
  };
}
