import * as grpc from '@grpc/grpc-js';
import { v1 } from '@google-cloud/aiplatform';
import { PassThroughClient } from 'google-auth-library';
import { rejection } from '../../../helpers/rejection';
import type { ClientOptions } from 'google-gax';
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

/** The two transports of `@google-cloud/aiplatform`: gRPC, and HTTP/1.1 JSON (`fallback: true`). */
export type Transport = 'grpc' | 'rest';

/** Both, for `describe.each(TRANSPORTS)`: a contract holds whichever way the client speaks. */
export const TRANSPORTS: Transport[] = ['grpc', 'rest'];

/**
 * The official clients exactly as ferry configures them for a local server (`grpc`), or in their
 * REST mode (`rest`): `fallback: true` with `protocol: 'http'` (google-gax builds
 * `https://` URLs otherwise) and a pass-through auth client that sends no credentials, the
 * REST analogue of `sslCreds: createInsecure()`. `universeDomain` spares google-auth a
 * metadata-server probe (it has no credentials to look up here).
 */
export function clientsFor(
  emulator: VertexEmulator,
  which: Array<keyof VertexClients> = ['models', 'endpoints', 'prediction'],
  transport: Transport = 'grpc',
): VertexClients {
  const opts =
    transport === 'grpc'
      ? {
          apiEndpoint: emulator.endpoint,
          port: emulator.port,
          sslCreds: grpc.credentials.createInsecure(),
          universeDomain: 'googleapis.com',
        }
      : {
          apiEndpoint: emulator.endpoint,
          port: emulator.port,
          fallback: true,
          protocol: 'http',
          // google-gax pins its own google-auth-library copy; the classes differ in type only.
          // Node's fetch: gaxios would `import('node-fetch')`, which jest's CommonJS runtime refuses.
          authClient: new PassThroughClient({
            transporterOptions: { fetchImplementation: fetch },
          }) as unknown as ClientOptions['authClient'],
          universeDomain: 'googleapis.com',
        };
  const out: Partial<VertexClients> = {};
  if (which.includes('models')) out.models = new v1.ModelServiceClient(opts);
  if (which.includes('endpoints')) out.endpoints = new v1.EndpointServiceClient(opts);
  if (which.includes('prediction')) out.prediction = new v1.PredictionServiceClient(opts);
  return out as VertexClients;
}

/**
 * The error a call rejects with, as `{code, message}` in the gRPC client's form whichever the
 * transport. google-gax 5's REST mode hands on gaxios 7's error, whose `code` is the HTTP status and
 * whose `message` is the raw JSON body (googleapis/gax-nodejs#1803; fixed upstream after the gax
 * this repository pins), so the gRPC code and message are read from the body the emulator sent:
 * `{"error": {"code": 404, "message": "...", "status": "NOT_FOUND"}}`.
 */
export async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const err = await rejection<{ code: number; message: string; response?: { data?: unknown } }>(promise);
  const data = err.response?.data;
  if (data === undefined) return err;
  const body = (typeof data === 'string' ? JSON.parse(data) : data) as {
    error: { code: number; message: string; status: keyof typeof grpc.status };
  };
  const code = grpc.status[body.error.status];
  if (typeof code !== 'number') throw new Error(`not a Google error body: ${String(data)}`);
  return { code, message: `${code} ${body.error.status}: ${body.error.message}` };
}

/**
 * Over REST a name that does not fit the method's URL template cannot be sent at all: google-gax's
 * transcoder refuses it before any request, so the emulator's own check (the gRPC case) is never
 * reached. Real Vertex gets no request either.
 */
export function expectUnsendable(err: { code?: number; message: string }): void {
  expect(err.code).toBeUndefined();
  expect(err.message).toMatch(/^Cannot build HTTP request for .*, method: \w+$/);
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
