import type { GoldenExample } from '../../../../../functions/core/validation/golden-set';
import { PREDICT_REQUEST_LIMIT_BYTES, batchRequests } from '../../../../../functions/core/validation/request-batches';

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

/**
 * The client sends protobuf `Value`s, not JSON: a number is 1 byte of JSON and 11 of protobuf in a
 * list, an escaped quote 2 bytes of JSON and 1 of protobuf. The limit applies to what is sent.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions
 */
describe('batchRequests measures the protobuf request, not JSON', () => {
  const instance = (line: number, value: unknown): GoldenExample => ({
    line,
    instance: value,
    expected: 1,
    tolerance: 0,
  });

  it('splits instances that are small as JSON but together above 1.5 MB as protobuf', () => {
    const zeros = { x: new Array<number>(90_000).fill(0) }; // ~180 KB of JSON, ~990 KB of protobuf
    expect(Buffer.byteLength(JSON.stringify([zeros, zeros]))).toBeLessThan(PREDICT_REQUEST_LIMIT_BYTES / 4);
    const batches = batchRequests([instance(1, zeros), instance(2, zeros)], 10);
    expect(batches.map((b) => b.map((e) => e.line))).toEqual([[1], [2]]);
  });

  it('refuses one instance whose protobuf alone is above the limit, though its JSON is not', () => {
    const zeros = { x: new Array<number>(200_000).fill(0) }; // ~400 KB of JSON, ~2.2 MB of protobuf
    expect(() => batchRequests([instance(7, zeros)], 10)).toThrow(
      /golden set line 7: the instance is \d+ bytes as sent \(protobuf\)/,
    );
  });

  it('accepts an instance whose JSON is above the limit but whose protobuf is not', () => {
    const quotes = { s: '"'.repeat(900_000) }; // ~1.8 MB of JSON, ~900 KB of protobuf
    expect(Buffer.byteLength(JSON.stringify(quotes))).toBeGreaterThan(PREDICT_REQUEST_LIMIT_BYTES);
    expect(batchRequests([instance(1, quotes)], 10)).toHaveLength(1);
  });
});
