import type {
  EndpointServiceClient,
  ModelServiceClient,
  PredictionServiceClient,
} from '@google-cloud/aiplatform/build/src/v1';
import type { ClientOptions } from 'google-gax';
import { RegionalClients } from './regional-clients';
import { vertexConfig, type VertexConfig } from './vertex-config';

/**
 * Vertex clients, per location, each created on first use from its own module: a function that
 * only predicts never constructs the model or endpoint clients (each construction parses the proto
 * bundle), and one that works in its own location builds one client per service, as before.
 */
let config: VertexConfig | undefined;

export function vertex(): VertexConfig {
  config ??= vertexConfig();
  return config;
}

const regional = <C extends { close(): Promise<void> }>(create: (options: ClientOptions) => C) =>
  new RegionalClients(
    create,
    (location) => vertex().optionsFor(location),
    () => vertex().location,
  );

const models = regional((options) => {
  const { ModelServiceClient: Client } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@google-cloud/aiplatform/build/src/v1/model_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/model_service_client');
  return new Client(options);
});

const endpoints = regional((options) => {
  const { EndpointServiceClient: Client } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@google-cloud/aiplatform/build/src/v1/endpoint_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/endpoint_service_client');
  return new Client(options);
});

const prediction = regional((options) => {
  const { PredictionServiceClient: Client } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('@google-cloud/aiplatform/build/src/v1/prediction_service_client') as typeof import('@google-cloud/aiplatform/build/src/v1/prediction_service_client');
  return new Client(options);
});

/** The ModelService client for `location` (default: the functions' own). */
export function modelClient(location?: string): ModelServiceClient {
  return models.get(location);
}

/** The EndpointService client for `location` (default: the functions' own). */
export function endpointClient(location?: string): EndpointServiceClient {
  return endpoints.get(location);
}

/** The PredictionService client for `location` (default: the functions' own). */
export function predictionClient(location?: string): PredictionServiceClient {
  return prediction.get(location);
}

/** Closes whichever clients were created, in every location (local stack shutdown). */
export async function closeVertexClients(): Promise<void> {
  config = undefined;
  await Promise.all([models.close(), endpoints.close(), prediction.close()]);
}
