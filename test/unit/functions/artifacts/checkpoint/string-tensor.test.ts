import fc from 'fast-check';
import { decodeStringTensor, encodeStringTensor } from '../../../../../functions/artifacts/checkpoint/string-tensor';

const text = (s: string) => new TextEncoder().encode(s);
const fail = (detail: string): never => {
  throw new Error(detail);
};

describe('DT_STRING bundle encoding', () => {
  it('lays out varint lengths, a masked crc of the lengths, then the bytes', () => {
    const bytes = encodeStringTensor([text('ab'), text(''), text('xyz')]);
    expect([...bytes.subarray(0, 3)]).toEqual([2, 0, 3]);
    expect(new TextDecoder().decode(bytes.subarray(7))).toBe('abxyz');
    expect(bytes.length).toBe(3 + 4 + 5);
  });

  it('uses multi-byte varints for long strings', () => {
    const long = new Uint8Array(300).fill(7);
    const bytes = encodeStringTensor([long]);
    expect([...bytes.subarray(0, 2)]).toEqual([0xac, 0x02]);
    expect(decodeStringTensor(bytes, 1, fail).strings[0]).toEqual(long);
  });

  it('round-trips any strings, including none at all', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (strings) => {
        const decoded = decodeStringTensor(encodeStringTensor(strings), strings.length, fail);
        expect(decoded.strings.map((s) => [...s])).toEqual(strings.map((s) => [...s]));
      }),
    );
  });

  describe('refuses broken data', () => {
    const good = encodeStringTensor([text('hello'), text('world')]);
    it.each([
      ['a count larger than the bytes', good, 1000, /declares 1000 strings in 16 bytes/],
      ['lengths beyond the data', new Uint8Array([200, 0, 0, 0, 0]), 1, /lengths add up to more than/],
      [
        'a corrupt length checksum',
        (() => {
          const b = good.slice();
          b[3] ^= 1;
          return b;
        })(),
        2,
        /checksum of string lengths does not match/,
      ],
      ['a truncated tensor', good.subarray(0, good.length - 1), 2, /string 1 needs 5 bytes/],
      ['bytes left over', new Uint8Array([...good, 0]), 2, /1 bytes left over after 2 strings/],
      ['a count smaller than encoded', good, 1, /checksum of string lengths/],
      ['a truncated length varint', new Uint8Array([0x80]), 1, /length of string 0 is cut off/],
    ])('%s', (_name, bytes, count, pattern) => {
      expect(() => decodeStringTensor(bytes, count, fail)).toThrow(pattern);
    });
  });
});
