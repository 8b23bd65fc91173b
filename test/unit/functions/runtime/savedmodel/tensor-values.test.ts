import { NotRunnableError } from '../../../../../functions/runtime/errors';
import type { TfTensor } from '../../../../../functions/runtime/savedmodel/graph-types';
import {
  decodeTensorProto,
  fromCheckpointValues,
  tfjsDtypeOf,
} from '../../../../../functions/runtime/savedmodel/tensor-values';

const scalar = { dims: [], unknownRank: false };
const dims = (...d: number[]) => ({ dims: d, unknownRank: false });
const bytes = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

describe('decodeTensorProto', () => {
  it.each<[string, TfTensor, string, number[]]>([
    ['float_val', { dtype: 'DT_FLOAT', shape: dims(2), floatVal: [0.5, -2] }, 'float32', [0.5, -2]],
    [
      'one value broadcast to the shape',
      { dtype: 'DT_FLOAT', shape: dims(2, 2), floatVal: [7] },
      'float32',
      [7, 7, 7, 7],
    ],
    ['fewer values: the last repeats', { dtype: 'DT_INT32', shape: dims(4), intVal: [1, 2] }, 'int32', [1, 2, 2, 2]],
    ['no values: zeros', { dtype: 'DT_FLOAT', shape: dims(3) }, 'float32', [0, 0, 0]],
    [
      'packed float content',
      { dtype: 'DT_FLOAT', shape: dims(2), content: bytes(new Float32Array([1.5, 2.5])) },
      'float32',
      [1.5, 2.5],
    ],
    [
      'packed double content as float32',
      { dtype: 'DT_DOUBLE', shape: dims(1), content: bytes(new Float64Array([0.25])) },
      'float32',
      [0.25],
    ],
    [
      'packed int64 content as int32',
      { dtype: 'DT_INT64', shape: dims(2), content: bytes(new BigInt64Array([-5n, 6n])) },
      'int32',
      [-5, 6],
    ],
    ['int64_val as int32', { dtype: 'DT_INT64', shape: scalar, int64Val: [6] }, 'int32', [6]],
    [
      'uint8 content as int32',
      { dtype: 'DT_UINT8', shape: dims(2), content: new Uint8Array([255, 1]) },
      'int32',
      [255, 1],
    ],
    [
      'half_val bit patterns',
      { dtype: 'DT_HALF', shape: dims(3), halfVal: [0x3c00, 0xc000, 0x3800] },
      'float32',
      [1, -2, 0.5],
    ],
    [
      'packed half content',
      { dtype: 'DT_HALF', shape: dims(1), content: bytes(new Uint16Array([0x4200])) },
      'float32',
      [3],
    ],
    ['bfloat16 bit patterns', { dtype: 'DT_BFLOAT16', shape: dims(1), halfVal: [0x3fc0] }, 'float32', [1.5]],
    ['bool_val', { dtype: 'DT_BOOL', shape: dims(2), boolVal: [true, false] }, 'bool', [1, 0]],
  ])('decodes %s', (_, tensor, dtype, values) => {
    const decoded = decodeTensorProto(tensor, 'Const c');
    expect(decoded.dtype).toBe(dtype);
    expect(Array.from(decoded.values as Float32Array)).toEqual(values);
  });

  it('decodes strings as byte arrays, broadcasting one value', () => {
    const decoded = decodeTensorProto(
      { dtype: 'DT_STRING', shape: dims(2), stringVal: [new TextEncoder().encode('hi')] },
      'Const s',
    );
    expect(decoded.dtype).toBe('string');
    expect((decoded.values as Uint8Array[]).map((v) => new TextDecoder().decode(v))).toEqual(['hi', 'hi']);
  });

  it.each<[string, TfTensor, RegExp]>([
    [
      'a string count that does not fit',
      { dtype: 'DT_STRING', shape: dims(3), stringVal: [new Uint8Array(1), new Uint8Array(1)] },
      /Const c: a string constant holds 2 values but shape \[3\] needs 3/,
    ],
    [
      'an int64 beyond int32',
      { dtype: 'DT_INT64', shape: scalar, int64Val: [2 ** 33] },
      /Const c holds 8589934592, beyond the int32 range/,
    ],
    ['a dtype tfjs cannot hold', { dtype: 'DT_VARIANT', shape: scalar }, /Const c has dtype DT_VARIANT/],
    ['a negative dimension', { dtype: 'DT_FLOAT', shape: { dims: [2, -3], unknownRank: false } }, /fully known shape/],
    ['unknown rank', { dtype: 'DT_FLOAT', shape: { dims: [], unknownRank: true } }, /fully known shape/],
  ])('refuses %s', (_, tensor, message) => {
    expect(() => decodeTensorProto(tensor, 'Const c')).toThrow(message);
  });

  it('refuses a dtype tfjs cannot hold as NotRunnableError', () => {
    expect(() => decodeTensorProto({ dtype: 'DT_COMPLEX128', shape: scalar }, 'Const c')).toThrow(NotRunnableError);
  });
});

describe('fromCheckpointValues', () => {
  it.each<[string, ArrayLike<number | bigint>, string, number[]]>([
    ['DT_FLOAT', new Float32Array([1, 2]), 'float32', [1, 2]],
    ['DT_DOUBLE', new Float64Array([0.5, 4]), 'float32', [0.5, 4]],
    ['DT_INT64', new BigInt64Array([3n, -4n]), 'int32', [3, -4]],
    ['DT_UINT64', new BigUint64Array([7n, 0n]), 'int32', [7, 0]],
    ['DT_HALF', new Uint16Array([0x3c00, 0xbc00]), 'float32', [1, -1]],
    ['DT_INT8', new Int8Array([-3, 3]), 'int32', [-3, 3]],
    ['DT_BOOL', new Uint8Array([1, 0]), 'bool', [1, 0]],
  ])('converts %s', (dtype, raw, tfjs, values) => {
    const converted = fromCheckpointValues(dtype, [2], raw, 'variable v');
    expect(converted.dtype).toBe(tfjs);
    expect(Array.from(converted.values as Float32Array)).toEqual(values);
  });

  it('keeps a float32 array without copying', () => {
    const raw = new Float32Array([1, 2, 3]);
    expect(fromCheckpointValues('DT_FLOAT', [3], raw, 'v').values).toBe(raw);
  });

  it('refuses a value count that does not match the shape', () => {
    expect(() => fromCheckpointValues('DT_FLOAT', [2, 2], new Float32Array(3), 'variable v')).toThrow(
      /variable v: holds 3 values but shape \[2,2\] needs 4/,
    );
  });

  it.each([
    ['DT_INT64', new BigInt64Array([2n ** 40n])],
    ['DT_UINT32', new Uint32Array([2 ** 32 - 1])],
  ])('refuses %s values beyond int32', (dtype, raw) => {
    expect(() => fromCheckpointValues(dtype, [1], raw, 'variable v')).toThrow(NotRunnableError);
  });
});

describe('tfjsDtypeOf', () => {
  it.each([
    ['DT_FLOAT', 'float32'],
    ['DT_DOUBLE', 'float32'],
    ['DT_HALF', 'float32'],
    ['DT_INT64', 'int32'],
    ['DT_UINT8', 'int32'],
    ['DT_BOOL', 'bool'],
    ['DT_STRING', 'string'],
    ['DT_RESOURCE', undefined],
    ['DT_COMPLEX64', undefined],
  ])('%s → %s', (tf, tfjs) => {
    expect(tfjsDtypeOf(tf)).toBe(tfjs);
  });
});
