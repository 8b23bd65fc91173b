import { DTYPE_BYTES, dtypeName, dtypeNumber } from '../../../../../functions/artifacts/checkpoint/dtypes';

describe('TensorFlow DataType names', () => {
  it.each([
    [1, 'DT_FLOAT'],
    [2, 'DT_DOUBLE'],
    [3, 'DT_INT32'],
    [4, 'DT_UINT8'],
    [5, 'DT_INT16'],
    [6, 'DT_INT8'],
    [7, 'DT_STRING'],
    [8, 'DT_COMPLEX64'],
    [9, 'DT_INT64'],
    [10, 'DT_BOOL'],
    [14, 'DT_BFLOAT16'],
    [19, 'DT_HALF'],
    [20, 'DT_RESOURCE'],
    [21, 'DT_VARIANT'],
    [22, 'DT_UINT32'],
    [23, 'DT_UINT64'],
  ])('%i is %s and back', (number, name) => {
    expect(dtypeName(number)).toBe(name);
    expect(dtypeNumber(name)).toBe(number);
  });

  it('names unknown numbers DT_<n> and maps them back; rejects other names', () => {
    expect(dtypeName(117)).toBe('DT_117');
    expect(dtypeNumber('DT_117')).toBe(117);
    expect(dtypeNumber('float32')).toBeUndefined();
  });

  it('has no width for variable-size types', () => {
    expect(DTYPE_BYTES.DT_STRING).toBeUndefined();
    expect(DTYPE_BYTES.DT_COMPLEX128).toBe(16);
  });
});
