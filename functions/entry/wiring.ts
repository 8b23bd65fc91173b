import { performance } from 'node:perf_hooks';
import { StorageArtifactChecker } from '../adapters/artifact-checker';
import { FirebaseMlChannel } from '../adapters/firebase/firebase-ml-channel';
import { getFirebaseApp } from '../adapters/firebase/firebase-app';
import { FirebaseRemoteConfigTemplates } from '../adapters/firebase/remote-config-templates';
import { FirebaseStorageChannel } from '../adapters/firebase/storage-channel';
import { GcsDocuments } from '../adapters/gcs/gcs-documents';
import { GcsObjectReader } from '../adapters/gcs/gcs-object-reader';
import { GcsRunStore } from '../adapters/gcs/gcs-run-store';
import { storageClient } from '../adapters/gcs/storage-client';
import { PubSubPublisher, pubsubClient } from '../adapters/pubsub/pubsub-publisher';
import { WasmTfliteRunner } from '../adapters/tflite-runner';
import { VertexEndpoints } from '../adapters/vertex/vertex-endpoints';
import { VertexModelRegistry } from '../adapters/vertex/vertex-model-registry';
import { VertexPredictor } from '../adapters/vertex/vertex-predictor';
import { endpointClient, modelClient, predictionClient, vertex } from '../adapters/vertex/vertex-clients';
import { loadWorkflows } from '../adapters/workflow-files';
import type { WorkflowSet } from '../core/workflow/workflow-set';
import type { Clock, Logger, MobileChannel, RemoteConfigTemplates } from '../pipeline/ports';
import type { StageDeps } from '../pipeline/run-stage';
import { readConfig, type FunctionConfig } from './config';

/**
 * The real adapters, built once per function instance and only when first used: each entry point
 * touches only the clients it needs, so its cold start pays for nothing else.
 */
let config: FunctionConfig | undefined;
let workflowSet: WorkflowSet | undefined;

export function functionConfig(): FunctionConfig {
  config ??= readConfig();
  return config;
}

export function workflows(): WorkflowSet {
  workflowSet ??= loadWorkflows(functionConfig().workflowsDir);
  return workflowSet;
}

export const clock: Clock = { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
export const elapsedMs = () => performance.now();

export const objects = new GcsObjectReader(storageClient);
export const publisher = new PubSubPublisher(pubsubClient);
export const runStore = () => new GcsRunStore(new GcsDocuments(storageClient, functionConfig().stateBucket));
/** What every stage's `runStage` needs, for one invocation's logger. */
export const stageDeps = (log: Logger): StageDeps => ({
  runs: runStore(),
  publisher,
  clock,
  log,
  claimMs: functionConfig().claimMs,
});
export const pendingStore = () => new GcsDocuments(storageClient, functionConfig().stateBucket);
export const checker = new StorageArtifactChecker(objects, workflows);
export const registry = new VertexModelRegistry(modelClient, () => vertex().parent);
export const endpoints = new VertexEndpoints(endpointClient, () => vertex().parent);
export const predictor = new VertexPredictor(predictionClient);
export const tfliteRunner = new WasmTfliteRunner();
/** firebase-admin (and its remote-config module) load on the first call, not here. */
export const remoteConfigTemplates = (): RemoteConfigTemplates => new FirebaseRemoteConfigTemplates(getFirebaseApp);

export function mobileChannels(): MobileChannel[] {
  const channels: MobileChannel[] = [
    new FirebaseMlChannel(() => getFirebaseApp(), storageClient, functionConfig().stateBucket),
  ];
  const bucket = functionConfig().mobileBucket;
  if (bucket) channels.push(new FirebaseStorageChannel(storageClient, bucket));
  return channels;
}

/**
 * Closes every client this instance opened, so a local stack can stop without leaving sockets
 * open. Cloud Functions instances just end.
 */
export async function closeClients(): Promise<void> {
  const { closePubsubClient } = await import('../adapters/pubsub/pubsub-publisher');
  const { closeVertexClients } = await import('../adapters/vertex/vertex-clients');
  const { resetStorageClient } = await import('../adapters/gcs/storage-client');
  resetStorageClient();
  await Promise.all([closePubsubClient(), closeVertexClients()]);
  const { getApps, deleteApp } = await import('firebase-admin/app');
  await Promise.all(getApps().map((app) => deleteApp(app)));
  config = undefined;
  workflowSet = undefined;
}
