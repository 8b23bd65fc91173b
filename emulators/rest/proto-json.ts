import { status } from '@grpc/grpc-js';
import { Enum, Field, MapField, Type } from 'protobufjs';
import { RpcError } from '../rpc-error';

/**
 * proto3 JSON (what the REST surfaces speak) to and from the object form the gRPC handlers use
 * (`longs: String, enums: String`, lowerCamelCase keys): bytes as base64 ⇄ Buffer, int64 as
 * strings, enums by name, and the JSON forms of the well-known types (Duration `"600s"`,
 * Timestamp RFC 3339, FieldMask `"a,bC"`, Value/Struct/ListValue as plain JSON, wrappers as their
 * value, Any as `{"@type": ..., fields}`). Works on protos loaded with or without `keepCase`.
 * Reading accepts the proto field name too and rejects unknown fields, as Google's front end does;
 * errors name the field by its proto name (`messages[0].data`).
 * @see https://protobuf.dev/programming-guides/json/
 */

type Obj = Record<string, unknown>;

const invalidArgument = (message: string): RpcError => new RpcError(status.INVALID_ARGUMENT, message);

export const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const INT32 = new Set(['int32', 'sint32', 'sfixed32', 'uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);
const DURATION = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;
const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(
    (w) => `.google.protobuf.${w}Value`,
  ),
);
const VALUE_KINDS = ['nullValue', 'numberValue', 'stringValue', 'boolValue', 'structValue', 'listValue'];
/** Deeper JSON than this is refused rather than recursed into. */
const MAX_DEPTH = 100;

/** The field of `type` a JSON key names: its lowerCamelCase JSON name or its proto name. */
function fieldOf(type: Type, key: string): Field | undefined {
  return type.fields[key] ?? type.fieldsArray.find((f) => camel(f.name) === camel(key));
}

function badValue(path: string, field: Field, value: unknown): Error {
  const kind =
    field.resolvedType instanceof Type
      ? 'TYPE_MESSAGE'
      : field.resolvedType instanceof Enum
        ? 'TYPE_ENUM'
        : `TYPE_${field.type.toUpperCase()}`;
  return invalidArgument(`Invalid value at '${path}' (${kind}), ${JSON.stringify(value)}`);
}

function scalarFromJson(field: Field, value: unknown, path: string): unknown {
  const t = field.type;
  if (field.resolvedType instanceof Enum) {
    const e = field.resolvedType;
    if (typeof value === 'string' && value in e.values) return value;
    if (typeof value === 'number' && e.valuesById[value] !== undefined) return e.valuesById[value];
    throw badValue(path, field, value);
  }
  if (field.resolvedType instanceof Type) return messageFromJson(field.resolvedType, value, path);
  if (t === 'string') {
    if (typeof value !== 'string') throw badValue(path, field, value);
    return value;
  }
  if (t === 'bool') {
    if (typeof value !== 'boolean') throw badValue(path, field, value);
    return value;
  }
  if (t === 'bytes') {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) throw badValue(path, field, value);
    return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
  }
  if (INT32.has(t) || INT64.has(t)) {
    const n = typeof value === 'number' || (typeof value === 'string' && /^-?\d+$/.test(value)) ? Number(value) : NaN;
    const unsigned = t.startsWith('u') || t.startsWith('fixed');
    const limit = INT32.has(t) ? 2 ** 31 : 2 ** 63;
    if (!Number.isInteger(n) || n >= (unsigned ? 2 * limit : limit) || n < (unsigned ? 0 : -limit)) {
      throw badValue(path, field, value);
    }
    return INT64.has(t) ? String(value) : n;
  }
  if (t === 'double' || t === 'float') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || Number.isNaN(n)) throw badValue(path, field, value);
    return n;
  }
  throw badValue(path, field, value);
}

/** A `google.protobuf.Value` object (`{numberValue: 1}`, ...) from plain JSON. */
function valueFromJson(value: unknown, path: string, depth = 0): Obj {
  if (depth > MAX_DEPTH) throw invalidArgument(`Invalid value at '${path}': nested deeper than ${MAX_DEPTH} levels.`);
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: listFromJson(value, path, depth) };
  if (typeof value === 'object') return { structValue: structFromJson(value as Obj, path, depth) };
  throw invalidArgument(`Invalid value at '${path}' (type.googleapis.com/google.protobuf.Value), ${String(value)}`);
}

function listFromJson(value: unknown[], path: string, depth: number): Obj {
  return { values: value.map((v, i) => valueFromJson(v, `${path}[${i}]`, depth + 1)) };
}

function structFromJson(value: Obj, path: string, depth: number): Obj {
  return {
    fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, valueFromJson(v, `${path}.${k}`, depth + 1)])),
  };
}

