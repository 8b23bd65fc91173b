/** Element types as the runtimes and the JSON instances see them. */
export type ValueDType =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'string';

const FROM_TF: Record<string, ValueDType> = {
  DT_HALF: 'float16',
  DT_FLOAT: 'float32',
  DT_DOUBLE: 'float64',
  DT_INT8: 'int8',
  DT_INT16: 'int16',
  DT_INT32: 'int32',
  DT_INT64: 'int64',
  DT_UINT8: 'uint8',
  DT_UINT16: 'uint16',
  DT_UINT32: 'uint32',
  DT_UINT64: 'uint64',
  DT_BOOL: 'bool',
  DT_STRING: 'string',
};

const FROM_TFLITE: Record<string, ValueDType> = {
  FLOAT16: 'float16',
  FLOAT32: 'float32',
  FLOAT64: 'float64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  BOOL: 'bool',
  STRING: 'string',
};

/** `DT_FLOAT` → `float32`. Throws for types no JSON instance can carry (DT_RESOURCE, DT_VARIANT...). */
export function dtypeFromTf(dt: string): ValueDType {
  const mapped = FROM_TF[dt];
  if (!mapped) throw new Error(`TensorFlow dtype ${dt} cannot be given as JSON instances`);
  return mapped;
}

/** TFLite `TensorType` name (`FLOAT32`, or already `float32`) → `float32`. */
export function dtypeFromTflite(type: string): ValueDType {
  const mapped = FROM_TFLITE[type.toUpperCase()];
  if (!mapped) throw new Error(`TFLite tensor type ${type} cannot be given as JSON instances`);
  return mapped;
}

const INTEGER_RANGES: Partial<Record<ValueDType, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Why `value` cannot be an element of `dtype`, or undefined when it can. */
export function elementProblem(value: unknown, dtype: ValueDType): string | undefined {
  if (dtype === 'string') return typeof value === 'string' ? undefined : `expected a string, got ${describe(value)}`;
  if (dtype === 'bool')
    return typeof value === 'boolean' ? undefined : `expected true or false, got ${describe(value)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a finite number, got ${describe(value)}`;
  const range = INTEGER_RANGES[dtype];
  if (!range) return undefined;
  if (!Number.isInteger(value)) return `expected an integer (${dtype}), got ${value}`;
  if (value < range[0] || value > range[1]) return `${value} is out of range for ${dtype} [${range[0]}, ${range[1]}]`;
  return undefined;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
