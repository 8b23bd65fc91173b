/**
 * The Firebase ML REST v1beta2 resources as they travel on the wire (proto3 JSON: int64 as
 * strings, default values omitted). Written down once; the emulator builds every response from
 * these types. Discovery document: https://firebaseml.googleapis.com/$discovery/rest?version=v1beta2
 */

/** `google.rpc.Status`: https://cloud.google.com/apis/design/errors#error_model */
export interface RpcStatus {
  code: number;
  message: string;
}

/** `TfLiteModel`: the file is named by a gs:// uri; `sizeBytes` is output only (int64 → string). */
export interface TfLiteModelJson {
  gcsTfliteUri: string;
  sizeBytes?: string;
}

export interface ModelStateJson {
  published?: boolean;
  validationError?: RpcStatus;
}

/** An operation as listed in `Model.activeOperations` (only its name is filled in). */
export interface OperationRef {
  name: string;
}

/** `Model`: https://firebase.google.com/docs/reference/admin/node/firebase-admin.machine-learning.model */
export interface ModelJson {
  '@type'?: string;
  name: string;
  displayName: string;
  tags?: string[];
  createTime: string;
  updateTime: string;
  etag: string;
  state?: ModelStateJson;
  modelHash?: string;
  tfliteModel?: TfLiteModelJson;
  activeOperations?: OperationRef[];
}

/** Metadata of an unfinished model operation; the SDK reads `@type` and `name` (the model). */
export interface ModelOperationMetadataJson {
  '@type': typeof MODEL_OPERATION_METADATA_TYPE;
  name: string;
  basicOperationStatus: 'BASIC_OPERATION_STATUS_UPLOADING' | 'BASIC_OPERATION_STATUS_VERIFYING';
}

/** `google.longrunning.Operation` in JSON. */
export interface OperationJson {
  name: string;
  done?: boolean;
  metadata?: ModelOperationMetadataJson;
  response?: ModelJson;
  error?: RpcStatus;
}

export interface ListModelsResponseJson {
  models?: ModelJson[];
  nextPageToken?: string;
}

/** The request body of `models.create` / `models.patch` before validation. */
export interface ModelRequestJson {
  displayName?: unknown;
  tags?: unknown;
  tfliteModel?: unknown;
  state?: unknown;
}

export const MODEL_TYPE = 'type.googleapis.com/google.firebase.ml.v1beta2.Model';
export const MODEL_OPERATION_METADATA_TYPE = 'type.googleapis.com/google.firebase.ml.v1beta2.ModelOperationMetadata';
