import { ByteWriter } from './byte-writer';
import { crc32c, maskCrc } from './crc32c';
import { snappyCompress } from './snappy-block';
import {
  BlockHandle,
  compareBytes,
  DATA_RESTART_INTERVAL,
  HANDLES_LENGTH,
  MAGIC_HIGH,
  MAGIC_LOW,
  NO_COMPRESSION,
  SNAPPY_COMPRESSION,
} from './table-format';

export type Compression = 'snappy' | 'none';

/** Prefix-compressed entries with a restart point every `interval` entries (LevelDB BlockBuilder). */
class BlockBuilder {
  private readonly out = new ByteWriter(1024);
  private restarts = [0];
  private counter = 0;
  private last: Uint8Array = new Uint8Array(0);

  constructor(private readonly interval: number) {}

  get empty(): boolean {
    return this.out.length === 0;
  }

  sizeEstimate(): number {
    return this.out.length + 4 * this.restarts.length + 4;
  }

  add(key: Uint8Array, value: Uint8Array): void {
    let shared = 0;
    if (this.counter < this.interval) {
      const n = Math.min(this.last.length, key.length);
      while (shared < n && this.last[shared] === key[shared]) shared += 1;
    } else {
      this.restarts.push(this.out.length);
      this.counter = 0;
    }
    this.out
      .varint(shared)
      .varint(key.length - shared)
      .varint(value.length);
    this.out.bytes(key.subarray(shared)).bytes(value);
    this.last = key;
    this.counter += 1;
  }

  finish(): Uint8Array {
    for (const restart of this.restarts) this.out.fixed32(restart);
    this.out.fixed32(this.restarts.length);
    const block = this.out.finish();
    this.out.reset();
    this.restarts = [0];
    this.counter = 0;
    this.last = new Uint8Array(0);
    return block;
  }
}

/** LevelDB's FindShortestSeparator: a short key k with start <= k < limit. */
function shortestSeparator(start: Uint8Array, limit: Uint8Array): Uint8Array {
  const n = Math.min(start.length, limit.length);
  let diff = 0;
  while (diff < n && start[diff] === limit[diff]) diff += 1;
  if (diff >= n) return start;
  const byte = start[diff];
  if (byte < 0xff && byte + 1 < limit[diff]) {
    const key = start.slice(0, diff + 1);
    key[diff] += 1;
    return key;
  }
  return start;
}

/** LevelDB's FindShortSuccessor: a short key k >= key. */
function shortSuccessor(key: Uint8Array): Uint8Array {
  for (let i = 0; i < key.length; i += 1) {
    if (key[i] !== 0xff) {
      const next = key.slice(0, i + 1);
      next[i] += 1;
      return next;
    }
  }
  return key;
}

function encodeHandle(w: ByteWriter, handle: BlockHandle): ByteWriter {
  return w.varint(handle.offset).varint(handle.size);
}

/**
 * Writes a LevelDB-format table exactly as TensorFlow's `table::TableBuilder` does: data blocks cut
 * at `blockSize`, Snappy only when it saves at least 1/8, an empty metaindex block, an index
 * block with restart interval 1 and shortened separator keys, and the 48-byte footer.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/lib/io/table_builder.cc
 */
export function writeTable(
  entries: Iterable<{ key: Uint8Array; value: Uint8Array }>,
  compression: Compression,
  blockSize: number,
): Uint8Array {
  const file = new ByteWriter(4096);
  const data = new BlockBuilder(DATA_RESTART_INTERVAL);
  const index = new BlockBuilder(1);
  let last: Uint8Array | undefined;
  let pending: BlockHandle | undefined;

  const writeBlock = (block: BlockBuilder, allowCompression: boolean): BlockHandle => {
    const raw = block.finish();
    let stored = raw;
    let type = NO_COMPRESSION;
    if (allowCompression && compression === 'snappy') {
      const compressed = snappyCompress(raw);
      if (compressed.length < raw.length - Math.floor(raw.length / 8)) {
        stored = compressed;
        type = SNAPPY_COMPRESSION;
      }
    }
    const handle = { offset: file.length, size: stored.length };
    file.bytes(stored).byte(type);
    const crc = crc32c(file.view(), handle.offset, file.length);
    file.fixed32(maskCrc(crc));
    return handle;
  };

  for (const { key, value } of entries) {
    if (last && compareBytes(last, key) >= 0) throw new Error('writeTable: keys must be strictly increasing');
    if (pending && last) {
      index.add(shortestSeparator(last, key), encodeHandle(new ByteWriter(20), pending).finish());
      pending = undefined;
    }
    data.add(key, value);
    last = key;
    if (data.sizeEstimate() >= blockSize) pending = writeBlock(data, true);
  }
  if (!data.empty) pending = writeBlock(data, true);
  if (pending && last) index.add(shortSuccessor(last), encodeHandle(new ByteWriter(20), pending).finish());
  const metaindex = writeBlock(new BlockBuilder(DATA_RESTART_INTERVAL), true);
  const indexHandle = writeBlock(index, true);
  const footer = new ByteWriter(48);
  encodeHandle(encodeHandle(footer, metaindex), indexHandle);
  while (footer.length < HANDLES_LENGTH) footer.byte(0);
  footer.fixed32(MAGIC_LOW).fixed32(MAGIC_HIGH);
  file.bytes(footer.view());
  return file.finish();
}
