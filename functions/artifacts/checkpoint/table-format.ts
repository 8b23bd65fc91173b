/**
 * Constants of the LevelDB table format that TensorFlow's `tensorflow/core/lib/io/table*` uses
 * for `variables.index`. https://github.com/google/leveldb/blob/main/doc/table_format.md
 */
export const FOOTER_LENGTH = 48;
/** Two varint64 block handles take at most 20 bytes each. */
export const HANDLES_LENGTH = 40;
export const MAGIC_LOW = 0x8b80fb57;
export const MAGIC_HIGH = 0xdb477524;
/** Compression type byte plus masked crc32c. */
export const TRAILER_LENGTH = 5;
export const NO_COMPRESSION = 0;
export const SNAPPY_COMPRESSION = 1;
export const DATA_RESTART_INTERVAL = 16;

export interface BlockHandle {
  offset: number;
  size: number;
}

export interface TableEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/** Bytewise order, as the table's default comparator. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
