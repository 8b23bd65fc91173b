import { badField } from './rpc-error';
import type { Msg } from './protos';

/** JSON-like value carried in `google.protobuf.Value`. */
export type JsonValue = null | number | string | boolean | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 100;
const KINDS = ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'listValue', 'structValue'];

/**
 * Decodes a `google.protobuf.Value` (as protobufjs objects: `{numberValue}`, `{listValue: {values}}`, ...)
 * to plain JSON. Written here rather than using the client's `helpers.fromValue`: the server must
 * not depend on client internals. https://protobuf.dev/reference/protobuf/google.protobuf/#value
 */
export function fromValue(value: Msg | undefined, field: string, depth = 0): JsonValue {
  if (depth > MAX_DEPTH) throw badField(field, `nesting deeper than ${MAX_DEPTH} levels.`);
  if (!value || typeof value !== 'object') throw badField(field, 'value is missing.');
  const kind = value.kind ?? KINDS.find((k) => value[k] !== undefined && value[k] !== null);
  switch (kind) {
    case 'nullValue':
      return null;
    case 'numberValue':
      return value.numberValue as number;
    case 'stringValue':
      return value.stringValue as string;
    case 'boolValue':
      return value.boolValue as boolean;
    case 'listValue':
      return ((value.listValue?.values ?? []) as Msg[]).map((v, i) => fromValue(v, `${field}[${i}]`, depth + 1));
    case 'structValue': {
      const out: { [key: string]: JsonValue } = {};
      for (const [k, v] of Object.entries((value.structValue?.fields ?? {}) as Record<string, Msg>)) {
        out[k] = fromValue(v, `${field}.${k}`, depth + 1);
      }
      return out;
    }
    default:
      throw badField(field, 'value has no kind set (null, number, string, bool, list or struct).');
  }
}

/** Encodes plain JSON (and typed arrays) as a `google.protobuf.Value` object for protobufjs. */
export function toValue(value: unknown, depth = 0): Msg {
  if (depth > MAX_DEPTH) throw new Error(`prediction nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'bigint') return { numberValue: Number(value) };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>);
    return { listValue: { values: items.map((v) => toValue(v, depth + 1)) } };
  }
  if (typeof value === 'object') {
    const fields: Record<string, Msg> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) fields[k] = toValue(v, depth + 1);
    return { structValue: { fields } };
  }
  throw new Error(`cannot encode a ${typeof value} as google.protobuf.Value`);
}
