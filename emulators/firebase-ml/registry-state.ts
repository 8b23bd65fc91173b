import type { ModelRecord } from './model-record';
import type { OperationJson } from './wire-types';

/** A validation still to finish: which model, which file, and when it is due. */
export interface PendingValidation {
  operation: string;
  modelId: string;
  gsUri: string;
  dueAtMs: number;
}

/** Everything the registry needs to come back after a restart (see `persistence.ts`). */
export interface RegistryState {
  nextModelId: number;
  nextOperationId: number;
  models: ModelRecord[];
  operations: OperationJson[];
  pending: PendingValidation[];
}
