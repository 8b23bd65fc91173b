import type { EndpointRegistry, LoadedModel } from './endpoint-registry';
import type { ModelRegistry } from './model-registry';
import type { OperationStore } from './operations';

/** The long-running RPCs whose duration can be set. */
export type LroMethod =
  | 'UploadModel'
  | 'CopyModel'
  | 'DeleteModel'
  | 'DeleteModelVersion'
  | 'CreateEndpoint'
  | 'DeleteEndpoint'
  | 'DeployModel'
  | 'UndeployModel';

/**
 * Our port to a model runtime: the local stack wires it to the SavedModel runtime reading from
 * the Storage emulator; tests pass a small in-memory implementation.
 */
export interface PredictionBackend {
  load(artifactUri: string): Promise<LoadedModel>;
}

/** Shared state the service handlers work on. */
export interface VertexContext {
  models: ModelRegistry;
  endpoints: EndpointRegistry;
  operations: OperationStore;
  backend: PredictionBackend;
  /** Wall-clock duration of an LRO (virtual duration × timeScale). */
  durationMs(method: LroMethod): number;
  /** Seeded [0, 1) source for traffic routing. */
  random: () => number;
}
