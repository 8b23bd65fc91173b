import fc from 'fast-check';
import { crc32c, crc32cExtend, maskCrc, unmaskCrc } from '../../../../../functions/artifacts/checkpoint/crc32c';

const text = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xc1d04330],
    ['123456789', 0xe3069283],
    ['The quick brown fox jumps over the lazy dog', 0x22620404],
  ])('crc32c(%j) is the published Castagnoli check value', (input, expected) => {
    expect(crc32c(text(input))).toBe(expected);
  });

  it('matches the iSCSI test vector of 32 zero bytes (RFC 3720 B.4)', () => {
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('agrees with a bit-at-a-time reference on any input (covers the 8-byte fast path and the tail)', () => {
    const reference = (bytes: Uint8Array) => {
      let c = 0xffffffff;
      for (const byte of bytes) {
        c ^= byte;
        for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
      }
      return ~c >>> 0;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(crc32c(bytes)).toBe(reference(bytes));
      }),
    );
  });

  it('extends across split points and honours start/end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % bytes.length;
        expect(crc32cExtend(crc32c(bytes, 0, at), bytes, at)).toBe(crc32c(bytes));
      }),
    );
  });

  it('masks as TensorFlow does and unmasks back', () => {
    // TensorFlow's stored crc of float 0.5 (tf1_half_plus_two entry "a") is the mask of its raw crc.
    expect(maskCrc(crc32c(new Uint8Array(new Float32Array([0.5]).buffer)))).toBe(522663942);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (crc) => {
        expect(unmaskCrc(maskCrc(crc))).toBe(crc);
      }),
    );
  });
});
