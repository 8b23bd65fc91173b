import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';
import { crc32cExtend, maskCrc } from './crc32c';

/**
 * DT_STRING tensors in a bundle: varint64 length of each element, a 4-byte masked crc32c of the
 * lengths, then the bytes. The entry's crc32c covers each length as a little-endian uint32
 * (uint64 above 4 GiB), the 4 checksum bytes, then the string bytes — not the stored varints.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/util/tensor_bundle/tensor_bundle.cc (WriteStringTensor)
 */
export interface StringTensor {
  strings: Uint8Array[];
  /** Unmasked crc32c as the entry's checksum is computed (mask it to compare). */
  crc: number;
}

function extendLength(crc: number, length: number): number {
  const word = new Uint8Array(length <= 0xffffffff ? 4 : 8);
  const view = new DataView(word.buffer);
  if (word.length === 4) view.setUint32(0, length, true);
  else view.setBigUint64(0, BigInt(length), true);
  return crc32cExtend(crc, word);
}

/** Encodes DT_STRING elements the way TensorFlow's BundleWriter stores them in a shard. */
export function encodeStringTensor(strings: Uint8Array[]): Uint8Array {
  const w = new ByteWriter(16 + strings.reduce((n, s) => n + s.length + 2, 0));
  let crc = 0;
  for (const s of strings) {
    w.varint(s.length);
    crc = extendLength(crc, s.length);
  }
  w.fixed32(maskCrc(crc));
  for (const s of strings) w.bytes(s);
  return w.finish();
}

/**
 * Decodes `count` elements from `bytes` (exactly one tensor's stored bytes), checking the
 * lengths' own checksum. `fail` throws the caller's error naming the tensor.
 */
export function decodeStringTensor(bytes: Uint8Array, count: number, fail: (detail: string) => never): StringTensor {
  // Each element takes at least one length byte: refuses a hostile count before allocating.
  if (count > bytes.length) fail(`declares ${count} strings in ${bytes.length} bytes`);
  const r = new ByteReader(bytes, fail);
  const lengths: number[] = [];
  let crc = 0;
  let total = 0;
  for (let i = 0; i < count; i += 1) {
    const length = r.varint(`length of string ${i}`);
    total += length;
    if (total > bytes.length) fail(`string lengths add up to more than the tensor's ${bytes.length} bytes`);
    lengths.push(length);
    crc = extendLength(crc, length);
  }
  const stored = r.fixed32('checksum of string lengths');
  if (stored !== maskCrc(crc)) fail('checksum of string lengths does not match (corrupt data)');
  crc = crc32cExtend(crc, bytes, r.pos - 4, r.pos);
  const strings = lengths.map((length, i) => r.take(length, `string ${i}`));
  if (!r.done) fail(`has ${r.end - r.pos} bytes left over after ${count} strings`);
  crc = crc32cExtend(crc, bytes, r.pos - total, r.pos);
  return { strings, crc };
}
