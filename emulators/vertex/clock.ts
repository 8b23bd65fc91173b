import type { Msg } from './protos';

/** `google.protobuf.Timestamp` object for protobufjs from epoch milliseconds. */
export function timestamp(ms: number): Msg {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** `GenericOperationMetadata` with create/update times. */
export function genericMetadata(createdMs: number, updatedMs = Date.now()): Msg {
  return { createTime: timestamp(createdMs), updateTime: timestamp(updatedMs) };
}

/** A source of numeric ids whose position can be saved and restored (dataDir). */
export interface IdSequence {
  (): string;
  /** The last id handed out (the start value when none was). */
  last(): string;
  /** Continues after `id`, so a restored emulator never hands out an id twice. */
  resumeAfter(id: string): void;
  /** The next calls return `ids` in order (replaying an operation), then the sequence goes on. */
  pin(ids: string[]): void;
}

/** Numeric resource ids like the real ones (19 digits), deterministic per emulator. */
export function idSequence(start: bigint): IdSequence {
  let next = start;
  let pinned: string[] = [];
  const sequence = (): string => {
    const replayed = pinned.shift();
    if (replayed !== undefined) return replayed;
    next += 1n;
    return String(next);
  };
  return Object.assign(sequence, {
    last: () => String(next),
    resumeAfter: (id: string) => {
      next = BigInt(id);
    },
    pin: (ids: string[]) => {
      pinned = [...ids];
    },
  });
}
