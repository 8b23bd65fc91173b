import { NotRunnableError } from '../errors';
import type { TfShape, TfTensor } from './graph-types';

/** The dtypes TensorFlow.js computes with; int64/uint8/int8... run as int32, double/half as float32. */
export type TfjsDType = 'float32' | 'int32' | 'bool' | 'string';

/** A tensor in TensorFlow.js terms, ready to become a weight of the frozen graph. */
export interface TfjsValues {
  dtype: TfjsDType;
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array | Uint8Array[];
}

/** Any tensor bigger than this is refused before allocating (a hostile graph cannot exhaust memory). */
export const MAX_TENSOR_ELEMENTS = 1 << 28;

const BYTES: Record<string, number> = {
  DT_FLOAT: 4,
  DT_DOUBLE: 8,
  DT_HALF: 2,
  DT_BFLOAT16: 2,
  DT_INT32: 4,
  DT_INT16: 2,
  DT_INT8: 1,
  DT_UINT8: 1,
  DT_UINT16: 2,
  DT_UINT32: 4,
  DT_INT64: 8,
  DT_UINT64: 8,
  DT_BOOL: 1,
};

/** What TensorFlow.js computes a TensorFlow dtype as (the converter's own mapping), or undefined. */
export function tfjsDtypeOf(dtype: string): TfjsDType | undefined {
  if (dtype === 'DT_FLOAT' || dtype === 'DT_DOUBLE' || dtype === 'DT_HALF' || dtype === 'DT_BFLOAT16') return 'float32';
  if (dtype === 'DT_BOOL') return 'bool';
  if (dtype === 'DT_STRING') return 'string';
  if (dtype in BYTES) return 'int32';
  return undefined;
}

/** Element count of a fully known shape; refuses negative dims and more than MAX_TENSOR_ELEMENTS. */
export function elementCount(shape: number[], where: string): number {
  let count = 1;
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0)
      throw new Error(`${where}: invalid dimension ${size} in shape [${shape.join(',')}]`);
    count *= size;
    if (count > MAX_TENSOR_ELEMENTS)
      throw new Error(`${where}: shape [${shape.join(',')}] has more than ${MAX_TENSOR_ELEMENTS} elements`);
  }
  return count;
}

function requireDtype(dtype: string, where: string): TfjsDType {
  const mapped = tfjsDtypeOf(dtype);
  if (!mapped)
    throw new NotRunnableError(
      `not runnable locally: ${where} has dtype ${dtype}, which TensorFlow.js cannot hold`,
      dtype,
    );
  return mapped;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A 16-bit float pattern (IEEE half or bfloat16) as a number. */
function bitsToFloat(dtype: string, bits: number): number {
  if (dtype === 'DT_HALF') return halfToFloat(bits);
  return new Float32Array(new Uint32Array([(bits & 0xffff) << 16]).buffer)[0];
}

function toInt32(value: number | bigint, where: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < -2147483648 || n > 2147483647) {
    throw new NotRunnableError(
      `not runnable locally: ${where} holds ${String(value)}, beyond the int32 range TensorFlow.js computes int64 in`,
      'int64 range',
    );
  }
  return n;
}

/** Reads one element of a little-endian buffer as a number or bigint. */
function readElement(view: DataView, dtype: string, index: number): number | bigint {
  switch (dtype) {
    case 'DT_FLOAT':
      return view.getFloat32(index * 4, true);
    case 'DT_DOUBLE':
      return view.getFloat64(index * 8, true);
    case 'DT_HALF':
    case 'DT_BFLOAT16':
      return bitsToFloat(dtype, view.getUint16(index * 2, true));
    case 'DT_INT32':
      return view.getInt32(index * 4, true);
    case 'DT_INT16':
      return view.getInt16(index * 2, true);
    case 'DT_INT8':
      return view.getInt8(index);
    case 'DT_UINT8':
    case 'DT_BOOL':
      return view.getUint8(index);
    case 'DT_UINT16':
      return view.getUint16(index * 2, true);
    case 'DT_UINT32':
      return view.getUint32(index * 4, true);
    case 'DT_INT64':
      return view.getBigInt64(index * 8, true);
    default:
      return view.getBigUint64(index * 8, true);
  }
}

/** Fills a TensorFlow.js typed array from any element source, converting and range-checking. */
function fill(
  dtype: string,
  count: number,
  get: (i: number) => number | bigint | boolean,
  where: string,
): Float32Array | Int32Array | Uint8Array {
  const target = requireDtype(dtype, where);
  if (target === 'float32') {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i += 1) out[i] = Number(get(i));
    return out;
  }
  if (target === 'bool') {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i += 1) out[i] = get(i) ? 1 : 0;
    return out;
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i += 1) out[i] = toInt32(get(i) as number | bigint, where);
  return out;
}

