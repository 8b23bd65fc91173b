import { ByteBuffer } from 'flatbuffers';
import { TfliteError } from './tflite-error';

/** A table located and checked: its vtable lies inside the buffer and so does its inline data. */
export interface CheckedTable {
  readonly pos: number;
  /** Where error messages say this table is, e.g. `subgraphs[0].tensors[3]`. */
  readonly path: string;
  readonly vtable: number;
  readonly vtableSize: number;
  readonly inlineSize: number;
}

/** A vector whose declared length fits in the bytes that follow it. */
export interface CheckedVector {
  readonly start: number;
  readonly length: number;
  readonly path: string;
}

const CORRUPT = 'the file is damaged or is not a TFLite model';

/**
 * Bounds-checked access to a FlatBuffer over the `flatbuffers` ByteBuffer. The library's own
 * accessors trust every offset (a hostile file gives RangeErrors, garbage or huge allocations),
 * so each offset, vtable and vector length is checked against the buffer before it is used, and
 * a step budget proportional to the file size stops files whose vectors alias each other from
 * making the walk quadratic. https://flatbuffers.dev/internals/
 */
export class CheckedReader {
  readonly bb: ByteBuffer;
  readonly size: number;
  private steps: number;

  constructor(
    bytes: Uint8Array,
    readonly file: string,
  ) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.byteLength;
    this.steps = 4 * this.size + 65_536;
  }

  fail(path: string, problem: string): never {
    throw new TfliteError(
      this.file,
      `${path}: ${problem}`,
      `${CORRUPT}; re-export it with the TFLite converter (tf.lite.TFLiteConverter) and upload it again`,
    );
  }

  /** Charges `n` units of work; legitimate files visit each byte a few times at most. */
  charge(n: number, path: string): void {
    this.steps -= n;
    if (this.steps < 0)
      this.fail(path, 'the file references the same data over and over (far more work than its size allows)');
  }

  private need(pos: number, bytes: number, path: string, what: string): void {
    if (!Number.isInteger(pos) || pos < 0 || pos + bytes > this.size) {
      this.fail(path, `${what} at byte ${pos} lies outside the file (${this.size} bytes; truncated?)`);
    }
  }

  /** The table whose uoffset is stored at `refPos`. */
  tableAt(refPos: number, path: string): CheckedTable {
    this.need(refPos, 4, path, 'offset');
    return this.tableHere(refPos + this.bb.readUint32(refPos), path);
  }

  tableHere(pos: number, path: string): CheckedTable {
    this.charge(1, path);
    this.need(pos, 4, path, 'table');
    const vtable = pos - this.bb.readInt32(pos);
    this.need(vtable, 4, path, 'vtable');
    const vtableSize = this.bb.readUint16(vtable);
    const inlineSize = this.bb.readUint16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(path, `vtable size ${vtableSize} is invalid`);
    this.need(vtable, vtableSize, path, 'vtable');
    if (inlineSize < 4) this.fail(path, `table size ${inlineSize} is invalid`);
    this.need(pos, inlineSize, path, 'table data');
    return { pos, path, vtable, vtableSize, inlineSize };
  }

  /** Absolute position of field `id` (checked to hold `width` bytes inside the table), or 0 when absent. */
  field(t: CheckedTable, id: number, width: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > t.vtableSize) return 0;
    const offset = this.bb.readUint16(t.vtable + slot);
    if (offset === 0) return 0;
    if (offset + width > t.inlineSize) this.fail(t.path, `field ${id} (offset ${offset}) overruns its table`);
    return t.pos + offset;
  }

  uint8(t: CheckedTable, id: number, fallback: number): number {
    const p = this.field(t, id, 1);
    return p ? this.bb.readUint8(p) : fallback;
  }

  int8(t: CheckedTable, id: number, fallback: number): number {
    const p = this.field(t, id, 1);
    return p ? this.bb.readInt8(p) : fallback;
  }

  int32(t: CheckedTable, id: number, fallback: number): number {
    const p = this.field(t, id, 4);
    return p ? this.bb.readInt32(p) : fallback;
  }

  uint32(t: CheckedTable, id: number, fallback: number): number {
    const p = this.field(t, id, 4);
    return p ? this.bb.readUint32(p) : fallback;
  }

  /** A ulong field as a number; values past 2^53 cannot be file positions, so they fail. */
  uint64(t: CheckedTable, id: number, path: string): number {
    const p = this.field(t, id, 8);
    if (!p) return 0;
    const value = this.bb.readUint64(p);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(path, `value ${value} is impossibly large`);
    return Number(value);
  }

  /** Sub-table field, or null when absent. */
  table(t: CheckedTable, id: number, path: string): CheckedTable | null {
    const p = this.field(t, id, 4);
    return p ? this.tableAt(p, path) : null;
  }

  /** Vector field of `elemSize`-byte elements, or null when absent. */
  vector(t: CheckedTable, id: number, elemSize: number, path: string): CheckedVector | null {
    const p = this.field(t, id, 4);
    if (!p) return null;
    const at = p + this.bb.readUint32(p);
    this.need(at, 4, path, 'vector');
    const length = this.bb.readUint32(at);
    const room = this.size - at - 4;
    if (length * elemSize > room) {
      this.fail(path, `declares ${length} entries of ${elemSize} bytes but only ${room} bytes remain in the file`);
    }
    this.charge(length, path);
    return { start: at + 4, length, path };
  }

  /** The table at index `i` of a vector of tables. */
  tableIn(v: CheckedVector, i: number): CheckedTable {
    return this.tableAt(v.start + 4 * i, `${v.path}[${i}]`);
  }

  int32s(v: CheckedVector | null): number[] {
    if (!v) return [];
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i += 1) out[i] = this.bb.readInt32(v.start + 4 * i);
    return out;
  }

  float32s(v: CheckedVector | null): number[] {
    if (!v) return [];
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i += 1) out[i] = this.bb.readFloat32(v.start + 4 * i);
    return out;
  }

  /** int64 values as numbers (zero points and such are small; larger ones lose precision, not correctness of the read). */
  int64s(v: CheckedVector | null): number[] {
    if (!v) return [];
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i += 1) out[i] = Number(this.bb.readInt64(v.start + 8 * i));
    return out;
  }

  bytes(v: CheckedVector): Uint8Array {
    return this.bb.bytes().subarray(v.start, v.start + v.length);
  }

  /** String field (UTF-8, invalid sequences replaced), or null when absent. */
  string(t: CheckedTable, id: number, path: string): string | null {
    const v = this.vector(t, id, 1, path);
    return v ? decoder.decode(this.bytes(v)) : null;
  }
}

const decoder = new TextDecoder('utf-8');
