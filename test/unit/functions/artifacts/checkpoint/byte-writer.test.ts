import { ByteWriter } from '../../../../../functions/artifacts/checkpoint/byte-writer';

describe('ByteWriter', () => {
  it('encodes varints, fixed32 little-endian and grows past its initial capacity', () => {
    const w = new ByteWriter(1).varint(300).fixed32(0x01020304).byte(9).bytes(new Uint8Array(100).fill(5));
    const bytes = w.finish();
    expect([...bytes.subarray(0, 7)]).toEqual([0xac, 0x02, 4, 3, 2, 1, 9]);
    expect(bytes.length).toBe(107);
    expect(bytes[106]).toBe(5);
  });

  it('writes negative int64 as ten bytes and resets for reuse', () => {
    const w = new ByteWriter().varint64(-1n);
    expect([...w.finish()]).toEqual([...new Array(9).fill(0xff), 0x01]);
    w.reset();
    expect(w.varint(1).finish()).toEqual(new Uint8Array([1]));
  });
});
