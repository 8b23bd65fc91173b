/** A growable byte buffer with the varint and fixed-width encodings the table and protos use. */
export class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(initialCapacity = 256) {
    this.buffer = new Uint8Array(initialCapacity);
  }

  /** Unsigned varint of a non-negative safe integer. */
  varint(value: number): this {
    this.ensure(10);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length] = (v % 128) | 0x80;
      this.length += 1;
      v = Math.floor(v / 128);
    }
    this.buffer[this.length] = v;
    this.length += 1;
    return this;
  }

  /** Protobuf int64 varint (negative numbers take 10 bytes, two's complement). */
  varint64(value: bigint): this {
    this.ensure(10);
    let v = BigInt.asUintN(64, value);
    while (v >= 0x80n) {
      this.buffer[this.length] = Number(v & 0x7fn) | 0x80;
      this.length += 1;
      v >>= 7n;
    }
    this.buffer[this.length] = Number(v);
    this.length += 1;
    return this;
  }

  fixed32(value: number): this {
    this.ensure(4);
    const b = this.buffer;
    const at = this.length;
    b[at] = value & 0xff;
    b[at + 1] = (value >>> 8) & 0xff;
    b[at + 2] = (value >>> 16) & 0xff;
    b[at + 3] = (value >>> 24) & 0xff;
    this.length += 4;
    return this;
  }

  bytes(data: Uint8Array): this {
    this.ensure(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
    return this;
  }

  byte(value: number): this {
    this.ensure(1);
    this.buffer[this.length] = value;
    this.length += 1;
    return this;
  }

  /** The bytes written so far (a copy, so the writer can be reused). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** A view of the bytes written so far (valid until the next write). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}
