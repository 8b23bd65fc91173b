import { genericMetadata } from './clock';
import { paginate } from './list-filter';
import type { Handler } from './unary';
import { planCopy } from './model-copy';
import { parseLocation } from './resource-names';
import type { VertexContext } from './vertex-context';

const V1 = 'google.cloud.aiplatform.v1';

/**
 * ModelService RPCs ferry uses: UploadModel (versions under a parent model), CopyModel (into
 * another location), GetModel, ListModels, ListModelVersions, MergeVersionAliases, DeleteModel, DeleteModelVersion.
 * https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#modelservice
 */
export function modelServiceHandlers(ctx: VertexContext): Record<string, Handler> {
  const { models, operations } = ctx;

  /** A delete LRO: checks again when it runs, since the model may have changed meanwhile. */
  const deleteOperation = async (
    parent: string,
    method: 'DeleteModel' | 'DeleteModelVersion',
    req: Parameters<Handler>[0],
    remove: () => void,
  ) => {
    const created = Date.now();
    const op = await operations.start({
      parent,
      metadataType: `${V1}.DeleteOperationMetadata`,
      metadata: () => ({ genericMetadata: genericMetadata(created) }),
      responseType: 'google.protobuf.Empty',
      durationMs: ctx.durationMs(method),
      replay: { method, request: req, ids: [] },
      run: () => {
        remove();
        return {};
      },
    });
    return operations.toProto(op);
  };

  return {
    async UploadModel(req) {
      const parent = parseLocation(req.parent, 'parent');
      const plan = models.planUpload(parent, req);
      const created = Date.now();
      const op = await operations.start({
        parent: plan.name,
        metadataType: `${V1}.UploadModelOperationMetadata`,
        metadata: () => ({ genericMetadata: genericMetadata(created) }),
        responseType: `${V1}.UploadModelResponse`,
        durationMs: ctx.durationMs('UploadModel'),
        run: plan.commit,
        replay: { method: 'UploadModel', request: req, ids: plan.ids },
      });
      return operations.toProto(op);
    },

    async CopyModel(req) {
      const parent = parseLocation(req.parent, 'parent');
      const plan = planCopy(models, parent, req);
      const created = Date.now();
      const op = await operations.start({
        parent: plan.name,
        metadataType: `${V1}.CopyModelOperationMetadata`,
        metadata: () => ({ genericMetadata: genericMetadata(created) }),
        responseType: `${V1}.CopyModelResponse`,
        durationMs: ctx.durationMs('CopyModel'),
        run: plan.commit,
        replay: { method: 'CopyModel', request: req, ids: plan.ids },
      });
      return operations.toProto(op);
    },

    GetModel(req) {
      const { entry, version } = models.resolve(req.name, 'name');
      return models.toProto(entry, version);
    },

    ListModels(req) {
      const all = models.list(parseLocation(req.parent, 'parent'), req.filter);
      const { page, nextPageToken } = paginate(all, req.pageSize, req.pageToken);
      return { models: page, nextPageToken };
    },

    ListModelVersions(req) {
      const all = models.listVersions(req.name, req.filter);
      const { page, nextPageToken } = paginate(all, req.pageSize, req.pageToken);
      return { models: page, nextPageToken };
    },

    MergeVersionAliases(req) {
      return models.mergeAliases(req.name, req.versionAliases);
    },

    async DeleteModel(req) {
      const entry = models.checkDelete(req.name);
      return deleteOperation(entry.name, 'DeleteModel', req, () => {
        models.checkDelete(req.name);
        models.models.delete(entry.name);
      });
    },

    async DeleteModelVersion(req) {
      const { entry, version } = models.checkDeleteVersion(req.name);
      return deleteOperation(entry.name, 'DeleteModelVersion', req, () => {
        models.checkDeleteVersion(req.name);
        entry.versions.delete(version.versionId);
        if (entry.versions.size === 0) models.models.delete(entry.name);
      });
    },
  };
}
