import { compress, uncompress } from 'snappyjs';
import { ByteReader } from './byte-reader';

/** Snappy cannot expand more than 64 output bytes per 3-byte copy tag; anything claiming more is corrupt. */
const MAX_EXPANSION = 22;

/**
 * Walks a raw Snappy stream's tags without writing output, checking that every literal lies
 * inside the input, every copy points back into output already produced, and the total equals
 * the declared length. Hand-written because `snappyjs` checks none of this (out-of-range writes
 * to a typed array are silently dropped), and it lets us refuse a hostile length before allocating.
 * Format: https://github.com/google/snappy/blob/main/format_description.txt
 */
function checkedLength(data: Uint8Array, fail: (detail: string) => never): number {
  const r = new ByteReader(data, fail);
  const length = r.varint('Snappy uncompressed length');
  if (length > MAX_EXPANSION * data.length + 64) {
    fail(
      `Snappy block claims ${length} bytes from ${data.length} compressed bytes, which Snappy cannot produce (corrupt block)`,
    );
  }
  let out = 0;
  while (!r.done) {
    const tag = r.take(1, 'Snappy tag')[0];
    const kind = tag & 3;
    let len: number;
    if (kind === 0) {
      len = (tag >>> 2) + 1;
      if (len > 60) {
        const extra = r.take(len - 60, 'Snappy literal length');
        len = 1;
        for (let i = 0; i < extra.length; i += 1) len += extra[i] * 2 ** (8 * i);
      }
      r.take(len, 'Snappy literal');
    } else {
      let offset: number;
      if (kind === 1) {
        len = ((tag >>> 2) & 7) + 4;
        offset = ((tag >>> 5) << 8) | r.take(1, 'Snappy copy offset')[0];
      } else {
        len = (tag >>> 2) + 1;
        const o = r.take(kind === 2 ? 2 : 4, 'Snappy copy offset');
        offset = kind === 2 ? o[0] | (o[1] << 8) : (o[0] | (o[1] << 8) | (o[2] << 16) | (o[3] << 24)) >>> 0;
      }
      if (offset === 0 || offset > out)
        fail(`Snappy copy reaches ${offset} bytes back from output position ${out} (corrupt block)`);
    }
    out += len;
    if (out > length) fail(`Snappy data produces more than the declared ${length} bytes (corrupt block)`);
  }
  if (out !== length) fail(`Snappy data produces ${out} bytes, declared ${length} (corrupt or truncated block)`);
  return length;
}

/** Decompresses one raw Snappy block (the table's compression type 1) after checking it. */
export function snappyUncompress(data: Uint8Array, fail: (detail: string) => never): Uint8Array {
  const length = checkedLength(data, fail);
  try {
    return uncompress(data, length);
  } catch (error) {
    return fail(`Snappy block does not decompress: ${(error as Error).message}`);
  }
}

/** Raw Snappy compression of one block (what TensorFlow's table builder stores as type 1). */
export function snappyCompress(data: Uint8Array): Uint8Array {
  return compress(data);
}
