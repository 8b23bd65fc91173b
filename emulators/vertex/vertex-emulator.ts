import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { listenRouted } from '../rest/connection-router';
import { seededRandom } from '../random';
import { idSequence } from './clock';
import { EndpointRegistry } from './endpoint-registry';
import { endpointServiceHandlers } from './endpoint-service';
import { ModelRegistry } from './model-registry';
import { modelServiceHandlers } from './model-service';
import { OperationStore } from './operations';
import { operationsHandlers } from './operations-service';
import { loadVertexState, saveVertexState, type VertexIds } from './persistence';
import { predictionServiceHandlers } from './prediction-service';
import { vertexRestHandler } from './rest-surface';
import { SERVICES, loadVertexProtos } from './protos';
import { unaryService, type Handler } from './unary';
import type { LroMethod, PredictionBackend, VertexContext } from './vertex-context';
import { snapshot, type VertexState } from './vertex-state';

export type { LroMethod, PredictionBackend } from './vertex-context';
export type { LoadedModel } from './endpoint-registry';
export type { VertexState } from './vertex-state';

/** Options of {@link startVertexEmulator}. */
export interface VertexEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Used by callers to build names; the emulator accepts any project and location. */
  project?: string;
  location?: string;
  /** Virtual duration of DeployModel (real ones take 15–30 min). */
  deployDurationMs?: number;
  /** Wall-clock ms per virtual ms: 0.001 replays a 30-minute deployment in 1.8 s. */
  timeScale?: number;
  /** Seed for traffic routing. */
  seed?: number;
  backend: PredictionBackend;
  /**
   * Keep models, endpoints and operations in `<dataDir>/vertex-emulator.json` so a restart with
   * the same dataDir resumes where it stopped; without it nothing is written.
   */
  dataDir?: string;
}

/** A running emulator; point the official clients at `endpoint`:`port`. */
export interface VertexEmulator {
  endpoint: '127.0.0.1';
  port: number;
  project: string;
  location: string;
  faults: FaultInjector;
  /** Sets the virtual duration of one kind of LRO (DeployModel defaults to `deployDurationMs`, others to 0). */
  setOperationDuration(method: LroMethod, virtualMs: number): void;
  /** Models, endpoints, operations and RPC call counts, as plain values for tests. */
  state(): VertexState;
  stop(): Promise<void>;
}

/** Above the 1.5 MB Predict limit, so oversized requests get Vertex's INVALID_ARGUMENT rather than grpc's RESOURCE_EXHAUSTED. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Starts a local Vertex AI (google.cloud.aiplatform.v1) for ModelService, EndpointService,
 * PredictionService and google.longrunning.Operations, over gRPC and REST on one port. The
 * unmodified `@google-cloud/aiplatform` clients reach it with
 * `{ apiEndpoint: '127.0.0.1', port, sslCreds: grpc.credentials.createInsecure() }` (gRPC) or
 * `{ apiEndpoint: '127.0.0.1', port, fallback: true, protocol: 'http' }` (REST); gcloud with
 * `api_endpoint_overrides/aiplatform http://127.0.0.1:<port>/`.
 * https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1
 */
