import {
  goldenFitProblems,
  goldenSetNotFound,
  tfliteSizeProblem,
} from '../../../../../functions/core/artifact/golden-fit';

const URI = 'gs://golden/flowers.jsonl';
/** A stand-in for the runtime's parser: instances must be arrays of 3 numbers. */
const threeNumbers = (instance: unknown): string | undefined =>
  Array.isArray(instance) && instance.length === 3
    ? undefined
    : `instance: expected 3 values, got ${JSON.stringify(instance)}`;

describe('goldenFitProblems', () => {
  it.each<[string, Array<{ line: number; instance: unknown }>, string[]]>([
    [
      'every instance fits',
      [
        { line: 1, instance: [1, 2, 3] },
        { line: 2, instance: [4, 5, 6] },
      ],
      [],
    ],
    [
      'a golden instance not fitting the input',
      [
        { line: 1, instance: [1, 2, 3] },
        { line: 4, instance: [1] },
      ],
      [`${URI} line 4: instance: expected 3 values, got [1] (serving_default takes x)`],
    ],
    [
      'only the first misfit is reported',
      [
        { line: 2, instance: 'a' },
        { line: 3, instance: 'b' },
      ],
      [`${URI} line 2: instance: expected 3 values, got "a" (serving_default takes x)`],
    ],
    ['an empty set has nothing to misfit', [], []],
  ])('%s', (_, examples, problems) => {
    expect(goldenFitProblems(URI, examples, threeNumbers, ['x'])).toEqual(problems);
  });
});

describe('golden set and size problems', () => {
  it('a missing golden set names the workflow file and what to do', () => {
    expect(goldenSetNotFound(URI, 'flowers.yaml')).toMatch(
      /^gs:\/\/golden\/flowers\.jsonl: golden set not found \(flowers\.yaml, validation\.goldenSet\); upload it first/,
    );
  });

  it.each([
    [100, 100, 0],
    [101, 100, 1],
    [5, Infinity, 0],
  ])('a %i-byte TFLite model under a %d-byte limit: %i problem(s)', (size, limit, count) => {
    expect(tfliteSizeProblem('gs://a/m.tflite', size, limit, 'm.yaml')).toHaveLength(count);
  });
});
