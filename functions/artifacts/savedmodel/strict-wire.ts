/**
 * A strict pass over protobuf wire bytes against ferry's TensorFlow schema, refusing what
 * TensorFlow's own C++ parser refuses (and what only corruption produces), before protobufjs
 * builds objects. protobufjs alone is lenient: it reads a known field whatever its wire type,
 * accepts invalid UTF-8 in `string` fields, and has no nesting limit, so a single flipped bit
 * could decode into a different, still "valid" model.
 * Refused here: tags with field number 0 or wire type 3, 4, 6 or 7 (groups do not exist in
 * TensorFlow's proto3 files); a known field with a wire type its type cannot have; varints over
 * 10 bytes; lengths past the end of their message; packed runs that do not divide into values;
 * invalid UTF-8 in `string` fields (proto3 parsers reject it); nesting deeper than 100, the C++
 * parser's recursion limit. Unknown fields with a sound wire type are skipped, as TensorFlow does
 * (a newer exporter may write fields this schema does not know).
 * https://protobuf.dev/programming-guides/encoding/
 */
import * as protobuf from 'protobufjs';

/** google::protobuf::io::CodedInputStream's default recursion limit. */
export const MAX_PROTO_DEPTH = 100;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

const SCALAR_WIRE: Record<string, number> = {
  double: FIXED64,
  float: FIXED32,
  int32: VARINT,
  int64: VARINT,
  uint32: VARINT,
  uint64: VARINT,
  sint32: VARINT,
  sint64: VARINT,
  fixed32: FIXED32,
  fixed64: FIXED64,
  sfixed32: FIXED32,
  sfixed64: FIXED64,
  bool: VARINT,
  string: LENGTH,
  bytes: LENGTH,
};

/** Where the bytes stopped making sense: the field path and the byte offset. */
export class WireError extends Error {
  constructor(
    readonly path: string,
    readonly offset: number,
    detail: string,
  ) {
    super(`${path || 'top level'} at byte ${offset}: ${detail}`);
    this.name = 'WireError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What the walk needs of one field: its wire form, and its message type when it has one. */
interface FieldShape {
  name: string;
  type: string;
  wire: number;
  repeated: boolean;
  message?: (number: number) => FieldShape | undefined;
}

const resolved = new WeakSet<protobuf.Root>();
const shapes = new WeakMap<protobuf.Type, (number: number) => FieldShape | undefined>();

/** A message type's fields by number, built once per type (map fields become `{key = 1; value = 2}` entries). */
function fieldsOf(type: protobuf.Type): (number: number) => FieldShape | undefined {
  let lookup = shapes.get(type);
  if (!lookup) {
    const byNumber = new Map<number, FieldShape>();
    lookup = (number) => byNumber.get(number);
    shapes.set(type, lookup);
    for (const field of type.fieldsArray) {
      const value = shapeOf(field.name, field.type, field.resolvedType, field.repeated);
      if (field instanceof protobuf.MapField) {
        const entry = new Map([
          [1, shapeOf('key', field.keyType, null, false)],
          [2, { ...value, name: 'value' }],
        ]);
        byNumber.set(field.id, {
          name: field.name,
          type: 'map',
          wire: LENGTH,
          repeated: true,
          message: (n) => entry.get(n),
        });
      } else byNumber.set(field.id, value);
    }
  }
  return lookup;
}

function shapeOf(
  name: string,
  type: string,
  resolved: protobuf.ReflectionObject | null,
  repeated: boolean,
): FieldShape {
  if (resolved instanceof protobuf.Type) return { name, type, wire: LENGTH, repeated, message: fieldsOf(resolved) };
  return { name, type, wire: resolved instanceof protobuf.Enum ? VARINT : SCALAR_WIRE[type], repeated };
}

/** Walks `bytes` as a `type` message; throws `WireError` naming the first field that is wrong. */
export function checkWire(type: protobuf.Type, bytes: Uint8Array): void {
  if (!resolved.has(type.root)) {
    type.root.resolveAll();
    resolved.add(type.root);
  }
  walkMessage(fieldsOf(type), bytes, 0, bytes.length, '', 1);
}

function walkMessage(
  fields: (number: number) => FieldShape | undefined,
  bytes: Uint8Array,
  start: number,
  end: number,
  path: string,
  depth: number,
): void {
  if (depth > MAX_PROTO_DEPTH) throw new WireError(path, start, `messages nested deeper than ${MAX_PROTO_DEPTH}`);
  let at = start;
  while (at < end) {
    const tagAt = at;
    const [tag, afterTag] = varint(bytes, at, end, path);
    at = afterTag;
    const number = Math.floor(tag / 8);
    const wire = tag % 8;
    if (number === 0 || number > 0x1fffffff) throw new WireError(path, tagAt, `field number ${number} is invalid`);
    const field = fields(number);
    const where = `${path}${path ? '.' : ''}${field ? field.name : `#${number}`}`;
    if (wire !== VARINT && wire !== FIXED64 && wire !== LENGTH && wire !== FIXED32)
      throw new WireError(where, tagAt, `wire type ${wire} is invalid here (groups and unknown wire types)`);
    if (field && wire !== field.wire && !(field.repeated && wire === LENGTH))
      throw new WireError(where, tagAt, `has wire type ${wire}, but a ${field.type} field has wire type ${field.wire}`);
    if (wire === VARINT) at = varint(bytes, at, end, where)[1];
    else if (wire === FIXED64 || wire === FIXED32) at = skip(at, wire === FIXED64 ? 8 : 4, end, where);
    else {
      const [length, body] = varint(bytes, at, end, where);
      at = skip(body, length, end, where);
      if (field) walkLength(field, bytes, body, at, where, depth);
    }
  }
}

/** A known field's length-delimited payload: a message, a map entry, a string, or packed scalars. */
function walkLength(
  field: FieldShape,
  bytes: Uint8Array,
  start: number,
  end: number,
  where: string,
  depth: number,
): void {
  if (field.message) walkMessage(field.message, bytes, start, end, where, depth + 1);
  else if (field.type === 'string') checkUtf8(bytes, start, end, where);
  else if (field.wire === VARINT) for (let at = start; at < end;) at = varint(bytes, at, end, where)[1];
  else if (field.wire !== LENGTH && (end - start) % (field.wire === FIXED64 ? 8 : 4) !== 0)
    throw new WireError(where, start, `packed ${field.type} values of ${end - start} bytes do not divide into values`);
}

function checkUtf8(bytes: Uint8Array, start: number, end: number, where: string): void {
  let ascii = true;
  for (let i = start; i < end && ascii; i += 1) ascii = bytes[i] < 0x80;
  if (ascii) return;
  try {
    utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new WireError(where, start, 'string is not valid UTF-8 (TensorFlow refuses such a file)');
  }
}

/** Reads a varint (at most 10 bytes); returns [value, next offset]. Values above 2^53 lose precision, which no check here needs. */
function varint(bytes: Uint8Array, at: number, end: number, where: string): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i += 1) {
    if (at + i >= end) throw new WireError(where, at, 'varint runs past the end of its message');
    const byte = bytes[at + i];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at + i + 1];
  }
  throw new WireError(where, at, 'varint longer than 10 bytes');
}

function skip(at: number, length: number, end: number, where: string): number {
  if (length > end - at)
    throw new WireError(where, at, `length ${length} runs past the end of its message (${end - at} bytes left)`);
  return at + length;
}
