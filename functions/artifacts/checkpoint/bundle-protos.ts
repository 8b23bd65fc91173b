import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';

/**
 * `BundleHeaderProto` and `BundleEntryProto`, hand-decoded: ten scalar fields do not justify
 * loading protobufjs at cold start, and a hand decoder can name the field that is broken.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/tensor_bundle.proto
 */
export interface BundleHeader {
  numShards: number;
  /** 0 little-endian, 1 big-endian. */
  endianness: number;
  producer: number;
  minConsumer: number;
  badConsumers: number[];
}

export interface BundleEntry {
  dtype: number;
  shape: number[];
  unknownRank: boolean;
  shardId: number;
  offset: number;
  size: number;
  crc32c: number;
  /** Count of `TensorSliceProto`s: non-zero for TF1 partitioned variables. */
  slices: number;
}

type Fail = (detail: string) => never;

/** Calls `onField` for each field; skips unknown ones by wire type. */
function eachField(
  bytes: Uint8Array,
  fail: Fail,
  what: string,
  onField: (field: number, wire: number, r: ByteReader) => boolean,
): void {
  const r = new ByteReader(bytes, fail);
  while (!r.done) {
    const tag = r.varint(`${what} field tag`);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (onField(field, wire, r)) continue;
    if (wire === 0) r.varint64(`${what} field ${field}`);
    else if (wire === 1) r.take(8, `${what} field ${field}`);
    else if (wire === 2) r.take(r.varint(`${what} field ${field} length`), `${what} field ${field}`);
    else if (wire === 5) r.take(4, `${what} field ${field}`);
    else fail(`${what} has field ${field} with unsupported wire type ${wire} (corrupt protobuf)`);
  }
}

function expectWire(fail: Fail, what: string, wire: number, expected: number): void {
  if (wire !== expected) fail(`${what} has wire type ${wire}, expected ${expected} (corrupt protobuf)`);
}

function int32(r: ByteReader, what: string): number {
  const fast = r.smallVarint();
  if (fast >= 0 && fast < 2 ** 31) return fast;
  return Number(BigInt.asIntN(32, r.varint64(what)));
}

export function decodeBundleHeader(bytes: Uint8Array, fail: Fail): BundleHeader {
  const header: BundleHeader = { numShards: 0, endianness: 0, producer: 0, minConsumer: 0, badConsumers: [] };
  eachField(bytes, fail, 'BundleHeaderProto', (field, wire, r) => {
    if (field === 1) {
      expectWire(fail, 'BundleHeaderProto.num_shards', wire, 0);
      header.numShards = int32(r, 'num_shards');
      return true;
    }
    if (field === 2) {
      expectWire(fail, 'BundleHeaderProto.endianness', wire, 0);
      header.endianness = int32(r, 'endianness');
      return true;
    }
    if (field !== 3) return false;
    expectWire(fail, 'BundleHeaderProto.version', wire, 2);
    const version = r.take(r.varint('version length'), 'BundleHeaderProto.version');
    eachField(version, fail, 'VersionDef', (f, w, v) => {
      if (f === 1 && w === 0) {
        header.producer = int32(v, 'VersionDef.producer');
        return true;
      }
      if (f === 2 && w === 0) {
        header.minConsumer = int32(v, 'VersionDef.min_consumer');
        return true;
      }
      if (f === 3 && w === 0) {
        header.badConsumers.push(int32(v, 'VersionDef.bad_consumers'));
        return true;
      }
      return false;
    });
    return true;
  });
  return header;
}

/** A non-negative int64 that must fit a JS number (sizes, offsets, dimensions). */
function safe(r: ByteReader, what: string, fail: Fail): number {
  const fast = r.smallVarint();
  if (fast >= 0) return fast;
  const value = r.varint64(what);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} is ${value}, outside 0..2^53`);
  return Number(value);
}

function decodeShape(bytes: Uint8Array, fail: Fail, entry: BundleEntry): void {
  eachField(bytes, fail, 'TensorShapeProto', (field, wire, r) => {
    if (field === 3 && wire === 0) {
      entry.unknownRank = r.varint64('unknown_rank') !== 0n;
      return true;
    }
    if (field !== 2) return false;
    expectWire(fail, 'TensorShapeProto.dim', wire, 2);
    const dim = r.take(r.varint('dim length'), 'TensorShapeProto.dim');
    let size = 0;
    eachField(dim, fail, 'TensorShapeProto.Dim', (f, w, d) => {
      if (f !== 1 || w !== 0) return false;
      size = safe(d, 'dimension size', fail);
      return true;
    });
    entry.shape.push(size);
    return true;
  });
}

export function decodeBundleEntry(bytes: Uint8Array, fail: Fail): BundleEntry {
  const entry: BundleEntry = {
    dtype: 0,
    shape: [],
    unknownRank: false,
    shardId: 0,
    offset: 0,
    size: 0,
    crc32c: 0,
    slices: 0,
  };
  eachField(bytes, fail, 'BundleEntryProto', (field, wire, r) => {
    switch (field) {
      case 1:
        expectWire(fail, 'BundleEntryProto.dtype', wire, 0);
        entry.dtype = int32(r, 'dtype');
        return true;
      case 2:
        expectWire(fail, 'BundleEntryProto.shape', wire, 2);
        decodeShape(r.take(r.varint('shape length'), 'shape'), fail, entry);
        return true;
      case 3:
        expectWire(fail, 'BundleEntryProto.shard_id', wire, 0);
        entry.shardId = int32(r, 'shard_id');
        return true;
      case 4:
        expectWire(fail, 'BundleEntryProto.offset', wire, 0);
        entry.offset = safe(r, 'offset', fail);
        return true;
      case 5:
        expectWire(fail, 'BundleEntryProto.size', wire, 0);
        entry.size = safe(r, 'size', fail);
        return true;
      case 6:
        expectWire(fail, 'BundleEntryProto.crc32c', wire, 5);
        entry.crc32c = r.fixed32('crc32c');
        return true;
      case 7:
        expectWire(fail, 'BundleEntryProto.slices', wire, 2);
        r.take(r.varint('slice length'), 'slice');
        entry.slices += 1;
        return true;
      default:
        return false;
    }
  });
  return entry;
}

/** Serialized as TensorFlow writes it: proto3, default values omitted, fields in number order. */
export function encodeBundleHeader(numShards: number, producer = 1): Uint8Array {
  const w = new ByteWriter(16);
  if (numShards !== 0) w.varint(8).varint(numShards);
  const version = new ByteWriter(8);
  if (producer !== 0) version.varint(8).varint(producer);
  return w.varint(26).varint(version.length).bytes(version.view()).finish();
}

export function encodeBundleEntry(
  entry: Pick<BundleEntry, 'dtype' | 'shape' | 'shardId' | 'offset' | 'size' | 'crc32c'>,
): Uint8Array {
  const shape = new ByteWriter(16);
  for (const size of entry.shape) {
    const dim = new ByteWriter(12);
    if (size !== 0) dim.varint(8).varint(size);
    shape.varint(18).varint(dim.length).bytes(dim.view());
  }
  const w = new ByteWriter(32);
  if (entry.dtype !== 0) w.varint(8).varint(entry.dtype);
  w.varint(18).varint(shape.length).bytes(shape.view());
  if (entry.shardId !== 0) w.varint(24).varint(entry.shardId);
  if (entry.offset !== 0) w.varint(32).varint(entry.offset);
  if (entry.size !== 0) w.varint(40).varint(entry.size);
  if (entry.crc32c !== 0) w.varint(53).fixed32(entry.crc32c);
  return w.finish();
}
