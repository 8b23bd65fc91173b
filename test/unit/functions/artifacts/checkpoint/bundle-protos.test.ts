import fc from 'fast-check';
import {
  decodeBundleEntry,
  decodeBundleHeader,
  encodeBundleEntry,
  encodeBundleHeader,
} from '../../../../../functions/artifacts/checkpoint/bundle-protos';

const fail = (detail: string): never => {
  throw new Error(detail);
};

describe('bundle protos', () => {
  it('encodes the header exactly as TensorFlow does (num_shards=1, version{producer=1})', () => {
    expect([...encodeBundleHeader(1)]).toEqual([0x08, 0x01, 0x1a, 0x02, 0x08, 0x01]);
    expect(decodeBundleHeader(encodeBundleHeader(7), fail)).toEqual({
      numShards: 7,
      endianness: 0,
      producer: 1,
      minConsumer: 0,
      badConsumers: [],
    });
  });

  it('encodes a float scalar entry as TensorFlow does (empty shape kept, zero offset omitted)', () => {
    // From tf1_half_plus_two entry "a": dtype 1, shape {}, size 4, crc32c.
    const bytes = encodeBundleEntry({ dtype: 1, shape: [], shardId: 0, offset: 0, size: 4, crc32c: 0x1f273806 });
    expect([...bytes]).toEqual([0x08, 0x01, 0x12, 0x00, 0x28, 0x04, 0x35, 0x06, 0x38, 0x27, 0x1f]);
  });

  it('round-trips entries, and skips unknown fields of every wire type', () => {
    const entry = fc.record({
      dtype: fc.integer({ min: 0, max: 30 }),
      shape: fc.array(fc.maxSafeNat(), { maxLength: 5 }),
      shardId: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      offset: fc.maxSafeNat(),
      size: fc.maxSafeNat(),
      crc32c: fc.integer({ min: 0, max: 0xffffffff }),
    });
    fc.assert(
      fc.property(entry, (e) => {
        const unknown = new Uint8Array([0x50, 0x05, 0x59, 1, 2, 3, 4, 5, 6, 7, 8, 0x62, 0x01, 0x00, 0x6d, 1, 2, 3, 4]);
        const decoded = decodeBundleEntry(new Uint8Array([...encodeBundleEntry(e), ...unknown]), fail);
        expect(decoded).toEqual({ ...e, unknownRank: false, slices: 0 });
      }),
    );
  });

  it('counts slices and reads unknown_rank', () => {
    const bytes = new Uint8Array([0x12, 0x02, 0x18, 0x01, 0x3a, 0x00, 0x3a, 0x00]);
    expect(decodeBundleEntry(bytes, fail)).toMatchObject({ unknownRank: true, slices: 2 });
  });

  it.each([
    ['a truncated length-delimited field', new Uint8Array([0x12, 0x05, 0x12]), /shape needs 5 bytes/],
    [
      'a negative shard id read as int32',
      new Uint8Array([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
      null,
    ],
    ['an 11-byte varint', new Uint8Array([0x20, ...new Array(11).fill(0xff)]), /not a valid varint/],
  ])('%s', (_name, bytes, pattern) => {
    if (pattern) expect(() => decodeBundleEntry(bytes, fail)).toThrow(pattern);
    else expect(decodeBundleEntry(bytes, fail).shardId).toBe(-1);
  });
});
