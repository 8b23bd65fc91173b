import { InstancesError } from '../../functions/runtime/errors';
import { fromValue, toValue } from './proto-value';
import { requestBytes } from './protos';
import { Code, RpcError, badField, failedPrecondition, invalidArgument } from './rpc-error';
import { pickDeployedModel } from './traffic-split';
import type { Handler } from './unary';
import type { VertexContext } from './vertex-context';

/**
 * Online prediction requests are limited to 1.5 MB.
 * https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions#send-request
 */
export const MAX_PREDICT_REQUEST_BYTES = 1.5 * 1024 * 1024;

/**
 * PredictionService.Predict: picks one deployed model by the endpoint's traffic split (seeded)
 * and answers with its predictions and `deployedModelId`, which ferry uses to attribute results.
 * https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#predictionservice
 */
export function predictionServiceHandlers(ctx: VertexContext): Record<string, Handler> {
  return {
    async Predict(req) {
      const size = requestBytes.get(req) ?? 0;
      if (size > MAX_PREDICT_REQUEST_BYTES) {
        throw invalidArgument(`Request payload size exceeds the limit: ${MAX_PREDICT_REQUEST_BYTES} bytes.`);
      }
      const entry = ctx.endpoints.get(req.endpoint, 'endpoint');
      const values = (req.instances ?? []) as unknown[];
      if (values.length === 0) throw badField('instances', 'is required: send at least one instance.');
      const instances = values.map((v, i) => fromValue(v as Record<string, unknown>, `instances[${i}]`));
      if (req.parameters) fromValue(req.parameters, 'parameters');
      const id = pickDeployedModel(
        entry.trafficSplit,
        entry.deployed.map((d) => d.id),
        ctx.random(),
      );
      const target = entry.deployed.find((d) => d.id === id);
      if (!target)
        throw failedPrecondition(
          `Endpoint ${entry.name} has no deployed model that takes traffic; deploy a model or update its traffic_split.`,
        );
      let predictions: unknown[];
      try {
        predictions = await target.loaded.predict(instances);
      } catch (err) {
        if (err instanceof InstancesError || (err as Error)?.name === 'InstancesError')
          throw invalidArgument((err as Error).message);
        throw new RpcError(
          Code.INTERNAL,
          `Model server error on deployed model ${target.id}: ${(err as Error)?.message ?? String(err)}`,
        );
      }
      if (!Array.isArray(predictions) || predictions.length !== instances.length) {
        throw new RpcError(
          Code.INTERNAL,
          `Model server on deployed model ${target.id} returned ${Array.isArray(predictions) ? predictions.length : 'no'} predictions for ${instances.length} instances.`,
        );
      }
      return {
        predictions: predictions.map((p) => toValue(p)),
        deployedModelId: target.id,
        model: target.model,
        modelDisplayName: target.modelDisplayName,
        modelVersionId: target.modelVersionId,
      };
    },
  };
}