/**
 * Converts a value read from a checkpoint (typed array, BigInt64Array for int64, Uint8Array[] for
 * strings) into what TensorFlow.js computes with.
 */
export function fromCheckpointValues(
  dtype: string,
  shape: number[],
  raw: ArrayLike<number | bigint> | Uint8Array[],
  where: string,
): TfjsValues {
  const tfjsDtype = requireDtype(dtype, where);
  const count = elementCount(shape, where);
  if (raw.length !== count)
    throw new Error(`${where}: holds ${raw.length} values but shape [${shape.join(',')}] needs ${count}`);
  if (tfjsDtype === 'string') return { dtype: tfjsDtype, shape, values: Array.from(raw as Uint8Array[]) };
  const numbers = raw as ArrayLike<number | bigint>;
  const sameType =
    (tfjsDtype === 'float32' && numbers instanceof Float32Array) ||
    (tfjsDtype === 'int32' && numbers instanceof Int32Array);
  if (sameType) return { dtype: tfjsDtype, shape, values: numbers as Float32Array | Int32Array };
  const get =
    dtype === 'DT_HALF' || dtype === 'DT_BFLOAT16'
      ? (i: number) => bitsToFloat(dtype, Number(numbers[i]))
      : (i: number) => numbers[i];
  return { dtype: tfjsDtype, shape, values: fill(dtype, count, get, where) };
}

/** Shape dims of a TensorProto's shape; unknown dims are not allowed in a constant. */
export function knownDims(shape: TfShape, where: string): number[] {
  if (shape.unknownRank || shape.dims.some((d) => d < 0))
    throw new Error(`${where}: a constant must have a fully known shape`);
  return shape.dims;
}

/**
 * Decodes a TensorProto (a `Const` node's `value`): packed `tensor_content` or the repeated
 * `*_val` fields, where fewer values than elements means "repeat the last one".
 * @see https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/tensor.proto
 */
export function decodeTensorProto(tensor: TfTensor, where: string): TfjsValues {
  const tfjsDtype = requireDtype(tensor.dtype, where);
  const shape = knownDims(tensor.shape, where);
  const count = elementCount(shape, where);
  if (tfjsDtype === 'string') {
    const strings = tensor.stringVal ?? [];
    if (strings.length !== count && !(strings.length === 1 && count > 1)) {
      throw new Error(
        `${where}: a string constant holds ${strings.length} values but shape [${shape.join(',')}] needs ${count}`,
      );
    }
    return {
      dtype: 'string',
      shape,
      values: Array.from({ length: count }, (_, i) => strings[Math.min(i, strings.length - 1)]),
    };
  }
  if (tensor.content && tensor.content.byteLength > 0) {
    const size = BYTES[tensor.dtype];
    if (tensor.content.byteLength !== count * size) {
      throw new Error(
        `${where}: tensor_content has ${tensor.content.byteLength} bytes but ${tensor.dtype} [${shape.join(',')}] needs ${count * size}`,
      );
    }
    const view = new DataView(tensor.content.buffer, tensor.content.byteOffset, tensor.content.byteLength);
    return {
      dtype: tfjsDtype,
      shape,
      values: fill(tensor.dtype, count, (i) => readElement(view, tensor.dtype, i), where),
    };
  }
  const listed = listedValues(tensor);
  if (listed.length > count)
    throw new Error(`${where}: holds ${listed.length} values but shape [${shape.join(',')}] needs ${count}`);
  const get = (i: number): number | boolean => (listed.length === 0 ? 0 : listed[Math.min(i, listed.length - 1)]);
  return { dtype: tfjsDtype, shape, values: fill(tensor.dtype, count, get, where) };
}

function listedValues(tensor: TfTensor): Array<number | boolean> {
  switch (tensor.dtype) {
    case 'DT_FLOAT':
      return tensor.floatVal ?? [];
    case 'DT_DOUBLE':
      return tensor.doubleVal ?? [];
    case 'DT_HALF':
    case 'DT_BFLOAT16':
      return (tensor.halfVal ?? []).map((bits) => bitsToFloat(tensor.dtype, bits));
    case 'DT_INT64':
      return tensor.int64Val ?? [];
    case 'DT_UINT32':
      return tensor.uint32Val ?? [];
    case 'DT_UINT64':
      return tensor.uint64Val ?? [];
    case 'DT_BOOL':
      return tensor.boolVal ?? [];
    default:
      return tensor.intVal ?? [];
  }
}
