import { describe, elementProblem, type ValueDType } from './dtypes';
import { InstancesError } from './errors';

export type { ValueDType } from './dtypes';
export { dtypeFromTf, dtypeFromTflite } from './dtypes';

/** One signature input: full shape including the batch dim; -1 = any size, null = any rank. */
export interface InputSpec {
  dtype: ValueDType;
  shape: number[] | null;
}

/** One instance's value for one input: shape without the batch dim, values flattened row-major. */
export interface InstanceTensor {
  dtype: ValueDType;
  shape: number[];
  values: Array<number | string | boolean>;
}

export type ParsedInstance = Record<string, InstanceTensor>;

/** Upper bound on elements in one instance value, so a hostile golden set cannot exhaust memory. */
export const MAX_ELEMENTS_PER_VALUE = 16 * 1024 * 1024;

/**
 * Parses Vertex AI / TF Serving row-format `instances` against a signature's inputs.
 * Each instance is an object keyed by input name, or a bare value when the signature has one input.
 * A scalar is accepted where one instance's shape is `[1]` (common for `[-1, 1]` inputs).
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-online-predictions#formatting-instances-as-json
 * @see https://www.tensorflow.org/tfx/serving/api_rest#request_format_2
 */
export function parseInstances(raw: unknown, inputs: Record<string, InputSpec>): ParsedInstance[] {
  if (!Array.isArray(raw))
    throw new InstancesError(`instances: expected a JSON array of instances, got ${describe(raw)}`);
  if (raw.length === 0) throw new InstancesError('instances: the array is empty; give at least one instance');
  const keys = Object.keys(inputs);
  if (keys.length === 0) throw new InstancesError('instances: the signature has no inputs');
  return raw.map((instance, index) => parseInstance(instance, inputs, keys, `instances[${index}]`));
}

function parseInstance(
  instance: unknown,
  inputs: Record<string, InputSpec>,
  keys: string[],
  where: string,
): ParsedInstance {
  // An object is always read as named inputs (no input takes a JSON object), so a wrong key is named in the error.
  if (!isPlainObject(instance)) {
    if (keys.length > 1) {
      throw new InstancesError(
        `${where}: expected an object with inputs ${keys.join(', ')}, got ${describe(instance)}`,
      );
    }
    return { [keys[0]]: toTensor(instance, inputs[keys[0]], where) };
  }
  const record = instance as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(key in inputs));
  if (unknown.length > 0) {
    throw new InstancesError(`${where}: unknown input ${unknown.join(', ')}; the signature takes ${keys.join(', ')}`);
  }
  const parsed: ParsedInstance = {};
  for (const key of keys) {
    if (!(key in record)) throw new InstancesError(`${where}.${key}: missing; the signature takes ${keys.join(', ')}`);
    parsed[key] = toTensor(record[key], inputs[key], `${where}.${key}`);
  }
  return parsed;
}

function toTensor(value: unknown, spec: InputSpec, where: string): InstanceTensor {
  const shape = shapeOf(value, where);
  const values: Array<number | string | boolean> = [];
  flatten(value, values, spec.dtype, where);
  const expected = spec.shape === null ? null : spec.shape.slice(1);
  if (expected !== null && !fits(shape, expected)) {
    if (shape.length === 0 && expected.length === 1 && (expected[0] === 1 || expected[0] === -1)) {
      return { dtype: spec.dtype, shape: [1], values };
    }
    throw new InstancesError(
      `${where}: shape [${shape.join(',')}] does not fit the input's shape [${expected.join(',')}] (per instance, -1 = any)`,
    );
  }
  return { dtype: spec.dtype, shape, values };
}

function fits(shape: number[], expected: number[]): boolean {
  return shape.length === expected.length && shape.every((size, i) => expected[i] < 0 || expected[i] === size);
}

/** Shape of a nested JSON array; rejects ragged arrays and oversized values. */
function shapeOf(value: unknown, where: string): number[] {
  const shape: number[] = [];
  let level: unknown = value;
  let elements = 1;
  while (Array.isArray(level)) {
    shape.push(level.length);
    elements *= level.length;
    if (elements > MAX_ELEMENTS_PER_VALUE)
      throw new InstancesError(`${where}: more than ${MAX_ELEMENTS_PER_VALUE} elements; split the instance`);
    if (level.length === 0) break;
    level = level[0];
  }
  checkRectangular(value, shape, 0, where);
  return shape;
}

function checkRectangular(value: unknown, shape: number[], depth: number, where: string): void {
  if (depth === shape.length) {
    if (Array.isArray(value))
      throw new InstancesError(`${where}: ragged nesting; every element must have the same shape`);
    return;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) {
    throw new InstancesError(`${where}: ragged nesting; every element must have the same shape [${shape.join(',')}]`);
  }
  for (const item of value) checkRectangular(item, shape, depth + 1, where);
}

function flatten(value: unknown, out: Array<number | string | boolean>, dtype: ValueDType, where: string): void {
  if (Array.isArray(value)) {
    for (const item of value) flatten(item, out, dtype, where);
    return;
  }
  const problem = elementProblem(value, dtype);
  if (problem) throw new InstancesError(`${where}: ${problem}`);
  out.push(value as number | string | boolean);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Stacks one input of every instance into a batch `[n, ...shape]`; all instances must share a shape. */
export function stackInstances(
  instances: ParsedInstance[],
  key: string,
): { shape: number[]; values: Array<number | string | boolean> } {
  const first = instances[0][key];
  const values: Array<number | string | boolean> = [];
  instances.forEach((instance, index) => {
    const tensor = instance[key];
    if (tensor.shape.join(',') !== first.shape.join(',')) {
      throw new InstancesError(
        `instances[${index}].${key}: shape [${tensor.shape.join(',')}] differs from instances[0] [${first.shape.join(',')}]; batch instances of one shape`,
      );
    }
    for (const v of tensor.values) values.push(v);
  });
  return { shape: [instances.length, ...first.shape], values };
}

export interface OutputValue {
  shape: number[];
  values: ArrayLike<number | string | boolean | bigint>;
}

/**
 * TF Serving REST row format: one output → its nested value per instance; several outputs → an
 * object per instance keyed by output name.
 */
export function toPredictions(rows: Array<Record<string, OutputValue>>): unknown[] {
  return rows.map((row) => {
    const keys = Object.keys(row).sort();
    if (keys.length === 1) return nest(row[keys[0]]);
    return Object.fromEntries(keys.map((key) => [key, nest(row[key])]));
  });
}

/** Rebuilds nested arrays from flat values; bigint becomes number (JSON has no int64). */
export function nest({ shape, values }: OutputValue): unknown {
  let offset = 0;
  const build = (depth: number): unknown => {
    if (depth === shape.length) {
      const v = values[offset++];
      return typeof v === 'bigint' ? Number(v) : v;
    }
    return Array.from({ length: shape[depth] }, () => build(depth + 1));
  };
  return build(0);
}
