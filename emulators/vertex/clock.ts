import type { Msg } from './protos';

/** `google.protobuf.Timestamp` object for protobufjs from epoch milliseconds. */
export function timestamp(ms: number): Msg {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

/** `GenericOperationMetadata` with create/update times. */
export function genericMetadata(createdMs: number, updatedMs = Date.now()): Msg {
  return { createTime: timestamp(createdMs), updateTime: timestamp(updatedMs) };
}

/** Numeric resource ids like the real ones (19 digits), deterministic per emulator. */
export function idSequence(start: bigint): () => string {
  let next = start;
  return () => {
    next += 1n;
    return String(next);
  };
}
