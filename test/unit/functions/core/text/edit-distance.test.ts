import { editDistance, nearest } from '../../../../../functions/core/text/edit-distance';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['models/flower/', 'models/flowers/', 1],
    ['deploy-minute', 'deploy-minutes', 1],
    ['same', 'same', 0],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearest', () => {
  it('picks the closest candidate, the earlier one on a tie', () => {
    expect(nearest('models/flower/', ['mobile/flowers/', 'models/flowers/'])).toBe('models/flowers/');
    expect(nearest('ab', ['ax', 'xb'])).toBe('ax');
  });

  it('gives nothing when every candidate is further than the limit, or there is none', () => {
    expect(nearest('bogus', ['json', 'fast'], 3)).toBeUndefined();
    expect(nearest('x', [])).toBeUndefined();
  });
});
