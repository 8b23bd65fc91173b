import type { TfliteDType } from './tflite-schema';

/** One tensor as a caller of the model sees it. */
export interface TensorInfo {
  name: string;
  dtype: TfliteDType;
  /** Static shape; dynamic dims are 1 here and -1 in `shapeSignature`. */
  shape: number[];
  /** Shape with unknown dims as -1, when the converter recorded one. */
  shapeSignature: number[] | null;
  /** Affine quantization (real = scale * (q - zeroPoint)), or null for float tensors. */
  quantization: { scale: number[]; zeroPoint: number[]; quantizedDimension: number } | null;
}

export interface SubgraphInfo {
  name: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  operatorCount: number;
}

export interface OperatorInfo {
  /** `CONV_2D`, or the custom op's own name (`ParseExampleV2`). */
  name: string;
  /** max(deprecated_builtin_code, builtin_code): older files use only the first, newer ones both. */
  builtinCode: number;
  version: number;
  custom: boolean;
}

export interface SignatureInfo {
  key: string;
  subgraphIndex: number;
  /** Signature input name → tensor name in that subgraph. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

/** What `readTflite` reports about a `.tflite` file; plain values, safe to JSON-encode. */
export interface TfliteInfo {
  identifier: 'TFL3';
  schemaVersion: number;
  description: string;
  sizeBytes: number;
  subgraphs: SubgraphInfo[];
  /** Inputs and outputs of the main subgraph (index 0). */
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  operators: OperatorInfo[];
  /** Distinct custom op names; the stock TFLite runtime refuses these unless linked in. */
  customOperators: string[];
  signatures: SignatureInfo[];
  /** Text metadata decoded (`min_runtime_version` → `1.14.0`); binary metadata as its size. */
  metadata: Record<string, string | { bytes: number }>;
  buffers: { count: number; totalBytes: number };
}
