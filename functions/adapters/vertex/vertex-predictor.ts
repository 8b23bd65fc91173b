import type { PredictionServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import type { Predictor, PredictResult } from '../../pipeline/ports';
import { translated } from './port-errors';
import { locationOf } from './regional-clients';
import { fromValue, toValue, type ProtoValue } from './proto-value';

/**
 * Online prediction through the official PredictionServiceClient; the response names the
 * deployed model that answered, which is how validation attributes answers to the candidate.
 * A refusal (INVALID_ARGUMENT: the model could not take the input or produce an output) arrives
 * as PortError `invalid`, evidence against the model; 429/503 pass through as transient.
 * The endpoint's location picks the regional client.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.PredictResponse
 */
export class VertexPredictor implements Predictor {
  constructor(private readonly client: (location?: string) => PredictionServiceClient) {}

  async predict(endpoint: string, instances: unknown[]): Promise<PredictResult> {
    const [response] = await translated(endpoint, () =>
      this.client(locationOf(endpoint)).predict({ endpoint, instances: instances.map(toValue) as never }),
    );
    return {
      predictions: (response.predictions ?? []).map((p) => fromValue(p as ProtoValue)),
      deployedModelId: response.deployedModelId ?? '',
    };
  }
}
