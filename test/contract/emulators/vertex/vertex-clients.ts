import * as grpc from '@grpc/grpc-js';
import { v1 } from '@google-cloud/aiplatform';
import {
  startVertexEmulator,
  type VertexEmulator,
  type VertexEmulatorOptions,
} from '../../../../emulators/vertex/vertex-emulator';

export interface VertexClients {
  models: v1.ModelServiceClient;
  endpoints: v1.EndpointServiceClient;
  prediction: v1.PredictionServiceClient;
}

/**
 * The official clients exactly as ferry configures them for a local server. `universeDomain`
 * spares google-auth a metadata-server probe (it has no credentials to look up here).
 */
export function clientsFor(
  emulator: VertexEmulator,
  which: Array<keyof VertexClients> = ['models', 'endpoints', 'prediction'],
): VertexClients {
  const opts = {
    apiEndpoint: emulator.endpoint,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  };
  const out: Partial<VertexClients> = {};
  if (which.includes('models')) out.models = new v1.ModelServiceClient(opts);
  if (which.includes('endpoints')) out.endpoints = new v1.EndpointServiceClient(opts);
  if (which.includes('prediction')) out.prediction = new v1.PredictionServiceClient(opts);
  return out as VertexClients;
}

export async function closeClients(clients: Partial<VertexClients>): Promise<void> {
  await Promise.all(Object.values(clients).map((c) => c?.close()));
}

export const SERVING_IMAGE = 'us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest';
export const DEDICATED = { machineSpec: { machineType: 'n1-standard-2' }, minReplicaCount: 1, maxReplicaCount: 1 };

/** Uploads a model (or a new version under `parentModel`) and waits for the LRO. */
export async function upload(
  clients: VertexClients,
  emulator: VertexEmulator,
  artifactUri: string,
  extra: {
    parentModel?: string;
    versionAliases?: string[];
    labels?: Record<string, string>;
    displayName?: string;
  } = {},
): Promise<{ model: string; versionId: string }> {
  const [op] = await clients.models.uploadModel({
    parent: `projects/${emulator.project}/locations/${emulator.location}`,
    parentModel: extra.parentModel,
    model: {
      displayName: extra.displayName ?? 'flowers',
      artifactUri,
      containerSpec: { imageUri: SERVING_IMAGE },
      versionAliases: extra.versionAliases,
      labels: extra.labels,
    },
  });
  const [res] = await op.promise();
  return { model: res.model as string, versionId: res.modelVersionId as string };
}

export async function createEndpoint(
  clients: VertexClients,
  emulator: VertexEmulator,
  displayName = 'flowers-endpoint',
  labels?: Record<string, string>,
): Promise<string> {
  const [op] = await clients.endpoints.createEndpoint({
    parent: `projects/${emulator.project}/locations/${emulator.location}`,
    endpoint: { displayName, labels },
  });
  const [endpoint] = await op.promise();
  return endpoint.name as string;
}

export async function deploy(
  clients: VertexClients,
  endpoint: string,
  model: string,
  trafficSplit?: Record<string, number>,
): Promise<string> {
  const [op] = await clients.endpoints.deployModel({
    endpoint,
    deployedModel: { model, dedicatedResources: DEDICATED },
    trafficSplit,
  });
  const [res] = await op.promise();
  return res.deployedModel?.id as string;
}

export { startVertexEmulator, type VertexEmulator, type VertexEmulatorOptions };
