import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { readStateFile, writeStateFile } from '../state-file';
import type { RegistryState } from './registry-state';

export const STATE_FILE = 'firebase-ml-emulator.json';

/** What `<dataDir>/firebase-ml-emulator.json` holds. */
export interface SavedFirebaseMlState {
  format: 'ferry-firebase-ml-emulator';
  version: 1;
  projectId: string;
  registry: RegistryState;
  /** Unexpired access tokens: firebase-admin caches its token for an hour, across our restarts. */
  tokens: Array<[string, number]>;
}

const str = { type: 'string' };
const time = { type: 'number', minimum: 0 };
const status = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer' }, message: str },
};
const SCHEMA = {
  type: 'object',
  required: ['format', 'version', 'projectId', 'registry', 'tokens'],
  properties: {
    format: { const: 'ferry-firebase-ml-emulator' },
    version: { const: 1 },
    projectId: str,
    tokens: { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: [str, time] } },
    registry: {
      type: 'object',
      required: ['nextModelId', 'nextOperationId', 'models', 'operations', 'pending'],
      properties: {
        nextModelId: { type: 'integer', minimum: 1 },
        nextOperationId: { type: 'integer', minimum: 1 },
        models: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'displayName', 'tags', 'createTimeMs', 'updateTimeMs', 'version', 'published'],
            properties: {
              id: { type: 'string', pattern: '^[0-9]{1,15}$' },
              displayName: str,
              tags: { type: 'array', items: str },
              createTimeMs: time,
              updateTimeMs: time,
              version: { type: 'integer', minimum: 1 },
              published: { type: 'boolean' },
              validationError: status,
              modelHash: str,
              tflite: {
                type: 'object',
                required: ['gcsTfliteUri'],
                properties: { gcsTfliteUri: str, sizeBytes: { type: 'integer', minimum: 0 } },
              },
              activeOperation: str,
            },
          },
        },
        operations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: {
              name: str,
              done: { type: 'boolean' },
              metadata: { type: 'object' },
              response: { type: 'object' },
              error: status,
            },
          },
        },
        pending: {
          type: 'array',
          items: {
            type: 'object',
            required: ['operation', 'modelId', 'gsUri', 'dueAtMs'],
            properties: { operation: str, modelId: str, gsUri: str, dueAtMs: time },
          },
        },
      },
    },
  },
};

let validator: ValidateFunction<SavedFirebaseMlState> | undefined;

/** Writes the state (temp file + rename) after each change. */
export function saveFirebaseMlState(dataDir: string, state: Omit<SavedFirebaseMlState, 'format' | 'version'>): void {
  writeStateFile(join(dataDir, STATE_FILE), { format: 'ferry-firebase-ml-emulator', version: 1, ...state });
}

/**
 * Reads the saved state; undefined on a first start. A damaged file, another project's state, or
 * a locked model whose validation is not in the file stops startup with an error naming the file.
 */
export function loadFirebaseMlState(dataDir: string, projectId: string): SavedFirebaseMlState | undefined {
  const file = join(dataDir, STATE_FILE);
  validator ??= new Ajv({ strict: false }).compile<SavedFirebaseMlState>(SCHEMA);
  const state = readStateFile(file, validator, 'Firebase ML emulator');
  if (!state) return undefined;
  const broken = (what: string): Error =>
    new Error(`${file}: ${what}. Restore it from a backup, or delete it to start the Firebase ML emulator empty.`);
  if (state.projectId !== projectId)
    throw broken(
      `holds project ${JSON.stringify(state.projectId)}, but this emulator serves ${projectId}; use one dataDir per project`,
    );
  const { models, operations, pending, nextModelId, nextOperationId } = state.registry;
  const duplicate = (values: string[]): string | undefined => values.find((v, i) => values.indexOf(v) !== i);
  const twice = duplicate(models.map((m) => m.id)) ?? duplicate(operations.map((o) => o.name));
  if (twice) throw broken(`${twice} appears twice`);
  const sameName = duplicate(models.map((m) => m.displayName));
  if (sameName) throw broken(`two models have the displayName ${sameName}`);
  const usedModel = models.find((m) => Number(m.id) >= nextModelId);
  if (usedModel) throw broken(`nextModelId ${nextModelId} is not past model ${usedModel.id}, which is in use`);
  const usedOperation = operations.find((o) => Number(o.name.slice(o.name.lastIndexOf('/') + 1)) >= nextOperationId);
  if (usedOperation)
    throw broken(`nextOperationId ${nextOperationId} is not past ${usedOperation.name}, which is in use`);
  for (const model of models) {
    if (!model.activeOperation) continue;
    const job = pending.find((p) => p.operation === model.activeOperation && p.modelId === model.id);
    const operation = operations.find((o) => o.name === model.activeOperation);
    if (!job || !operation || operation.done)
      throw broken(`model ${model.id} is locked by ${model.activeOperation}, whose validation is not in the file`);
  }
  return state;
}
