/**
 * Reads what ferry needs to know about a SavedModel from `saved_model.pb` alone: its MetaGraphs'
 * tags, the TensorFlow that wrote it, and every SignatureDef (what Vertex AI / TF Serving expose).
 * Refuses anything that is not a SavedModel with a `SavedModelError` that says what to upload.
 * Format: https://www.tensorflow.org/guide/saved_model#the_savedmodel_format_on_disk and
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/meta_graph.proto
 */
import { SavedModelError } from './saved-model-error';
import {
  decodeSavedModelSignatures,
  type DataTypeValue,
  type SavedModelView,
  type TensorInfo,
  type TensorShapeProto,
} from './tf-proto';

/** protobuf messages cannot exceed 2 GiB; TensorFlow refuses to write larger `saved_model.pb`. */
export const MAX_SAVED_MODEL_BYTES = 2 ** 31 - 1;

export interface SignatureTensor {
  /** Graph tensor, e.g. `x:0` (for a sparse tensor, its values tensor). */
  name: string;
  /** TensorFlow's enum name, e.g. `DT_FLOAT`. */
  dtype: string;
  /** Full shape incl. batch dim; -1 is an unknown dim, `null` an unknown rank. */
  shape: number[] | null;
  /** `dense` for a plain tensor (what Vertex prediction feeds), else the TensorInfo encoding. */
  encoding: 'dense' | 'coo_sparse' | 'composite';
}

export interface SignatureInfo {
  /** e.g. `tensorflow/serving/predict`. */
  method: string;
  inputs: Record<string, SignatureTensor>;
  outputs: Record<string, SignatureTensor>;
}

export interface MetaGraphInfo {
  tags: string[];
  /** `tf.__version__` of the writer, e.g. `2.14.0` ('' when absent). */
  tensorflowVersion: string;
  tensorflowGitVersion: string;
  signatures: Record<string, SignatureInfo>;
}

export interface SavedModelInfo {
  schemaVersion: number;
  metaGraphs: MetaGraphInfo[];
}

/**
 * Parses `saved_model.pb` bytes. `file` names the file in error messages (pass the full
 * `gs://` path when there is one). Decodes only tags, versions and signatures: the GraphDef is
 * skipped (framing checked, nodes not parsed), so a corrupt node surfaces when a runtime
 * decodes the graph (`decodeSavedModel`), not here.
 */
export function readSavedModel(bytes: Uint8Array, file = 'saved_model.pb'): SavedModelInfo {
  checkBytes(bytes, file);
  const message = decodeSavedModelSignatures(bytes, file);
  if (message.metaGraphs.length === 0) {
    throw new SavedModelError(file, 'holds no MetaGraph (meta_graphs is empty), so it is not a SavedModel');
  }
  const metaGraphs = message.metaGraphs.map((graph, i) => readMetaGraph(graph, `meta_graphs[${i}]`, file));
  checkDistinctTags(metaGraphs, file);
  return { schemaVersion: message.savedModelSchemaVersion ?? 0, metaGraphs };
}

function checkBytes(bytes: unknown, file: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    const got =
      bytes === null
        ? 'null'
        : Array.isArray(bytes)
          ? 'an array'
          : typeof bytes === 'object'
            ? bytes.constructor.name
            : typeof bytes;
    throw new SavedModelError(
      file,
      `expected the file's bytes (Uint8Array) but got ${got}`,
      'pass the raw contents of saved_model.pb',
    );
  }
  if (bytes.byteLength === 0) throw new SavedModelError(file, 'is empty (0 bytes)');
  if (bytes.byteLength > MAX_SAVED_MODEL_BYTES) {
    throw new SavedModelError(
      file,
      `is ${bytes.byteLength} bytes, over the 2 GiB protobuf limit`,
      'keep large constants in variables (the checkpoint), not in the graph, and export again',
    );
  }
  if (bytes.byteLength >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3') {
    throw new SavedModelError(
      file,
      'is a TFLite model (FlatBuffer with identifier TFL3), not a SavedModel protobuf',
      'upload it as a .tflite file to a mobile workflow path, or upload the SavedModel folder it was converted from',
    );
  }
}

function readMetaGraph(graph: SavedModelView['metaGraphs'][number], at: string, file: string): MetaGraphInfo {
  const info = graph.metaInfoDef;
  if (!info) {
    throw new SavedModelError(file, `${at} has no meta_info_def (no tags), so it is not a SavedModel MetaGraph`);
  }
  const signatures: Record<string, SignatureInfo> = {};
  for (const [key, signature] of Object.entries(graph.signatureDef)) {
    const where = `${at}.signature_def["${key}"]`;
    signatures[key] = {
      method: signature.methodName ?? '',
      inputs: readTensors(signature.inputs, `${where}.inputs`, file),
      outputs: readTensors(signature.outputs, `${where}.outputs`, file),
    };
  }
  return {
    tags: info.tags,
    tensorflowVersion: info.tensorflowVersion ?? '',
    tensorflowGitVersion: info.tensorflowGitVersion ?? '',
    signatures,
  };
}

function readTensors(tensors: Record<string, TensorInfo>, at: string, file: string): Record<string, SignatureTensor> {
  const out: Record<string, SignatureTensor> = {};
  for (const [key, tensor] of Object.entries(tensors)) {
    const where = `${at}["${key}"]`;
    const encoding = tensor.cooSparse ? 'coo_sparse' : tensor.compositeTensor ? 'composite' : 'dense';
    const name = tensor.name ?? tensor.cooSparse?.valuesTensorName ?? '';
    if (encoding === 'dense' && name === '') {
      throw new SavedModelError(file, `${where} names no graph tensor (TensorInfo.name is empty)`);
    }
    out[key] = { name, dtype: dtypeName(tensor.dtype), shape: readShape(tensor.tensorShape, where, file), encoding };
  }
  return out;
}

/** An absent tensor_shape is read as unknown rank: old exporters omitted it when they did not know. */
function readShape(shape: TensorShapeProto | undefined, at: string, file: string): number[] | null {
  if (!shape || shape.unknownRank) return null;
  return shape.dim.map((dim, i) => {
    const size = dim.size ?? 0;
    if (!Number.isSafeInteger(size) || size < -1) {
      throw new SavedModelError(file, `${at}.tensor_shape.dim[${i}] is ${size}; sizes must be -1 (unknown) or more`);
    }
    return size;
  });
}

function dtypeName(dtype: DataTypeValue | undefined): string {
  if (dtype === undefined) return 'DT_INVALID';
  return typeof dtype === 'number' ? `DT_UNKNOWN_${dtype}` : dtype;
}

/** TensorFlow loads the first MetaGraph whose tag set matches, so a repeated set would be ambiguous. */
function checkDistinctTags(metaGraphs: MetaGraphInfo[], file: string): void {
  const seen = new Map<string, number>();
  metaGraphs.forEach((graph, i) => {
    const key = [...graph.tags].sort().join(',');
    const first = seen.get(key);
    if (first !== undefined) {
      throw new SavedModelError(
        file,
        `meta_graphs[${i}] has the same tags [${graph.tags.join(', ')}] as meta_graphs[${first}]; loaders would silently use only the first`,
        'export one MetaGraph per tag set (was the file concatenated or written twice?)',
      );
    }
    seen.set(key, i);
  });
}
