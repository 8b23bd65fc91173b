import { genericMetadata } from './clock';
import { deploymentStage } from './deployment-stage';
import {
  checkResources,
  deployedModelProto,
  type DeployedModelRecord,
  type EndpointEntry,
  type LoadedModel,
} from './endpoint-registry';
import { paginate } from './list-filter';
import type { OperationReplay } from './operations';
import type { Msg } from './protos';
import { parseEndpointName, parseLocation } from './resource-names';
import { Code, RpcError, badField, failedPrecondition, invalidArgument, notFound } from './rpc-error';
import { splitForDeploy, splitForUndeploy, splitForUpdate } from './traffic-split';
import type { Handler } from './unary';
import { checkLabels, checkText } from './validation';
import type { LroMethod, VertexContext } from './vertex-context';

const V1 = 'google.cloud.aiplatform.v1';

/**
 * EndpointService RPCs: endpoints, DeployModel with its canary traffic split, UndeployModel and
 * UpdateEndpoint (the non-LRO way to move traffic).
 * https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#endpointservice
 */
export function endpointServiceHandlers(ctx: VertexContext): Record<string, Handler> {
  const { endpoints, models, operations } = ctx;

  /** Runs `run` as an LRO on `entry`, holding the endpoint's in-flight slot until it ends. */
  async function endpointOperation(
    entry: EndpointEntry,
    method: LroMethod,
    metadataType: string,
    responseType: string,
    run: () => Promise<Msg>,
    options: { stage?: boolean; onSettle?: () => void; replay: OperationReplay },
  ): Promise<Msg> {
    const { stage = false, onSettle, replay } = options;
    const created = Date.now();
    entry.pendingOperation = method;
    const op = await operations.start({
      parent: entry.name,
      metadataType,
      metadata: (progress) => ({
        genericMetadata: genericMetadata(created),
        ...(stage ? { deploymentStage: deploymentStage(progress, !!op?.error) } : {}),
      }),
      responseType,
      durationMs: ctx.durationMs(method),
      run,
      replay,
      settle: () => {
        entry.pendingOperation = undefined;
        onSettle?.();
      },
    });
    if (!op.done) entry.pendingOperation = op.name;
    return operations.toProto(op);
  }

  return {
    async CreateEndpoint(req) {
      const plan = endpoints.planCreate(parseLocation(req.parent, 'parent'), req);
      const created = Date.now();
      const op = await operations.start({
        parent: plan.name,
        metadataType: `${V1}.CreateEndpointOperationMetadata`,
        metadata: () => ({ genericMetadata: genericMetadata(created) }),
        responseType: `${V1}.Endpoint`,
        durationMs: ctx.durationMs('CreateEndpoint'),
        run: plan.commit,
        replay: { method: 'CreateEndpoint', request: req, ids: plan.ids },
      });
      return operations.toProto(op);
    },

    GetEndpoint(req) {
      return endpoints.toProto(endpoints.get(req.name));
    },

    ListEndpoints(req) {
      const all = endpoints.list(parseLocation(req.parent, 'parent'), req.filter);
      const { page, nextPageToken } = paginate(all, req.pageSize, req.pageToken);
      return { endpoints: page, nextPageToken };
    },

    UpdateEndpoint(req) {
      const patch = req.endpoint as Msg | undefined;
      if (!patch || typeof patch !== 'object') throw badField('endpoint', 'is required.');
      const entry = endpoints.get(patch.name, 'endpoint.name');
      const paths = (req.updateMask?.paths ?? []) as string[];
      if (paths.length === 0)
        throw badField('update_mask', 'is required: list the fields to update, e.g. traffic_split.');
      if (patch.etag && patch.etag !== entry.etag) {
        throw new RpcError(
          Code.ABORTED,
          `The etag "${patch.etag}" does not match the current etag of ${entry.name}; read the endpoint again and retry.`,
        );
      }
      // Like DeployModel and UndeployModel, a traffic-split change waits for the endpoint's
      // running operation: Vertex answers FAILED_PRECONDITION, "retry when it is done".
      if (paths.some((path) => path === 'traffic_split' || path === 'trafficSplit')) endpoints.checkIdle(entry);
      const changes: Array<() => void> = paths.map((path) => {
        switch (path) {
          case 'traffic_split':
          case 'trafficSplit': {
            const split = splitForUpdate(
              entry.deployed.map((d) => d.id),
              patch.trafficSplit,
            );
            return () => (entry.trafficSplit = split);
          }
          case 'display_name':
          case 'displayName': {
            const name = checkText(patch.displayName, 'endpoint.display_name');
            return () => (entry.displayName = name);
          }
          case 'labels': {
            const labels = checkLabels(patch.labels, 'endpoint.labels');
            return () => (entry.labels = labels);
          }
          case 'description':
            return () => (entry.description = patch.description);
          default:
            throw badField(
              'update_mask',
              `"${String(path).slice(0, 100)}" cannot be updated; supported: traffic_split, display_name, labels, description.`,
            );
        }
      });
      changes.forEach((apply) => apply());
      endpoints.touch(entry);
      return endpoints.toProto(entry);
    },

    async DeleteEndpoint(req) {
      const entry = endpoints.get(req.name);
      endpoints.checkIdle(entry);
      const check = (): void => {
        if (entry.deployed.length > 0) {
          throw failedPrecondition(
            `Endpoint ${entry.name} has deployed models (${entry.deployed.map((d) => d.id).join(', ')}). Undeploy them first.`,
          );
        }
      };
      check();
      return endpointOperation(
        entry,
        'DeleteEndpoint',
        `${V1}.DeleteOperationMetadata`,
        'google.protobuf.Empty',
        async () => {
          check();
          endpoints.endpoints.delete(entry.name);
          return {};
        },
        { replay: { method: 'DeleteEndpoint', request: req, ids: [] } },
      );
    },

    async DeployModel(req) {
      const entry = endpoints.get(req.endpoint, 'endpoint');
      endpoints.checkIdle(entry);
      const dm = req.deployedModel as Msg | undefined;
      if (!dm || typeof dm !== 'object') throw badField('deployed_model', 'is required.');
      const { entry: modelEntry, version, ref } = models.resolve(dm.model, 'deployed_model.model');
      // Vertex is regional: a model serves only from endpoints in its own location (copy it first).
      // https://cloud.google.com/vertex-ai/docs/general/locations
      const endpointLocation = parseEndpointName(entry.name, 'endpoint').location;
      if (ref.location !== endpointLocation)
        throw badField(
          'deployed_model.model',
          `is in ${ref.location}, the endpoint in ${endpointLocation}; copy the model into the endpoint's location first (CopyModel).`,
        );
      checkResources(dm);
      const id = endpoints.deployedModelId(entry, dm.id);
      const ids = (): string[] => entry.deployed.map((d) => d.id);
      splitForDeploy(entry.trafficSplit, ids(), req.trafficSplit, id);
      version.deploying += 1;
      return endpointOperation(
        entry,
        'DeployModel',
        `${V1}.DeployModelOperationMetadata`,
        `${V1}.DeployModelResponse`,
        async () => {
          let loaded: LoadedModel;
          try {
            loaded = await ctx.backend.load(version.artifactUri ?? '');
          } catch (err) {
            throw invalidArgument(
              `Model server never became ready. Please validate that your model file or container configuration are valid. (${modelEntry.name}@${version.versionId}, artifact ${version.artifactUri ?? '(none)'}: ${(err as Error).message})`,
            );
          }
          try {
            if (!endpoints.endpoints.has(entry.name)) throw notFound(`Endpoint ${entry.name} not found.`);
            if (!modelEntry.versions.has(version.versionId))
              throw notFound(`Model ${modelEntry.name}@${version.versionId} not found.`);
            const split = splitForDeploy(entry.trafficSplit, ids(), req.trafficSplit, id);
            const record: DeployedModelRecord = {
              id,
              model: modelEntry.name,
              modelVersionId: version.versionId,
              modelDisplayName: version.displayName,
              displayName: dm.displayName || undefined,
              createTime: Date.now(),
              dedicatedResources: dm.dedicatedResources,
              automaticResources: dm.automaticResources,
              loaded,
            };
            entry.deployed.push(record);
            entry.trafficSplit = split;
            version.deployedModels.push({ endpoint: entry.name, deployedModelId: id });
            endpoints.touch(entry);
            return { deployedModel: deployedModelProto(record) };
          } catch (err) {
            loaded.dispose?.();
            throw err;
          }
        },
        {
          stage: true,
          onSettle: () => (version.deploying -= 1),
          replay: { method: 'DeployModel', request: req, ids: id === dm.id ? [] : [id] },
        },
      );
    },

    async UndeployModel(req) {
      const entry = endpoints.get(req.endpoint, 'endpoint');
      endpoints.checkIdle(entry);
      if (typeof req.deployedModelId !== 'string' || req.deployedModelId === '')
        throw badField('deployed_model_id', 'is required.');
      const plan = (): { record: DeployedModelRecord; split: Record<string, number> } => {
        const record = entry.deployed.find((d) => d.id === req.deployedModelId);
        if (!record) throw notFound(`Deployed model ${req.deployedModelId} not found on ${entry.name}.`);
        return {
          record,
          split: splitForUndeploy(
            entry.trafficSplit,
            entry.deployed.map((d) => d.id),
            record.id,
            req.trafficSplit,
          ),
        };
      };
      plan();
      return endpointOperation(
        entry,
        'UndeployModel',
        `${V1}.UndeployModelOperationMetadata`,
        `${V1}.UndeployModelResponse`,
        async () => {
          const { record, split } = plan();
          entry.deployed = entry.deployed.filter((d) => d !== record);
          entry.trafficSplit = split;
          endpoints.touch(entry);
          const version = models.models.get(record.model)?.versions.get(record.modelVersionId);
          if (version)
            version.deployedModels = version.deployedModels.filter(
              (d) => !(d.endpoint === entry.name && d.deployedModelId === record.id),
            );
          record.loaded.dispose?.();
          return {};
        },
        { replay: { method: 'UndeployModel', request: req, ids: [] } },
      );
    },
  };
}
