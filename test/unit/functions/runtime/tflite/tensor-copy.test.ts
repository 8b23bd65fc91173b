import { feedable, readValues, writeValues, zeroValues } from '../../../../../functions/runtime/tflite/tensor-copy';

describe('tensor copies', () => {
  it.each([
    ['float32', new Float32Array(4), [1.5, -2], [1.5, -2]],
    ['int32', new Int32Array(4), [7, -8], [7, -8]],
    ['uint8', new Uint8Array(4), [0, 255], [0, 255]],
    ['int64', new BigInt64Array(4), [9007199254740991, -3], [9007199254740991n, -3n]],
    ['bool', new Uint8Array(4), [true, false], [true, false]],
  ] as const)('round-trips %s at an offset', (dtype, view, values, expected) => {
    writeValues(view as never, dtype, [...values], 1);
    expect(readValues(view, dtype, 1, 2)).toEqual(expected);
    zeroValues(view as never, dtype, 1, 2);
    expect(readValues(view, dtype, 1, 2)).toEqual(
      dtype === 'bool' ? [false, false] : dtype === 'int64' ? [0n, 0n] : [0, 0],
    );
  });

  it.each([
    ['float32', true],
    ['int64', true],
    ['string', false],
    ['float16', false],
  ] as const)('%s feedable: %p', (dtype, expected) => {
    expect(feedable(dtype)).toBe(expected);
  });
});