export async function startVertexEmulator(options: VertexEmulatorOptions): Promise<VertexEmulator> {
  const {
    project = 'local-project',
    location = 'us-central1',
    deployDurationMs = 0,
    timeScale = 1,
    seed = 1,
    backend,
  } = options;
  if (!backend || typeof backend.load !== 'function')
    throw new Error('startVertexEmulator: options.backend with a load(artifactUri) method is required');
  if (!(timeScale >= 0) || !Number.isFinite(timeScale))
    throw new Error(`startVertexEmulator: timeScale must be a finite number >= 0, got ${timeScale}`);
  const protos = loadVertexProtos();
  const durations = new Map<LroMethod, number>([['DeployModel', deployDurationMs]]);
  const ids: VertexIds = { models: idSequence(1000000000000000000n), endpoints: idSequence(2000000000000000000n) };
  const ctx: VertexContext = {
    models: new ModelRegistry(ids.models),
    endpoints: new EndpointRegistry(ids.endpoints),
    operations: new OperationStore(protos),
    backend,
    durationMs: (method) => (durations.get(method) ?? 0) * timeScale,
    random: seededRandom(seed),
  };
  const faults = new FaultInjector();
  const calls = new Map<string, number>();
  const model = modelServiceHandlers(ctx);
  const endpoint = endpointServiceHandlers(ctx);
  let save = (): void => undefined;
  if (options.dataDir) {
    const dataDir = options.dataDir;
    await loadVertexState(dataDir, ctx, ids, { ...model, ...endpoint });
    save = () => saveVertexState(dataDir, ctx, ids);
    save();
    ctx.operations.onChange = () => {
      try {
        save();
      } catch (err) {
        process.emitWarning(`Vertex AI emulator: could not save its state in ${dataDir}: ${(err as Error).message}`);
      }
    };
  }
  const saving = (handlers: Record<string, Handler>): Record<string, Handler> => savingAfter(handlers, () => save());
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const services = {
    model: unaryService(faults, calls, saving(model)),
    endpoint: unaryService(faults, calls, saving(endpoint)),
    prediction: unaryService(faults, calls, predictionServiceHandlers(ctx)),
    operations: unaryService(faults, calls, saving(operationsHandlers(ctx))),
  };
  for (const key of ['model', 'endpoint', 'prediction', 'operations'] as const) {
    server.addService(protos.service(SERVICES[key]), services[key]);
  }
  // One port for both transports: gRPC clients open with the HTTP/2 preface and go to grpc-js;
  // HTTP/1.1 (gcloud ai, curl, the clients' `fallback: true`) goes to the REST surface.
  const grpcConnections = server.createConnectionInjector(ServerCredentials.createInsecure());
  const rest = http.createServer(vertexRestHandler(protos, services, MAX_MESSAGE_BYTES));
  const tcp = await listenRouted('127.0.0.1', options.port ?? 0, {
    http2: (socket) => grpcConnections.injectConnection(socket),
    http1: (socket) => {
      rest.emit('connection', socket);
      socket.resume();
    },
  }).catch((err: unknown) => {
    ctx.operations.stopAll(); // replayed operations must not finish (and save) for an emulator that never started
    throw err;
  });
  const { port } = tcp.address() as AddressInfo;
  return {
    endpoint: '127.0.0.1',
    port,
    project,
    location,
    faults,
    setOperationDuration(method, virtualMs) {
      durations.set(method, virtualMs);
    },
    state: () => snapshot(ctx, calls),
    async stop() {
      ctx.operations.stopAll();
      for (const entry of ctx.endpoints.endpoints.values()) for (const d of entry.deployed) d.loaded.dispose?.();
      rest.closeIdleConnections();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      });
      grpcConnections.destroy();
      rest.closeAllConnections();
      tcp.close();
    },
  };
}

/** RPCs that change state; reads (Get/List/Predict/WaitOperation) never write the state file. */
const MUTATING = new Set([
  'UploadModel',
  'CopyModel',
  'MergeVersionAliases',
  'DeleteModel',
  'DeleteModelVersion',
  'CreateEndpoint',
  'UpdateEndpoint',
  'DeleteEndpoint',
  'DeployModel',
  'UndeployModel',
  'DeleteOperation',
  'CancelOperation',
]);

/** Saves after every mutating RPC, before it is answered, so an acknowledged change is on disk. */
function savingAfter(handlers: Record<string, Handler>, save: () => void): Record<string, Handler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([rpc, handler]) => [
      rpc,
      MUTATING.has(rpc)
        ? async (req: Parameters<Handler>[0]) => {
            try {
              return await handler(req);
            } finally {
              save();
            }
          }
        : handler,
    ]),
  );
}
