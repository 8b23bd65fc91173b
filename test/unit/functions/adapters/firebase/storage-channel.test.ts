import { newerVersion } from '../../../../../functions/core/run/run-id';

describe('newerVersion', () => {
  it.each([
    ['10', '9', true],
    ['9', '10', false],
    ['2026-11-23', '2026-11-22', true],
    ['v2', 'v10', false],
    ['7', '7', false],
  ])('%s is newer than %s: %s', (a, b, expected) => {
    expect(newerVersion(a, b)).toBe(expected);
  });
});
