import { ByteReader } from '../../../../../functions/artifacts/checkpoint/byte-reader';
import { ByteWriter } from '../../../../../functions/artifacts/checkpoint/byte-writer';

const fail = (detail: string): never => {
  throw new Error(detail);
};

describe('ByteReader', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 32, Number.MAX_SAFE_INTEGER])('reads varint %i written by ByteWriter', (n) => {
    expect(new ByteReader(new ByteWriter().varint(n).finish(), fail).varint('n')).toBe(n);
  });

  it.each([0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n)])('reads int64 varint %s', (n) => {
    expect(new ByteReader(new ByteWriter().varint64(n).finish(), fail).varint64('n')).toBe(n);
  });

  it('refuses varints past 2^53 as sizes, and reads within its window only', () => {
    expect(() => new ByteReader(new ByteWriter().varint64(2n ** 60n).finish(), fail).varint('size')).toThrow(
      /size is \d+, larger than any real file/,
    );
    const r = new ByteReader(new Uint8Array([1, 2, 3, 4, 5]), fail, 1, 3);
    expect([...r.take(2, 'two')]).toEqual([2, 3]);
    expect(r.done).toBe(true);
    expect(() => r.take(1, 'more')).toThrow(/more needs 1 bytes at offset 3 but only 0 remain/);
    expect(() => new ByteReader(new Uint8Array([1, 2]), fail).fixed32('crc')).toThrow(/crc needs 4 bytes/);
  });
});
