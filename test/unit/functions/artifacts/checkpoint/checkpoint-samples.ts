import { ByteWriter } from '../../../../../functions/artifacts/checkpoint/byte-writer';
import { crc32c, maskCrc } from '../../../../../functions/artifacts/checkpoint/crc32c';
import { encodeStringTensor } from '../../../../../functions/artifacts/checkpoint/string-tensor';
import { TensorToWrite, writeCheckpoint } from '../../../../../functions/artifacts/checkpoint/write-checkpoint';

/** Little-endian float32 bytes. */
export function floats(...values: number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** The variables of TF Serving's half_plus_two (a=0.5, b=2, c=3), written by our writer. */
export function halfPlusTwoTensors(): TensorToWrite[] {
  return [
    { key: 'a', dtype: 'DT_FLOAT', shape: [], data: floats(0.5) },
    { key: 'b', dtype: 'DT_FLOAT', shape: [], data: floats(2) },
    { key: 'c', dtype: 'DT_FLOAT', shape: [], data: floats(3) },
    {
      key: '_CHECKPOINTABLE_OBJECT_GRAPH',
      dtype: 'DT_STRING',
      shape: [],
      data: encodeStringTensor([new TextEncoder().encode('graph bytes')]),
    },
  ];
}

export function halfPlusTwoCheckpoint(compression: 'snappy' | 'none' = 'snappy') {
  return writeCheckpoint(halfPlusTwoTensors(), { compression });
}

/** A copy of `bytes` with `bytes[at]` xor `mask`. */
export function flip(bytes: Uint8Array, at: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice();
  copy[at] ^= mask;
  return copy;
}

/** `entries`, as-is (no order or duplicate check), prefix-compressed with no sharing. */
function rawBlock(entries: Array<[Uint8Array, Uint8Array]>): Uint8Array {
  const w = new ByteWriter();
  for (const [key, value] of entries) w.varint(0).varint(key.length).varint(value.length).bytes(key).bytes(value);
  return w.fixed32(0).fixed32(1).finish();
}

/**
 * A single-data-block table built by hand (independently of the writer), so tests can put any
 * keys, values or raw block bytes into an index. `type` is the trailer's compression byte.
 */
export function rawTable(
  entries: Array<[Uint8Array | string, Uint8Array]>,
  { dataBlock, type = 0 }: { dataBlock?: Uint8Array; type?: number } = {},
): Uint8Array {
  const encode = (k: Uint8Array | string) => (typeof k === 'string' ? new TextEncoder().encode(k) : k);
  const file = new ByteWriter();
  const block = (contents: Uint8Array, blockType: number) => {
    const offset = file.length;
    file.bytes(contents).byte(blockType);
    file.fixed32(maskCrc(crc32c(file.view(), offset, file.length)));
    return { offset, size: contents.length };
  };
  const data = block(dataBlock ?? rawBlock(entries.map(([k, v]) => [encode(k), v])), type);
  const meta = block(rawBlock([]), 0);
  const handle = new ByteWriter().varint(data.offset).varint(data.size).finish();
  const index = block(rawBlock([[new Uint8Array([0xff]), handle]]), 0);
  const footer = new ByteWriter().varint(meta.offset).varint(meta.size).varint(index.offset).varint(index.size);
  while (footer.length < 40) footer.byte(0);
  footer.fixed32(0x8b80fb57).fixed32(0xdb477524);
  return file.bytes(footer.view()).finish();
}

/** BundleHeaderProto bytes {num_shards, endianness, version{producer, min_consumer}}. */
export function headerBytes({ numShards = 1, endianness = 0, minConsumer = 0 } = {}): Uint8Array {
  const version = new ByteWriter().varint(8).varint(1);
  if (minConsumer) version.varint(16).varint(minConsumer);
  const w = new ByteWriter();
  if (numShards) w.varint(8).varint64(BigInt(numShards));
  if (endianness) w.varint(16).varint(endianness);
  return w.varint(26).varint(version.length).bytes(version.view()).finish();
}
