import { goldenSetLocation } from '../../../../../functions/core/validation/golden-location';

describe('goldenSetLocation', () => {
  it.each([
    ['gs://qa/golden/f.jsonl', 'models/f/7/', { bucket: 'qa', name: 'golden/f.jsonl' }],
    ['./golden.jsonl', 'models/f/7/', { bucket: 'artifacts', name: 'models/f/7/golden.jsonl' }],
    ['./golden.jsonl', 'mobile/f/7/model.tflite', { bucket: 'artifacts', name: 'mobile/f/7/golden.jsonl' }],
    ['golden/f.jsonl', 'models/f/7/', { bucket: 'artifacts', name: 'golden/f.jsonl' }],
  ])('%s for %s', (goldenSet, root, expected) => {
    expect(goldenSetLocation(goldenSet, 'artifacts', root)).toEqual(expected);
  });
});
