/**
 * TensorFlow's SavedModel protobuf schema, decoded and encoded with protobufjs (reflection build).
 * The schema is a JSON descriptor (`Root.fromJSON`), built lazily on first use: no .proto text is
 * parsed at cold start, and the decoders protobufjs generates are made once per message type.
 * Format: https://www.tensorflow.org/guide/saved_model and
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/saved_model.proto
 */
import * as protobuf from 'protobufjs';
import { SavedModelError } from './saved-model-error';
import { parseTextFormat, TextFormatError } from './text-format';
import { FRAMEWORK_TYPES } from './tf-proto-framework';
import { GOOGLE_PROTOBUF_TYPES, PROTOBUF_TYPES, VIEW_TYPES } from './tf-proto-protobuf';
import type { SavedModel, SavedModelView, TrackableObjectGraph } from './tf-proto-types';

export * from './tf-proto-types';
export { DATA_TYPES } from './tf-proto-json';

/**
 * `toObject` options every decode uses, chosen so a decoded GraphDef can feed tfjs-converter:
 * - `longs: Number` — int64 fields (dims, attr `i`, `int64Val`) become numbers; tfjs accepts
 *   numbers and values beyond 2^53 do not occur in shapes or attrs.
 * - `enums: String` — `dtype: 'DT_FLOAT'`, as tfjs' `parseDtypeParam` and TF's JSON take them.
 * - bytes left as `Uint8Array` views into the input (zero copy; weights in `tensorContent` stay
 *   cheap). Not base64, which would cost a copy and 4/3 the memory for every constant.
 * - `defaults: false` — unset proto3 scalars are absent (read as 0/''/false); keeps big graphs small.
 * - `arrays: true`, `objects: true` — repeated fields and maps are always present (`[]`, `{}`).
 */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
  objects: true,
};

let root: protobuf.Root | undefined;

/** The schema root (`tensorflow.*`, `google.protobuf.Any`/`BoolValue`); built on first call. */
export function tfProtoRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON({
    nested: {
      tensorflow: { nested: { ...FRAMEWORK_TYPES, ...PROTOBUF_TYPES } },
      google: { nested: { protobuf: { nested: GOOGLE_PROTOBUF_TYPES } } },
      ferry: { nested: VIEW_TYPES },
    },
  });
  return root;
}

/** A message type by its name inside the `tensorflow` package (e.g. `GraphDef`), or a full `ferry.` name. */
export function tfType(name: string): protobuf.Type {
  return tfProtoRoot().lookupType(name.startsWith('ferry.') ? name : `tensorflow.${name}`);
}

/**
 * Decodes any TensorFlow message to a plain object. protobufjs errors (truncation, bad wire type,
 * stack overflow on absurd nesting) are rewritten as a `SavedModelError` naming `file`.
 */
export function decodeMessage<T>(typeName: string, bytes: Uint8Array, file: string): T {
  const type = tfType(typeName);
  try {
    return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS) as T;
  } catch (error) {
    throw new SavedModelError(file, `is not a valid ${shownName(typeName)} protobuf (${describe(error)})`);
  }
}

/**
 * Text-format bytes (`saved_model.pbtxt`) → the same plain object `decodeMessage` gives for the
 * binary form. Syntax errors and out-of-range values become a `SavedModelError` with the line.
 */
export function decodeTextMessage<T>(typeName: string, bytes: Uint8Array, file: string): T {
  const type = tfType(typeName);
  try {
    const parsed = parseTextFormat(new TextDecoder().decode(bytes), type);
    return type.toObject(type.fromObject(parsed), TO_OBJECT_OPTIONS) as T;
  } catch (error) {
    throw new SavedModelError(
      file,
      `is not a valid ${shownName(typeName)} in protobuf text format (${describe(error)})`,
    );
  }
}

/** True when the bytes start like protobuf text format (a field name or comment), not binary. */
export function looksLikeTextFormat(bytes: Uint8Array): boolean {
  for (const byte of bytes.subarray(0, 64)) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || byte === 0x23;
  }
  return false;
}

/** `saved_model.pb` bytes → the whole SavedModel message (see `TO_OBJECT_OPTIONS`). */
export function decodeSavedModel(bytes: Uint8Array, file = 'saved_model.pb'): SavedModel {
  return decodeMessage<SavedModel>('SavedModel', bytes, file);
}

/** `saved_model.pbtxt` bytes → the whole SavedModel message, same shape as `decodeSavedModel`. */
export function decodeSavedModelText(bytes: Uint8Array, file = 'saved_model.pbtxt'): SavedModel {
  return decodeTextMessage<SavedModel>('SavedModel', bytes, file);
}

/**
 * A SavedModel plain object (same shape `decodeSavedModel` returns; enum names or numbers, bytes as
 * `Uint8Array`) → `saved_model.pb` bytes. Deterministic: fields in number order, maps in insertion order.
 */
export function encodeSavedModel(message: SavedModel): Uint8Array {
  const type = tfType('SavedModel');
  return type.encode(type.fromObject(message)).finish();
}

/**
 * The checkpoint's `_CHECKPOINTABLE_OBJECT_GRAPH` tensor (a serialized TrackableObjectGraph) →
 * plain object; tells which checkpoint key holds which object's variable in a TF2 SavedModel.
 */
export function decodeTrackableObjectGraph(
  bytes: Uint8Array,
  file = 'variables/variables.index (_CHECKPOINTABLE_OBJECT_GRAPH)',
): TrackableObjectGraph {
  return decodeMessage<TrackableObjectGraph>('TrackableObjectGraph', bytes, file);
}

/**
 * Only tags, versions and SignatureDefs of each MetaGraph; the graph itself is skipped unparsed
 * (its framing is still checked). For inspection paths that must stay fast on big graphs.
 * Accepts the binary form and, told apart by its first bytes, the text form (`saved_model.pbtxt`).
 */
export function decodeSavedModelSignatures(bytes: Uint8Array, file = 'saved_model.pb'): SavedModelView {
  return looksLikeTextFormat(bytes)
    ? decodeTextMessage<SavedModelView>('ferry.SavedModelView', bytes, file)
    : decodeMessage<SavedModelView>('ferry.SavedModelView', bytes, file);
}

/** `ferry.SavedModelView` is reported as what it views: `SavedModel`. */
function shownName(typeName: string): string {
  return typeName.replace(/^ferry\.(\w+)View$/, '$1');
}

function describe(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) return 'messages nested too deeply';
  if (error instanceof TextFormatError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
