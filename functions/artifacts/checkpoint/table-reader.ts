import { ByteReader, readUint32 } from './byte-reader';
import { CheckpointError, REUPLOAD } from './checkpoint-error';
import { crc32c, maskCrc } from './crc32c';
import { snappyUncompress } from './snappy-block';
import {
  BlockHandle,
  compareBytes,
  FOOTER_LENGTH,
  HANDLES_LENGTH,
  MAGIC_HIGH,
  MAGIC_LOW,
  NO_COMPRESSION,
  SNAPPY_COMPRESSION,
  TableEntry,
  TRAILER_LENGTH,
} from './table-format';

/** Decoded keys may share prefixes; more than this many key bytes per stored byte means a hostile file. */
const MAX_KEY_EXPANSION = 16;

export interface TableLayout {
  /** Contents (after decompression) of the index block. */
  index: Uint8Array;
  /** Contents of each data block, in file order. */
  data: Uint8Array[];
  /** Compression type byte of each data block. */
  dataTypes: number[];
}

/**
 * Reads every entry of a LevelDB-format table (TensorFlow's `variables.index`), checking the
 * footer magic, each block's masked crc32c, compression type, handle bounds and key order.
 * https://github.com/google/leveldb/blob/main/doc/table_format.md
 */
export function readTable(bytes: Uint8Array, file: string): TableEntry[] {
  const entries: TableEntry[] = [];
  const fail = failIn(file);
  const budget = { keyBytes: MAX_KEY_EXPANSION * bytes.length + 65536 };
  let previous: Uint8Array | undefined;
  readTableLayout(bytes, file).data.forEach((block, i) => {
    for (const entry of blockEntries(block, fail, `data block ${i}`, budget)) {
      if (previous && compareBytes(previous, entry.key) >= 0) {
        fail(
          `keys are out of order or duplicated at "${new TextDecoder().decode(entry.key)}" (corrupt index); ${REUPLOAD}`,
        );
      }
      previous = entry.key;
      entries.push(entry);
    }
  });
  return entries;
}

/** The table's blocks, checked and decompressed: for inspection and for comparing writers. */
export function readTableLayout(bytes: Uint8Array, file: string): TableLayout {
  const fail = failIn(file);
  if (bytes.length < FOOTER_LENGTH) {
    fail(`is ${bytes.length} bytes, shorter than the 48-byte table footer (truncated upload?); ${REUPLOAD}`);
  }
  const footerAt = bytes.length - FOOTER_LENGTH;
  if (
    readUint32(bytes, footerAt + HANDLES_LENGTH) !== MAGIC_LOW ||
    readUint32(bytes, footerAt + HANDLES_LENGTH + 4) !== MAGIC_HIGH
  ) {
    fail(`footer magic is wrong: not a TensorFlow checkpoint index, or truncated/corrupt; ${REUPLOAD}`);
  }
  const footer = new ByteReader(bytes, fail, footerAt, footerAt + HANDLES_LENGTH);
  // TensorFlow writes an empty metaindex; reading it still catches corruption there.
  readBlock(bytes, readHandle(footer, 'metaindex block handle', footerAt), fail, 'metaindex block');
  const indexHandle = readHandle(footer, 'index block handle', footerAt);
  const index = readBlock(bytes, indexHandle, fail, 'index block');
  const layout: TableLayout = { index, data: [], dataTypes: [] };
  const budget = { keyBytes: MAX_KEY_EXPANSION * bytes.length + 65536 };
  for (const { value } of blockEntries(index, fail, 'index block', budget)) {
    const handle = readHandle(new ByteReader(value, fail), 'data block handle', footerAt);
    layout.data.push(readBlock(bytes, handle, fail, `data block at byte ${handle.offset}`));
    layout.dataTypes.push(bytes[handle.offset + handle.size]);
  }
  return layout;
}

function failIn(file: string): (detail: string) => never {
  return (detail) => {
    throw new CheckpointError(file, detail);
  };
}

function readHandle(r: ByteReader, what: string, limit: number): BlockHandle {
  const offset = r.varint(`${what} offset`);
  const size = r.varint(`${what} size`);
  if (offset + size + TRAILER_LENGTH > limit) {
    r.fail(
      `${what} points at bytes ${offset}..${offset + size + TRAILER_LENGTH}, past the ${limit} bytes before the footer (truncated or corrupt); ${REUPLOAD}`,
    );
  }
  return { offset, size };
}

/** One block's contents (handle already bounds-checked) after its trailer's crc and compression are checked. */
export function readBlock(
  bytes: Uint8Array,
  handle: BlockHandle,
  fail: (detail: string) => never,
  what: string,
): Uint8Array {
  const end = handle.offset + handle.size;
  const type = bytes[end];
  const stored = readUint32(bytes, end + 1);
  const actual = maskCrc(crc32c(bytes, handle.offset, end + 1));
  if (stored !== actual) {
    fail(
      `${what} fails its checksum (stored ${hex(stored)}, computed ${hex(actual)}): the file is corrupt; ${REUPLOAD}`,
    );
  }
  const data = bytes.subarray(handle.offset, end);
  if (type === NO_COMPRESSION) return data;
  if (type === SNAPPY_COMPRESSION) return snappyUncompress(data, (detail) => fail(`${what}: ${detail}`));
  return fail(`${what} uses compression type ${type}; only 0 (none) and 1 (Snappy) exist in TensorFlow checkpoints`);
}

/** Entries of one block, keys rebuilt from their shared prefixes; `budget` caps total key bytes. */
export function blockEntries(
  block: Uint8Array,
  fail: (detail: string) => never,
  what: string,
  budget: { keyBytes: number },
): TableEntry[] {
  if (block.length < 4) fail(`${what} is ${block.length} bytes, too short for its restart count`);
  const restarts = readUint32(block, block.length - 4);
  const limit = block.length - 4 - 4 * restarts;
  if (restarts < 1 || limit < 0)
    fail(`${what} declares ${restarts} restart points, impossible in ${block.length} bytes (corrupt block)`);
  const r = new ByteReader(block, (detail) => fail(`${what}: ${detail}`), 0, limit);
  const entries: TableEntry[] = [];
  let key = new Uint8Array(0);
  while (!r.done) {
    const shared = r.varint('shared key length');
    const unshared = r.varint('unshared key length');
    const valueLength = r.varint('value length');
    if (shared > key.length)
      fail(`${what} entry shares ${shared} key bytes but the previous key has ${key.length} (corrupt block)`);
    const suffix = r.take(unshared, 'key');
    const value = r.take(valueLength, 'value');
    budget.keyBytes -= shared + unshared;
    if (budget.keyBytes < 0) fail(`${what} decodes to implausibly many key bytes (corrupt or hostile file)`);
    const next = new Uint8Array(shared + unshared);
    next.set(key.subarray(0, shared));
    next.set(suffix, shared);
    key = next;
    entries.push({ key, value });
  }
  return entries;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
