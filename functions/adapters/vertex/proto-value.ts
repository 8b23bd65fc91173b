/**
 * JSON ↔ `google.protobuf.Value`, as Predict carries instances and predictions. Hand-written (20
 * lines) rather than `helpers.toValue` from the package root, which would load every Vertex client.
 * @see https://protobuf.dev/reference/protobuf/google.protobuf/#value
 */
export interface ProtoValue {
  nullValue?: unknown;
  numberValue?: number | null;
  stringValue?: string | null;
  boolValue?: boolean | null;
  structValue?: { fields?: Record<string, ProtoValue> | null } | null;
  listValue?: { values?: ProtoValue[] | null } | null;
  kind?: string | null;
}

export function toValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  if (typeof value === 'object')
    return { structValue: { fields: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toValue(v)])) } };
  throw new Error(`cannot send ${typeof value} in a prediction request`);
}

export function fromValue(value: ProtoValue | null | undefined): unknown {
  if (!value) return null;
  const kind =
    value.kind ??
    Object.keys(value).find(
      (k) => (value as Record<string, unknown>)[k] !== undefined && (value as Record<string, unknown>)[k] !== null,
    );
  switch (kind) {
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromValue);
    case 'structValue':
      return Object.fromEntries(Object.entries(value.structValue?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
    default:
      return null;
  }
}
