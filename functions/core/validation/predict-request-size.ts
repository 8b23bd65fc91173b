/**
 * The exact size of a PredictRequest as the client puts it on the wire: protobuf, with every
 * instance a `google.protobuf.Value`. Online prediction requests are limited to 1.5 MB, and JSON
 * is a poor measure of that: a number costs 9 bytes as a Value (11 inside a list) whatever its
 * digits, an escaped quote 1 byte instead of 2. Computed here rather than by encoding with the
 * client's proto bundle, which costs seconds to load; a unit test checks it against that encoding.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions
 * @see https://protobuf.dev/programming-guides/encoding/
 * @see https://protobuf.dev/reference/protobuf/google.protobuf/#value
 */

/** A field's tag: field numbers below 16 take one byte. */
const TAG_BYTES = 1;
/** `number_value` is a double. */
const DOUBLE_BYTES = 8;
/** `null_value` (enum 0) and `bool_value` are one-byte varints. */
const SMALL_VARINT_BYTES = 1;

function varintBytes(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) bytes += 1;
  return bytes;
}

/** A length-delimited field (string, bytes, embedded message) holding `length` bytes. */
export function delimitedFieldBytes(length: number): number {
  return TAG_BYTES + varintBytes(length) + length;
}

/** The encoded size of one `google.protobuf.Value` carrying `value` (JSON data). */
export function valueBytes(value: unknown): number {
  if (value === null || value === undefined) return TAG_BYTES + SMALL_VARINT_BYTES;
  if (typeof value === 'number') return TAG_BYTES + DOUBLE_BYTES;
  if (typeof value === 'boolean') return TAG_BYTES + SMALL_VARINT_BYTES;
  if (typeof value === 'string') return delimitedFieldBytes(Buffer.byteLength(value));
  if (Array.isArray(value)) {
    // ListValue { repeated Value values = 1; }
    const list = value.reduce((sum: number, item) => sum + delimitedFieldBytes(valueBytes(item)), 0);
    return delimitedFieldBytes(list);
  }
  if (typeof value === 'object') {
    // Struct { map<string, Value> fields = 1; }: each entry a message { key = 1; value = 2; }.
    let struct = 0;
    for (const [key, item] of Object.entries(value)) {
      const entry = delimitedFieldBytes(Buffer.byteLength(key)) + delimitedFieldBytes(valueBytes(item));
      struct += delimitedFieldBytes(entry);
    }
    return delimitedFieldBytes(struct);
  }
  throw new Error(`cannot send ${typeof value} in a prediction request`);
}

/** What one instance adds to a PredictRequest (`repeated Value instances = 2`). */
export function instanceBytes(instance: unknown): number {
  return delimitedFieldBytes(valueBytes(instance));
}

/** What the endpoint's name adds to a PredictRequest (`string endpoint = 1`; the client always sends it). */
export function endpointBytes(endpoint: string): number {
  return delimitedFieldBytes(Buffer.byteLength(endpoint));
}

/** The encoded PredictRequest `{endpoint, instances}` (no parameters), in bytes. */
export function predictRequestBytes(endpoint: string, instances: unknown[]): number {
  return instances.reduce((sum: number, instance) => sum + instanceBytes(instance), endpointBytes(endpoint));
}
