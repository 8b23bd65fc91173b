import { tensorTypeName, TensorTypeValue } from '../../../../../functions/artifacts/tflite/tflite-schema';

describe('TensorType names', () => {
  it.each([
    [0, 'float32'],
    [2, 'int32'],
    [3, 'uint8'],
    [4, 'int64'],
    [5, 'string'],
    [6, 'bool'],
    [9, 'int8'],
    [10, 'float64'],
    [15, 'uint32'],
    [18, 'bfloat16'],
    [19, 'type_19'],
  ])('%p is %s', (value, name) => {
    expect(tensorTypeName(value)).toBe(name);
  });

  it('maps names back to values', () => {
    expect([TensorTypeValue.float32, TensorTypeValue.int8, TensorTypeValue.uint16]).toEqual([0, 9, 16]);
  });
});
