import type { PredictionServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import type { Predictor, PredictResult } from '../../pipeline/ports';
import { fromValue, toValue, type ProtoValue } from './proto-value';

/**
 * Online prediction through the official PredictionServiceClient; the response names the
 * deployed model that answered, which is how validation attributes answers to the candidate.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#google.cloud.aiplatform.v1.PredictResponse
 */
export class VertexPredictor implements Predictor {
  constructor(private readonly client: () => PredictionServiceClient) {}

  async predict(endpoint: string, instances: unknown[]): Promise<PredictResult> {
    const [response] = await this.client().predict({ endpoint, instances: instances.map(toValue) as never });
    return {
      predictions: (response.predictions ?? []).map((p) => fromValue(p as ProtoValue)),
      deployedModelId: response.deployedModelId ?? '',
    };
  }
}
