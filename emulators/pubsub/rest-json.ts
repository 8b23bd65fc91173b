import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Enum, Field, MapField, Root, Type } from 'protobufjs';
import { pubsubProtoDirs } from './proto';
import { invalidArgument } from './rpc-error';

/**
 * proto3 JSON (what the REST surface speaks) to and from the object form the gRPC handlers use
 * (`@grpc/proto-loader` with `keepCase: false, longs: String, enums: String`): lowerCamelCase
 * keys, bytes as base64 ⇄ Buffer, int64 as strings, enums by name, and the JSON forms of the
 * well-known types (Duration `"600s"`, Timestamp RFC 3339, FieldMask `"a,bC"`).
 * Reading accepts the proto field name too and rejects unknown fields, as Google's front end does.
 * @see https://protobuf.dev/programming-guides/json/
 */

type Obj = Record<string, unknown>;

let root: Root | undefined;

/** The google.pubsub.v1 protos, the same files the gRPC server loads, field names as written. */
export function pubsubType(name: string): Type {
  if (!root) {
    const dirs = pubsubProtoDirs();
    root = new Root();
    root.resolvePath = (_origin, target) => dirs.map((d) => join(d, target)).find((p) => existsSync(p)) ?? target;
    root.loadSync('google/pubsub/v1/pubsub.proto', { keepCase: true });
    root.resolveAll();
  }
  return root.lookupType(name);
}

export const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const INT32 = new Set(['int32', 'sint32', 'sfixed32', 'uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64', 'uint64', 'fixed64']);
const DURATION = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/;

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

function wellKnownFromJson(type: Type, value: unknown, path: string): Obj | undefined {
  const bad = (what: string): Error =>
    invalidArgument(`Invalid value at '${path}' (${what}), ${JSON.stringify(value)}`);
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
    const field = type.fields[key] ?? type.fieldsArray.find((f) => camel(f.name) === key);
    if (!field) {
      throw invalidArgument(
        `Invalid JSON payload received. Unknown name "${key}"${path ? ` at '${path}'` : ''}: Cannot find field.`,
      );
    }
    if (v === null) continue;
    const at = path ? `${path}.${field.name}` : field.name;
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

function valueToJson(field: Field, v: unknown): unknown {
  if (field.resolvedType instanceof Enum) {
    return typeof v === 'number' ? field.resolvedType.valuesById[v] : v;
  }
  if (field.resolvedType instanceof Type) return messageToJson(field.resolvedType, v as Obj);
  if (field.type === 'bytes') return Buffer.from(v as Uint8Array).toString('base64');
  if (INT64.has(field.type)) return String(v);
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
  switch (type.fullName) {
    case '.google.protobuf.Duration':
      return durationToJson(v);
    case '.google.protobuf.Timestamp':
      return timestampToJson(v);
    case '.google.protobuf.FieldMask':
      return ((v.paths as string[] | undefined) ?? []).map(camel).join(',');
  }
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    const key = camel(field.name);
    const item = v[key] ?? v[field.name];
    if (isDefault(field, item)) continue;
    if (field instanceof MapField) {
      out[key] = Object.fromEntries(Object.entries(item as Obj).map(([k, x]) => [k, valueToJson(field, x)]));
    } else if (field.repeated) {
      out[key] = (item as unknown[]).map((x) => valueToJson(field, x));
    } else {
      out[key] = valueToJson(field, item);
    }
  }
  return out;
}
