import fc from 'fast-check';

/** One way an upload gets damaged: cut short, a flipped bit, or a length field turned huge. */
export type Mutation =
  { kind: 'truncate'; at: number } | { kind: 'flip'; bit: number } | { kind: 'huge'; at: number; bytes: number[] };

/** Little-endian 0x7fffffff / 0xffffffff (flatbuffer offsets and lengths, table block handles) and a 5-byte varint of 2^32-1 (protobuf lengths). */
const HUGE = [
  [0xff, 0xff, 0xff, 0x7f],
  [0xff, 0xff, 0xff, 0xff],
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0x80, 0x80, 0x80, 0x80, 0x08],
];

/** Mutations of a file of `size` bytes, as fast-check values (shrinkable, replayable from the printed seed). */
export function mutation(size: number): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, size - 1) }).map((at): Mutation => ({ kind: 'truncate', at })),
    fc.integer({ min: 0, max: size * 8 - 1 }).map((bit): Mutation => ({ kind: 'flip', bit })),
    fc
      .record({ at: fc.integer({ min: 0, max: Math.max(0, size - 5) }), bytes: fc.constantFrom(...HUGE) })
      .map((m): Mutation => ({ kind: 'huge', ...m })),
  );
}

export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === 'truncate') return bytes.slice(0, m.at);
  const copy = bytes.slice();
  if (m.kind === 'flip') copy[m.bit >> 3] ^= 1 << (m.bit & 7);
  else copy.set(m.bytes.slice(0, copy.length - m.at), m.at);
  return copy;
}

/** Bytes held in ArrayBuffers right now: a reader that allocates what a hostile header declares shows up here. */
export function arrayBufferBytes(): number {
  return process.memoryUsage().arrayBuffers;
}

/** Runs `fn`, failing if it takes longer than `ms` (a hang on hostile input is a bug too). */
export async function within<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
