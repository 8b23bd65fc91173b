import fc from 'fast-check';
import { snappyCompress, snappyUncompress } from '../../../../../functions/artifacts/checkpoint/snappy-block';

const fail = (detail: string): never => {
  throw new Error(detail);
};

describe('snappy blocks', () => {
  it('round-trips any bytes, including repetitive ones that use copies', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 50 }), (bytes, repeat) => {
        const input = new Uint8Array(bytes.length * Math.min(repeat, 3));
        for (let i = 0; i < input.length; i += 1) input[i] = bytes[i % bytes.length];
        expect(snappyUncompress(snappyCompress(input), fail)).toEqual(input);
      }),
    );
  });

  it('decodes a hand-encoded stream with long literals and overlapping copies', () => {
    // length 70; literal of 61 bytes (tag 60<<2 + 1 length byte); copy-1 of 9 bytes, offset 1.
    const literal = Uint8Array.from({ length: 61 }, (_, i) => i);
    const stream = new Uint8Array([70, 60 << 2, 60, ...literal, 0x01 | ((9 - 4) << 2), 1]);
    const out = snappyUncompress(stream, fail);
    expect(out.length).toBe(70);
    expect([...out.subarray(61)]).toEqual(new Array(9).fill(60));
  });

  it.each([
    ['empty input', new Uint8Array(0), /uncompressed length is cut off/],
    [
      'hostile declared length (never allocated)',
      new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x07]),
      /claims \d+ bytes from 5 compressed bytes/,
    ],
    ['output shorter than declared', new Uint8Array([5, 0, 0x61]), /produces 1 bytes, declared 5/],
    ['output longer than declared', new Uint8Array([1, 4, 0x61, 0x62]), /more than the declared 1 bytes/],
    ['copy with offset zero', new Uint8Array([9, 0, 0x61, 0x01 | (4 << 2), 0]), /copy reaches 0 bytes back/],
    ['four-byte-offset copy cut off', new Uint8Array([9, 0, 0x61, 0x03, 1, 0]), /Snappy copy offset needs 4 bytes/],
  ])('refuses %s', (_name, stream, pattern) => {
    expect(() => snappyUncompress(stream, fail)).toThrow(pattern);
  });
});
