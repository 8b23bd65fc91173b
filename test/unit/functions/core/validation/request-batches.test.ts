import type { GoldenExample } from '../../../../../functions/core/validation/golden-set';
import { batchRequests } from '../../../../../functions/core/validation/request-batches';

const example = (line: number, size = 1): GoldenExample => ({
  line,
  instance: { x: 'a'.repeat(size) },
  expected: 1,
  tolerance: 0,
});

describe('batchRequests', () => {
  it('caps the instances per request', () => {
    const batches = batchRequests(
      Array.from({ length: 10 }, (_, i) => example(i + 1)),
      4,
    );
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
  });

  it('keeps every request under the byte limit', () => {
    const batches = batchRequests(
      Array.from({ length: 6 }, (_, i) => example(i + 1, 30_000)),
      100,
      100_000,
    );
    for (const batch of batches)
      expect(Buffer.byteLength(JSON.stringify(batch.map((b) => b.instance)))).toBeLessThan(100_000);
    expect(batches.flat()).toHaveLength(6);
  });

  it('refuses an instance that alone is over the limit, naming its line', () => {
    expect(() => batchRequests([example(1), example(2, 2_000_000)], 10)).toThrow(
      /golden set line 2: the instance is \d+ bytes/,
    );
  });
});
