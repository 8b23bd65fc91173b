import {
  GoldenSetError,
  MAX_GOLDEN_BYTES,
  mismatch,
  parseGoldenSet,
} from '../../../../../functions/core/validation/golden-set';

const encode = (text: string) => new TextEncoder().encode(text);

describe('parseGoldenSet', () => {
  it('reads JSON lines with default and explicit tolerances, skipping blank lines', () => {
    const examples = parseGoldenSet(
      encode('{"instance":{"x":[1]},"expected":[2.5]}\n\n{"instance":[5],"expected":[4.5],"tolerance":0.1}\n'),
      'golden.jsonl',
    );
    expect(examples).toEqual([
      { line: 1, instance: { x: [1] }, expected: [2.5], tolerance: 1e-5 },
      { line: 3, instance: [5], expected: [4.5], tolerance: 0.1 },
    ]);
  });

  it.each([
    ['empty', '', /golden\.jsonl: is empty/],
    ['blank lines only', '\n\n', /has no examples/],
    ['truncated', '{"instance":[1],"expected":[2.5]}\n{"instance":[2],"exp', /line 2: not JSON/],
    ['a corrupt line', '{"instance":[1],"expected":[2.5]}\n\u0000garbage\n', /line 2: not JSON/],
    ['a missing expected', '{"instance":[1]}', /line 1: "expected" is missing/],
    ['a missing instance', '{"expected":[1]}', /line 1: "instance" is missing/],
    ['the wrong type', '[1, 2]', /line 1: expected an object/],
    [
      'a negative tolerance',
      '{"instance":[1],"expected":[2],"tolerance":-1}',
      /"tolerance" must be a non-negative number/,
    ],
    [
      'a string tolerance',
      '{"instance":[1],"expected":[2],"tolerance":"1"}',
      /"tolerance" must be a non-negative number/,
    ],
  ])('refuses %s, naming the file and line', (_name, text, message) => {
    expect(() => parseGoldenSet(encode(text), 'golden.jsonl')).toThrow(GoldenSetError);
    expect(() => parseGoldenSet(encode(text), 'golden.jsonl')).toThrow(message);
  });

  it('refuses non-UTF-8 bytes and oversized files before parsing', () => {
    expect(() => parseGoldenSet(Uint8Array.from([0xff, 0xfe, 0x00]), 'g.jsonl')).toThrow(/not UTF-8/);
    expect(() => parseGoldenSet(new Uint8Array(MAX_GOLDEN_BYTES + 1), 'g.jsonl')).toThrow(/above the \d+-byte limit/);
  });

  it('keeps duplicated lines: each is a separate example', () => {
    const line = '{"instance":[1],"expected":[2.5]}';
    expect(parseGoldenSet(encode(`${line}\n${line}`), 'g.jsonl')).toHaveLength(2);
  });
});

describe('mismatch', () => {
  it.each([
    [[2.5], [2.500001], 1e-5, undefined],
    [
      [2.5],
      [2.6],
      1e-5,
      /prediction\[0\]: expected 2\.5 ± 0\.00001, got 2\.6|prediction\[0\]: expected 2\.5 ± 0\.00001/,
    ],
    [[1, 2], [1], 0, /expected 2 values, got 1/],
    [{ y: [1], z: 'cat' }, { y: [1], z: 'cat', extra: 3 }, 0, undefined],
    [{ y: [1], z: 'cat' }, { y: [1], z: 'dog' }, 0, /prediction\.z: expected "cat", got "dog"/],
    [{ y: 1 }, [1], 0, /expected an object/],
    [3, '3', 0, /expected 3, got "3"/],
  ])('%j vs %j (tolerance %s)', (expected, actual, tolerance, result) => {
    const found = mismatch(expected, actual, tolerance);
    if (result === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(/expected/);
  });
});
