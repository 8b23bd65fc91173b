import type { ValueDType } from '../instances';

/** Element types the web runner's `data()` views can carry both ways. */
const FEEDABLE = new Set<ValueDType>([
  'float32',
  'float64',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'bool',
]);

export function feedable(dtype: ValueDType): boolean {
  return FEEDABLE.has(dtype);
}

type View = ArrayLike<number | bigint> & { set(values: ArrayLike<number | bigint>, offset?: number): void };

/**
 * Writes instance values into the tensor's wasm view at element `offset`. int64 views are
 * BigInt64Array; bool views are bytes.
 */
export function writeValues(
  view: View,
  dtype: ValueDType,
  values: Array<number | string | boolean>,
  offset: number,
): void {
  if (dtype === 'int64') {
    view.set(
      values.map((v) => BigInt(v as number)),
      offset,
    );
  } else if (dtype === 'bool') {
    view.set(
      values.map((v) => (v ? 1 : 0)),
      offset,
    );
  } else {
    view.set(values as number[], offset);
  }
}

/** Copies `count` elements from `offset` out of wasm memory (the view dies on the next Infer). */
export function readValues(
  view: ArrayLike<number | bigint>,
  dtype: ValueDType,
  offset: number,
  count: number,
): Array<number | boolean | bigint> {
  const out = new Array<number | boolean | bigint>(count);
  for (let i = 0; i < count; i += 1) {
    const v = view[offset + i];
    out[i] = dtype === 'bool' ? v !== 0 && v !== 0n : v;
  }
  return out;
}

/** Zero-fill `count` elements from `offset` (padding rows of a fixed batch). */
export function zeroValues(view: View, dtype: ValueDType, offset: number, count: number): void {
  const zeros = dtype === 'int64' ? new Array<bigint>(count).fill(0n) : new Array<number>(count).fill(0);
  view.set(zeros, offset);
}
