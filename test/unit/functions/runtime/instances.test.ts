import { InstancesError } from '../../../../functions/runtime/errors';
import {
  MAX_ELEMENTS_PER_VALUE,
  nest,
  parseInstances,
  stackInstances,
  toPredictions,
  type InputSpec,
} from '../../../../functions/runtime/instances';

const x: Record<string, InputSpec> = { x: { dtype: 'float32', shape: [-1, 1] } };
const two: Record<string, InputSpec> = {
  a: { dtype: 'int32', shape: [-1, 2] },
  b: { dtype: 'string', shape: [-1] },
};

describe('parseInstances', () => {
  it.each([
    ['named objects', [{ x: [1] }, { x: [2.5] }], [[1], [2.5]]],
    ['bare values for a single input', [[1], [2]], [[1], [2]]],
    ['scalars where one instance is [1]', [1, 5], [[1], [5]]],
  ])('accepts %s', (_name, raw, expected) => {
    const parsed = parseInstances(raw, x);
    expect(parsed.map((p) => p.x.values)).toEqual(expected);
    expect(parsed.every((p) => p.x.shape.join() === '1')).toBe(true);
  });

  it('parses several inputs by name and keeps dtypes', () => {
    const [first] = parseInstances([{ a: [1, 2], b: 'hi' }], two);
    expect(first.a).toEqual({ dtype: 'int32', shape: [2], values: [1, 2] });
    expect(first.b).toEqual({ dtype: 'string', shape: [], values: ['hi'] });
  });

  it('accepts any shape for an input of unknown rank', () => {
    const [p] = parseInstances(
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
      { x: { dtype: 'float32', shape: null } },
    );
    expect(p.x.shape).toEqual([2, 2]);
    expect(p.x.values).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['not an array', { x: [1] }, /instances: expected a JSON array/],
    ['empty', [], /empty/],
    ['wrong dtype', [{ x: ['one'] }], /instances\[0\]\.x: expected a finite number, got the string "one"/],
    ['null element', [{ x: [null] }], /instances\[0\]\.x: expected a finite number, got null/],
    ['wrong shape', [{ x: [1, 2] }], /instances\[0\]\.x: shape \[2\] does not fit the input's shape \[1\]/],
    ['ragged', [[[1], [1, 2]]], /ragged/],
    ['unknown key', [{ x: [1], z: 2 }], /unknown input z/],
    ['a wrong key on a single input', [{ y: [1] }], /instances\[0\]: unknown input y; the signature takes x/],
  ])('rejects %s with a message naming the field', (_name, raw, message) => {
    expect(() => parseInstances(raw, x)).toThrow(InstancesError);
    expect(() => parseInstances(raw, x)).toThrow(message);
  });

  it.each([
    ['missing key', [{ a: [1, 2] }], /instances\[0\]\.b: missing/],
    ['a bare value for a multi-input signature', [[1, 2]], /instances\[0\]: expected an object with inputs a, b/],
    ['a non-integer for int32', [{ a: [1.5, 2], b: 's' }], /instances\[0\]\.a: expected an integer \(int32\), got 1.5/],
    ['an int32 out of range', [{ a: [2 ** 31, 2], b: 's' }], /out of range for int32/],
    ['a number for a string', [{ a: [1, 2], b: 3 }], /instances\[0\]\.b: expected a string/],
  ])('rejects %s on a multi-input signature', (_name, raw, message) => {
    expect(() => parseInstances(raw, two)).toThrow(message);
  });

  it('refuses values too large to hold instead of allocating them', () => {
    const huge = new Array(MAX_ELEMENTS_PER_VALUE + 1);
    expect(() => parseInstances([huge], { x: { dtype: 'float32', shape: null } })).toThrow(/more than/);
  });
});

describe('stackInstances', () => {
  it('stacks one input into a batch', () => {
    const parsed = parseInstances([{ x: [1] }, { x: [2] }, { x: [5] }], x);
    expect(stackInstances(parsed, 'x')).toEqual({ shape: [3, 1], values: [1, 2, 5] });
  });

  it('refuses instances of different shapes', () => {
    const parsed = parseInstances([[1, 2], [1]], { x: { dtype: 'float32', shape: [-1, -1] } });
    expect(() => stackInstances(parsed, 'x')).toThrow(/instances\[1\]\.x: shape \[1\] differs/);
  });
});

describe('toPredictions', () => {
  it('gives the nested value per instance for one output', () => {
    expect(toPredictions([{ y: { shape: [1], values: [2.5] } }, { y: { shape: [1], values: [3] } }])).toEqual([
      [2.5],
      [3],
    ]);
  });

  it('gives an object per instance for several outputs, int64 as numbers', () => {
    const rows = [{ a: { shape: [], values: [BigInt(18)] }, b: { shape: [2], values: Int32Array.from([1, 2]) } }];
    expect(toPredictions(rows)).toEqual([{ a: 18, b: [1, 2] }]);
  });

  it('nests row-major', () => {
    expect(nest({ shape: [2, 3], values: [1, 2, 3, 4, 5, 6] })).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});
