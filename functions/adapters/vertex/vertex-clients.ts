import type {
  EndpointServiceClient,
  ModelServiceClient,
  PredictionServiceClient,
} from '@google-cloud/aiplatform/build/src/v1';
import { vertexConfig, type VertexConfig } from './vertex-config';

/**
 * Vertex clients, each created on first use from its own module: a function that only predicts
 * never constructs the model or endpoint clients (each construction parses the proto bundle).
 */
let config: VertexConfig | undefined;
let models: ModelServiceClient | undefined;
let endpoints: EndpointServiceClient | undefined;
let prediction: PredictionServiceClient | undefined;

export function vertex(): VertexConfig {
  config ??= vertexConfig();
  return config;
}

export function modelClient(): ModelServiceClient {
  if (!models) {
    const { ModelServiceClient: Client } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@google-cloud/aiplatform/build/src/v1/model_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/model_service_client');
    models = new Client(vertex().clientOptions);
  }
  return models;
}

export function endpointClient(): EndpointServiceClient {
  if (!endpoints) {
    const { EndpointServiceClient: Client } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@google-cloud/aiplatform/build/src/v1/endpoint_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/endpoint_service_client');
    endpoints = new Client(vertex().clientOptions);
  }
  return endpoints;
}

export function predictionClient(): PredictionServiceClient {
  if (!prediction) {
    const { PredictionServiceClient: Client } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('@google-cloud/aiplatform/build/src/v1/prediction_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/prediction_service_client');
    prediction = new Client(vertex().clientOptions);
  }
  return prediction;
}

/** Closes whichever clients were created (local stack shutdown). */
export async function closeVertexClients(): Promise<void> {
  const open = [models, endpoints, prediction];
  models = undefined;
  endpoints = undefined;
  prediction = undefined;
  config = undefined;
  await Promise.all(open.map((client) => client?.close()));
}