/** `{"@type": "type.googleapis.com/x.Y", ...}` packed as the `{type_url, value}` protobufjs encodes. */
function anyFromJson(type: Type, value: unknown, path: string): Obj {
  const url = (value as Obj | null)?.['@type'];
  if (typeof value !== 'object' || value === null || typeof url !== 'string') {
    throw invalidArgument(`Invalid value at '${path}' (type.googleapis.com/google.protobuf.Any): "@type" is required.`);
  }
  let inner: Type;
  try {
    inner = type.root.lookupType(url.slice(url.lastIndexOf('/') + 1));
  } catch {
    throw invalidArgument(`Invalid value at '${path}': unknown "@type" ${JSON.stringify(url)}.`);
  }
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== '@type'));
  const special = isSpecial(inner) && inner.fullName !== '.google.protobuf.Empty';
  const obj = messageFromJson(inner, special ? rest.value : rest, path);
  return { type_url: url, value: inner.encode(inner.fromObject(obj)).finish() };
}

const isSpecial = (type: Type): boolean =>
  WRAPPERS.has(type.fullName) ||
  [
    '.google.protobuf.Duration',
    '.google.protobuf.Timestamp',
    '.google.protobuf.FieldMask',
    '.google.protobuf.Value',
    '.google.protobuf.Struct',
    '.google.protobuf.ListValue',
    '.google.protobuf.Any',
    '.google.protobuf.Empty',
  ].includes(type.fullName);

function wellKnownFromJson(type: Type, value: unknown, path: string): Obj | undefined {
  const bad = (what: string): Error =>
    invalidArgument(`Invalid value at '${path}' (${what}), ${JSON.stringify(value)}`);
  if (WRAPPERS.has(type.fullName)) return { value: scalarFromJson(type.fields.value, value, path) };
  switch (type.fullName) {
    case '.google.protobuf.Duration': {
      const m = typeof value === 'string' ? DURATION.exec(value) : null;
      if (!m) throw bad('type.googleapis.com/google.protobuf.Duration');
      const sign = m[1] === '-' ? -1 : 1;
      return { seconds: String(sign * Number(m[2])), nanos: sign * Number((m[3] ?? '').padEnd(9, '0')) };
    }
    case '.google.protobuf.Timestamp': {
      const m = typeof value === 'string' ? /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(value) : null;
      const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
      if (!m || Number.isNaN(ms)) throw bad('type.googleapis.com/google.protobuf.Timestamp');
      return { seconds: String(ms / 1000), nanos: Number((m[2] ?? '').padEnd(9, '0')) };
    }
    case '.google.protobuf.FieldMask':
      if (typeof value !== 'string') throw bad('type.googleapis.com/google.protobuf.FieldMask');
      return { paths: value === '' ? [] : value.split(',').map(snake) };
    case '.google.protobuf.Value':
      return valueFromJson(value, path);
    case '.google.protobuf.ListValue':
      if (!Array.isArray(value)) throw bad('type.googleapis.com/google.protobuf.ListValue');
      return listFromJson(value, path, 0);
    case '.google.protobuf.Struct':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw bad('type.googleapis.com/google.protobuf.Struct');
      return structFromJson(value as Obj, path, 0);
    case '.google.protobuf.Any':
      return anyFromJson(type, value, path);
    default:
      return undefined;
  }
}

/** Reads a proto3 JSON value of message `type`; `path` names it in errors (`messages[0].data`). */
export function messageFromJson(type: Type, value: unknown, path = ''): Obj {
  const wkt = wellKnownFromJson(type, value, path);
  if (wkt) return wkt;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidArgument(
      `Invalid JSON payload received. Expected an object${path ? ` at '${path}'` : ''}, got ${JSON.stringify(value)}.`,
    );
  }
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) {
    const field = fieldOf(type, key);
    if (!field) {
      throw invalidArgument(
        `Invalid JSON payload received. Unknown name "${key}"${path ? ` at '${path}'` : ''}: Cannot find field.`,
      );
    }
    const at = path ? `${path}.${snake(field.name)}` : snake(field.name);
    if (v === null) {
      // JSON null is a value only for google.protobuf.Value; elsewhere it means "not set".
      if (field.resolvedType instanceof Type && field.resolvedType.fullName === '.google.protobuf.Value')
        out[camel(field.name)] = { nullValue: 'NULL_VALUE' };
      continue;
    }
    if (field instanceof MapField) {
      if (typeof v !== 'object' || Array.isArray(v)) throw badValue(at, field, v);
      out[camel(field.name)] = Object.fromEntries(
        Object.entries(v as Obj).map(([k, item]) => [k, scalarFromJson(field, item, `${at}[${k}]`)]),
      );
    } else if (field.repeated) {
      if (!Array.isArray(v)) throw badValue(at, field, v);
      out[camel(field.name)] = v.map((item, i) => scalarFromJson(field, item, `${at}[${i}]`));
    } else {
      out[camel(field.name)] = scalarFromJson(field, v, at);
    }
  }
  return out;
}

