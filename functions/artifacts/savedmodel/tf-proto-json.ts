/**
 * Small builders for protobufjs JSON descriptors (the `INamespace` shape `Root.fromJSON` takes),
 * so the TensorFlow schema reads close to the .proto files it copies.
 * Format: https://github.com/protobufjs/protobuf.js#using-json-descriptors
 */

import type { IEnum, IType } from 'protobufjs';

/** A message or enum descriptor, as `Root.fromJSON` takes them. */
export type NestedJson = Record<string, IType | IEnum>;

export interface FieldJson {
  type: string;
  id: number;
  rule?: 'repeated';
  keyType?: string;
}

export type Fields = Record<string, FieldJson>;

/** A singular field: `string name = 1;` is `field('string', 1)`. */
export function field(type: string, id: number): FieldJson {
  return { type, id };
}

/** Repeated scalars are packed on encode, as proto3 does by default. */
export function repeated(type: string, id: number): FieldJson {
  return { rule: 'repeated', type, id };
}

/** `map<K, V> name = id;` */
export function map(keyType: string, type: string, id: number): FieldJson {
  return { keyType, type, id };
}

/** A message: its fields, nested types, and oneof groups (`{ value: ['s', 'i', ...] }`). */
export function message(fields: Fields, nested?: NestedJson, oneofs?: Record<string, string[]>): IType {
  const json: IType = { fields };
  if (nested) json.nested = nested;
  if (oneofs) {
    json.oneofs = Object.fromEntries(Object.entries(oneofs).map(([name, members]) => [name, { oneof: members }]));
  }
  return json;
}

/**
 * `tensorflow.DataType` (types.proto): values 1–33 and their `_REF` twins at +100.
 * Source: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/types.proto
 */
const BASE_TYPES = [
  'FLOAT',
  'DOUBLE',
  'INT32',
  'UINT8',
  'INT16',
  'INT8',
  'STRING',
  'COMPLEX64',
  'INT64',
  'BOOL',
  'QINT8',
  'QUINT8',
  'QINT32',
  'BFLOAT16',
  'QINT16',
  'QUINT16',
  'UINT16',
  'COMPLEX128',
  'HALF',
  'RESOURCE',
  'VARIANT',
  'UINT32',
  'UINT64',
  'FLOAT8_E5M2',
  'FLOAT8_E4M3FN',
  'FLOAT8_E4M3FNUZ',
  'FLOAT8_E4M3B11FNUZ',
  'FLOAT8_E5M2FNUZ',
  'INT4',
  'UINT4',
  'INT2',
  'UINT2',
  'FLOAT4_E2M1FN',
] as const;

type BaseType = (typeof BASE_TYPES)[number];
/** `DT_FLOAT`, `DT_INT64_REF`, ... */
export type DataTypeName = 'DT_INVALID' | `DT_${BaseType}` | `DT_${BaseType}_REF`;

export const DATA_TYPES: Record<DataTypeName, number> = Object.fromEntries([
  ['DT_INVALID', 0],
  ...BASE_TYPES.map((name, i) => [`DT_${name}`, i + 1]),
  ...BASE_TYPES.map((name, i) => [`DT_${name}_REF`, i + 101]),
]) as Record<DataTypeName, number>;
