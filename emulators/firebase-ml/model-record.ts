import { createHash } from 'node:crypto';
import { MODEL_TYPE, type ModelJson, type RpcStatus } from './wire-types';

/** The emulator's own state for one model; rendered to the wire by `toModelJson`. */
export interface ModelRecord {
  id: string;
  displayName: string;
  tags: string[];
  createTimeMs: number;
  updateTimeMs: number;
  /** Bumped on every change; the etag is derived from it. */
  version: number;
  published: boolean;
  validationError?: RpcStatus;
  /** Hex SHA-256 of the validated file. The real format is undocumented ("changes if a new file is available"). */
  modelHash?: string;
  tflite?: { gcsTfliteUri: string; sizeBytes?: number };
  /** The unfinished operation that locks the model, if any. */
  activeOperation?: string;
}

export function modelName(projectId: string, id: string): string {
  return `projects/${projectId}/models/${id}`;
}

/** Opaque etag that changes whenever any property changes (RFC 7232 entity tag). */
export function etagOf(record: ModelRecord): string {
  return createHash('sha256').update(`${record.id}:${record.version}`).digest('base64url').slice(0, 16);
}

/** proto3 JSON of a model: int64 as string, unset and default fields left out. */
export function toModelJson(projectId: string, record: ModelRecord, withType = false): ModelJson {
  const json: ModelJson = {
    ...(withType ? { '@type': MODEL_TYPE } : {}),
    name: modelName(projectId, record.id),
    displayName: record.displayName,
    createTime: new Date(record.createTimeMs).toISOString(),
    updateTime: new Date(record.updateTimeMs).toISOString(),
    etag: etagOf(record),
  };
  if (record.tags.length > 0) json.tags = [...record.tags];
  const state: NonNullable<ModelJson['state']> = {};
  if (record.published) state.published = true;
  if (record.validationError) state.validationError = { ...record.validationError };
  json.state = state;
  if (record.modelHash) json.modelHash = record.modelHash;
  if (record.tflite) {
    json.tfliteModel = { gcsTfliteUri: record.tflite.gcsTfliteUri };
    if (record.tflite.sizeBytes !== undefined) json.tfliteModel.sizeBytes = String(record.tflite.sizeBytes);
  }
  if (record.activeOperation) json.activeOperations = [{ name: record.activeOperation }];
  return json;
}
