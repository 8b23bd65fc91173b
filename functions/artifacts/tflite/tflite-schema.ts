/**
 * Field ids of the TFLite FlatBuffers schema that ferry reads and writes, and the enum names.
 * Hand-kept instead of `flatc`-generated code: only the few tables we touch, and every read goes
 * through the bounds-checked reader (generated code trusts offsets blindly).
 * Source: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/compiler/mlir/lite/schema/schema.fbs
 * A union field takes two ids: `<name>_type` then `<name>`.
 */
export const FILE_IDENTIFIER = 'TFL3';
export const SCHEMA_VERSION = 3;

export const Model = {
  version: 0,
  operatorCodes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadataBuffer: 5,
  metadata: 6,
  signatureDefs: 7,
} as const;
export const OperatorCode = { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 } as const;
export const SubGraph = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 } as const;
export const Operator = {
  opcodeIndex: 0,
  inputs: 1,
  outputs: 2,
  builtinOptionsType: 3,
  builtinOptions: 4,
  customOptions: 5,
} as const;
export const Tensor = {
  shape: 0,
  type: 1,
  buffer: 2,
  name: 3,
  quantization: 4,
  isVariable: 5,
  sparsity: 6,
  shapeSignature: 7,
  hasRank: 8,
} as const;
export const QuantizationParameters = {
  min: 0,
  max: 1,
  scale: 2,
  zeroPoint: 3,
  detailsType: 4,
  details: 5,
  quantizedDimension: 6,
} as const;
export const Buffer = { data: 0, offset: 1, size: 2 } as const;
export const Metadata = { name: 0, buffer: 1 } as const;
export const TensorMap = { name: 0, tensorIndex: 1 } as const;
export const SignatureDef = { inputs: 0, outputs: 1, signatureKey: 2, subgraphIndex: 4 } as const;

/** `BuiltinOptions` union members used by the writer (1-based position in the union). */
export const BuiltinOptions = { AddOptions: 11, MulOptions: 21 } as const;

/** `TensorType` enum, by value, in lower case as TensorFlow names dtypes. */
export const TENSOR_TYPES = [
  'float32',
  'float16',
  'int32',
  'uint8',
  'int64',
  'string',
  'bool',
  'int16',
  'complex64',
  'int8',
  'float64',
  'complex128',
  'uint64',
  'resource',
  'variant',
  'uint32',
  'uint16',
  'int4',
  'bfloat16',
] as const;

export type KnownTensorType = (typeof TENSOR_TYPES)[number];
/** A TensorType name; types newer than this table read as `type_<n>` rather than failing. */
export type TfliteDType = KnownTensorType | `type_${number}`;

export function tensorTypeName(value: number): TfliteDType {
  return TENSOR_TYPES[value] ?? `type_${value}`;
}

export const TensorTypeValue: Record<KnownTensorType, number> = Object.fromEntries(
  TENSOR_TYPES.map((name, index) => [name, index]),
) as Record<KnownTensorType, number>;
