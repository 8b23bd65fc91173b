import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { GcsObjectReader } from '../functions/adapters/gcs/gcs-object-reader';
import { gcsArtifactFiles, parseGcsUri } from '../functions/adapters/gcs/gcs-artifact-files';
import { loadLocalModel } from '../functions/runtime/load-local-model';
import { startFirebaseMlEmulator, type FirebaseMlEmulator } from './firebase-ml/firebase-ml-emulator';
import { startPubSubEmulator, type PubSubEmulator } from './pubsub';
import { createRemoteConfigApi, type RemoteConfigApi } from './remote-config/remote-config-api';
import { startStorageEmulator, type StorageEmulator } from './storage/storage-emulator';
import { startVertexEmulator, type VertexEmulator } from './vertex/vertex-emulator';

export interface LocalCloudOptions {
  projectId?: string;
  location?: string;
  /** Keep every emulator's state here so `ferry up` survives a restart. */
  dataDir?: string;
  /** Virtual length of a Vertex deployment (real ones take 15–30 minutes). */
  deployDurationMs?: number;
  /** Wall-clock ms per virtual ms for LROs and Pub/Sub backoff: 0.001 replays 30 minutes in 1.8 s. */
  timeScale?: number;
  seed?: number;
  /** How long Firebase ML "validates" an uploaded file. */
  firebaseValidationMs?: number;
  /**
   * `HOST:PORT` of a Pub/Sub emulator someone else runs (Google's, say): ferry's own is not
   * started, and what only ferry's offers (faults, counters, backlog) is unavailable. Never read
   * from PUBSUB_EMULATOR_HOST here: the CLI decides whether the user's variable counts.
   */
  pubsubHost?: string;
}

/** Every local stand-in, started together and wired to each other. */
export interface LocalCloud {
  projectId: string;
  location: string;
  storage: StorageEmulator;
  /** ferry's Pub/Sub emulator; undefined on an external one (`pubsubHost`). */
  pubsub?: PubSubEmulator;
  /** Where Pub/Sub is, ferry's own or external: the value of PUBSUB_EMULATOR_HOST. */
  pubsubHost: string;
  vertex: VertexEmulator;
  firebaseMl: FirebaseMlEmulator;
  /** Remote Config, served on Firebase ML's listener (the same firebase-admin app reaches both). */
  remoteConfig: RemoteConfigApi;
  /** What ferry's functions and the official clients need to reach the emulators. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts Cloud Storage, Pub/Sub, Vertex AI, Firebase ML and Remote Config on 127.0.0.1. Vertex answers
 * predictions by running the deployed artifact (read back from the Storage emulator through the
 * official client) in ferry's own runtimes; Firebase ML reads model files from Storage too.
 */
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const projectId = options.projectId ?? 'ferry-local';
  const location = options.location ?? 'us-central1';
  const started: Array<{ stop(): Promise<void> }> = [];
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  try {
    const storage = await startStorageEmulator({
      projectId,
      dataDir: options.dataDir && join(options.dataDir, 'storage'),
    });
    started.push(storage);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Storage: StorageClient } = require('@google-cloud/storage') as typeof import('@google-cloud/storage');
    const client: Storage = new StorageClient({ apiEndpoint: storage.url, projectId });
    const objects = new GcsObjectReader(() => client);
    let pubsub: PubSubEmulator | undefined;
    let pubsubHost = options.pubsubHost;
    if (!pubsubHost) {
      pubsub = await startPubSubEmulator({
        timeScale: options.timeScale,
        dataDir: options.dataDir && join(options.dataDir, 'pubsub'),
      });
      started.push(pubsub);
      pubsubHost = pubsub.host;
    }
    const vertex = await startVertexEmulator({
      project: projectId,
      location,
      deployDurationMs: options.deployDurationMs ?? 0,
      timeScale: options.timeScale ?? 1,
      seed: options.seed ?? 1,
      dataDir: options.dataDir && join(options.dataDir, 'vertex'),
      backend: {
        async load(artifactUri) {
          const { bucket, name } = parseGcsUri(artifactUri);
          const root = name.endsWith('.tflite') ? name : name.replace(/\/?$/, '/');
          return loadLocalModel(gcsArtifactFiles(objects, bucket, root));
        },
      },
    });
    started.push(vertex);
    const remoteConfig = createRemoteConfigApi({
      projectId,
      dataDir: options.dataDir && join(options.dataDir, 'remote-config'),
    });
    const firebaseMl = await startFirebaseMlEmulator({
      projectId,
      apis: [remoteConfig],
      dataDir: options.dataDir && join(options.dataDir, 'firebase-ml'),
      validationDelayMs: options.firebaseValidationMs,
      readObject: (gcsUri) => {
        const { bucket, name } = parseGcsUri(gcsUri);
        return objects.read(bucket, name);
      },
    });
    started.push(firebaseMl);
    const env: Record<string, string> = {
      // No GCE metadata server here: stop google-auth from probing for one.
      METADATA_SERVER_DETECTION: 'none',
      FERRY_PROJECT: projectId,
      FERRY_LOCATION: location,
      GOOGLE_CLOUD_PROJECT: projectId,
      STORAGE_EMULATOR_HOST: storage.host,
      PUBSUB_EMULATOR_HOST: pubsubHost,
      // gRPC and REST on one port: gcloud ai takes `api_endpoint_overrides/aiplatform http://<this>/`.
      FERRY_VERTEX_EMULATOR: `127.0.0.1:${vertex.port}`,
      ...firebaseMl.env,
    };
    return {
      projectId,
      location,
      storage,
      pubsub,
      pubsubHost,
      vertex,
      firebaseMl,
      remoteConfig,
      env,
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/**
 * ferry's own Pub/Sub emulator, for what only it offers (faults, counters, backlog, dead-letter
 * sources); a clear error on a cloud that runs on an external one.
 */
export function ownPubsub(cloud: Pick<LocalCloud, 'pubsub' | 'pubsubHost'>): PubSubEmulator {
  if (!cloud.pubsub)
    throw new Error(
      `this needs ferry's own Pub/Sub emulator (faults, counters, backlog); this stack runs on the external one at ${cloud.pubsubHost}`,
    );
  return cloud.pubsub;
}

async function stopAll(started: Array<{ stop(): Promise<void> }>): Promise<void> {
  for (const emulator of [...started].reverse()) await emulator.stop().catch(() => undefined);
}