function durationToJson(d: Obj): string {
  const seconds = Number(d.seconds ?? 0);
  const nanos = Number(d.nanos ?? 0);
  if (nanos === 0) return `${seconds}s`;
  const sign = seconds < 0 || nanos < 0 ? '-' : '';
  const frac = String(Math.abs(nanos))
    .padStart(9, '0')
    .replace(/(000)+$/, '');
  return `${sign}${Math.abs(seconds)}.${frac}s`;
}

function timestampToJson(t: Obj): string {
  const seconds = Number(t.seconds ?? 0);
  const nanos = Number(t.nanos ?? 0);
  const iso = new Date(seconds * 1000).toISOString().replace('.000Z', '');
  if (nanos === 0) return `${iso}Z`;
  return `${iso}.${String(nanos)
    .padStart(9, '0')
    .replace(/(000)+$/, '')}Z`;
}

/** Plain JSON from a `google.protobuf.Value` object (`{numberValue: 1}` or with protobufjs's `kind`). */
function valueToJson(v: Obj | undefined): unknown {
  const kind = (v?.kind as string | undefined) ?? VALUE_KINDS.find((k) => v?.[k] !== undefined && v?.[k] !== null);
  switch (kind) {
    case 'numberValue': {
      const n = v?.numberValue as number;
      return Number.isFinite(n) ? n : String(n); // NaN and ±Infinity are strings in proto3 JSON
    }
    case 'stringValue':
      return v?.stringValue;
    case 'boolValue':
      return v?.boolValue;
    case 'structValue':
      return structToJson(v?.structValue as Obj | undefined);
    case 'listValue':
      return listToJson(v?.listValue as Obj | undefined);
    default:
      return null;
  }
}

const structToJson = (s: Obj | undefined): Obj =>
  Object.fromEntries(Object.entries((s?.fields ?? {}) as Record<string, Obj>).map(([k, x]) => [k, valueToJson(x)]));

const listToJson = (l: Obj | undefined): unknown[] => ((l?.values ?? []) as Obj[]).map((x) => valueToJson(x));

/** `{"@type": url, ...}`: the packed message decoded by its type URL, as the REST front end writes it. */
function anyToJson(type: Type, v: Obj): Obj {
  const url = (v.type_url ?? v.typeUrl) as string | undefined;
  if (!url) return {};
  const inner = type.root.lookupType(url.slice(url.lastIndexOf('/') + 1));
  const decoded = inner.toObject(inner.decode((v.value as Uint8Array | undefined) ?? new Uint8Array()), {
    longs: String,
    enums: String,
  });
  const json = messageToJson(inner, decoded);
  return isSpecial(inner) && inner.fullName !== '.google.protobuf.Empty'
    ? { '@type': url, value: json }
    : { '@type': url, ...(json as Obj) };
}

function fieldValueToJson(field: Field, v: unknown): unknown {
  if (field.resolvedType instanceof Enum) {
    return typeof v === 'number' ? field.resolvedType.valuesById[v] : v;
  }
  if (field.resolvedType instanceof Type) return messageToJson(field.resolvedType, v as Obj);
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (INT64.has(field.type)) return String(v);
  if ((field.type === 'double' || field.type === 'float') && !Number.isFinite(v)) return String(v);
  return v;
}

function isDefault(field: Field, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (field instanceof MapField) return Object.keys(v as Obj).length === 0;
  if (field.repeated) return (v as unknown[]).length === 0;
  if (field.resolvedType instanceof Type) return false;
  if (field.resolvedType instanceof Enum) return v === 0 || field.resolvedType.values[v as string] === 0;
  if (field.type === 'bytes') return (v as Uint8Array).length === 0;
  return v === '' || v === false || v === 0 || v === '0';
}

/** Writes a handler's result of message `type` as proto3 JSON, default values omitted. */
export function messageToJson(type: Type, value: Obj | undefined): unknown {
  const v = value ?? {};
  if (WRAPPERS.has(type.fullName)) return fieldValueToJson(type.fields.value, v.value ?? type.fields.value.typeDefault);
  switch (type.fullName) {
    case '.google.protobuf.Duration':
      return durationToJson(v);
    case '.google.protobuf.Timestamp':
      return timestampToJson(v);
    case '.google.protobuf.FieldMask':
      return ((v.paths as string[] | undefined) ?? []).map(camel).join(',');
    case '.google.protobuf.Value':
      return valueToJson(v);
    case '.google.protobuf.Struct':
      return structToJson(v);
    case '.google.protobuf.ListValue':
      return listToJson(v);
    case '.google.protobuf.Any':
      return anyToJson(type, v);
  }
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    const key = camel(field.name);
    const item = v[key] ?? v[field.name];
    if (isDefault(field, item)) continue;
    if (field instanceof MapField) {
      out[key] = Object.fromEntries(Object.entries(item as Obj).map(([k, x]) => [k, fieldValueToJson(field, x)]));
    } else if (field.repeated) {
      out[key] = (item as unknown[]).map((x) => fieldValueToJson(field, x));
    } else {
      out[key] = fieldValueToJson(field, item);
    }
  }
  return out;
}
