/**
 * Bounds-checked reads over a byte range for the table and proto decoders. Every read names
 * what it was reading, so a truncated or corrupt file yields a message instead of garbage.
 */
export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    /** Throws the caller's error (naming the file) with `detail`. */
    readonly fail: (detail: string) => never,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint up to 2^53 - 1 (offsets, sizes, lengths). */
  varint(what: string): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i += 1) {
      if (this.pos >= this.end) this.fail(`${what} is cut off (file truncated?)`);
      const byte = this.bytes[this.pos];
      this.pos += 1;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) this.fail(`${what} is ${result}, larger than any real file`);
        return result;
      }
      scale *= 128;
    }
    return this.fail(`${what} is not a valid varint (more than 10 bytes)`);
  }

  /**
   * Fast path for protobuf integers: a varint of at most 7 bytes (always a safe integer), or -1
   * with the position unchanged when it is longer or cut off (callers then take the bigint path).
   */
  smallVarint(): number {
    let result = 0;
    let scale = 1;
    for (let at = this.pos; at < this.end && at < this.pos + 7; at += 1) {
      const byte = this.bytes[at];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = at + 1;
        return result;
      }
      scale *= 128;
    }
    return -1;
  }

  /** A full 64-bit varint as a signed bigint (protobuf int64). */
  varint64(what: string): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) this.fail(`${what} is cut off (file truncated?)`);
      const byte = this.bytes[this.pos];
      this.pos += 1;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
    }
    return this.fail(`${what} is not a valid varint (more than 10 bytes)`);
  }

  fixed32(what: string): number {
    const at = this.need(4, what);
    const b = this.bytes;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }

  /** `length` bytes as a view (no copy). */
  take(length: number, what: string): Uint8Array {
    const at = this.need(length, what);
    return this.bytes.subarray(at, at + length);
  }

  private need(length: number, what: string): number {
    if (length > this.end - this.pos) {
      this.fail(
        `${what} needs ${length} bytes at offset ${this.pos} but only ${Math.max(0, this.end - this.pos)} remain (file truncated?)`,
      );
    }
    const at = this.pos;
    this.pos += length;
    return at;
  }
}

/** Reads a little-endian uint32 at `at` (caller has checked bounds). */
export function readUint32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}
