/**
 * TensorFlow `DataType` enum numbers and names, and the byte width of each fixed-size type.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/types.proto
 */
const NAMES: Record<number, string> = {
  1: 'DT_FLOAT',
  2: 'DT_DOUBLE',
  3: 'DT_INT32',
  4: 'DT_UINT8',
  5: 'DT_INT16',
  6: 'DT_INT8',
  7: 'DT_STRING',
  8: 'DT_COMPLEX64',
  9: 'DT_INT64',
  10: 'DT_BOOL',
  11: 'DT_QINT8',
  12: 'DT_QUINT8',
  13: 'DT_QINT32',
  14: 'DT_BFLOAT16',
  15: 'DT_QINT16',
  16: 'DT_QUINT16',
  17: 'DT_UINT16',
  18: 'DT_COMPLEX128',
  19: 'DT_HALF',
  20: 'DT_RESOURCE',
  21: 'DT_VARIANT',
  22: 'DT_UINT32',
  23: 'DT_UINT64',
};

const NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(NAMES).map(([number, name]) => [name, Number(number)]),
);

/** Bytes per element of fixed-size types; absent for DT_STRING, DT_RESOURCE, DT_VARIANT. */
export const DTYPE_BYTES: Record<string, number> = {
  DT_FLOAT: 4,
  DT_DOUBLE: 8,
  DT_INT32: 4,
  DT_UINT8: 1,
  DT_INT16: 2,
  DT_INT8: 1,
  DT_COMPLEX64: 8,
  DT_INT64: 8,
  DT_BOOL: 1,
  DT_QINT8: 1,
  DT_QUINT8: 1,
  DT_QINT32: 4,
  DT_BFLOAT16: 2,
  DT_QINT16: 2,
  DT_QUINT16: 2,
  DT_UINT16: 2,
  DT_COMPLEX128: 16,
  DT_HALF: 2,
  DT_UINT32: 4,
  DT_UINT64: 8,
};

/** `DT_FLOAT` for 1; unknown numbers become `DT_<n>` so newer checkpoints still list. */
export function dtypeName(value: number): string {
  return NAMES[value] ?? `DT_${value}`;
}

/** The enum number of `DT_FLOAT`-style names (also `DT_<n>`); undefined when unknown. */
export function dtypeNumber(name: string): number | undefined {
  if (name in NUMBERS) return NUMBERS[name];
  const match = /^DT_(\d+)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}
