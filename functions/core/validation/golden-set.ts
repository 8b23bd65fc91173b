/**
 * Golden sets: JSON Lines, one `{"instance": ..., "expected": ..., "tolerance"?: number}` per line.
 * `instance` is what a Vertex/TF Serving request carries; `expected` the prediction it must give.
 */
export interface GoldenExample {
  /** 1-based line number, for messages. */
  line: number;
  instance: unknown;
  expected: unknown;
  /** Absolute tolerance for numbers in `expected`. */
  tolerance: number;
}

export class GoldenSetError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'GoldenSetError';
  }
}

export const DEFAULT_TOLERANCE = 1e-5;
export const MAX_GOLDEN_BYTES = 32 * 1024 * 1024;
export const MAX_GOLDEN_EXAMPLES = 100_000;

const FORMAT_HINT = 'each line is {"instance": ..., "expected": ..., "tolerance": 0.001}';

/** Refuses a golden set by its size alone: callers check the object's metadata before downloading it. */
export function checkGoldenSize(byteLength: number, file: string): void {
  if (byteLength > MAX_GOLDEN_BYTES) {
    throw new GoldenSetError(
      file,
      `is ${byteLength} bytes, above the ${MAX_GOLDEN_BYTES}-byte limit; keep a representative sample`,
    );
  }
}

export function parseGoldenSet(bytes: Uint8Array, file: string): GoldenExample[] {
  if (bytes.byteLength === 0) throw new GoldenSetError(file, `is empty; ${FORMAT_HINT}`);
  checkGoldenSize(bytes.byteLength, file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GoldenSetError(file, 'is not UTF-8 text; a golden set is JSON Lines');
  }
  const examples: GoldenExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const source = lines[i].trim();
    if (source === '') continue;
    if (examples.length >= MAX_GOLDEN_EXAMPLES)
      throw new GoldenSetError(file, `has more than ${MAX_GOLDEN_EXAMPLES} examples; keep a representative sample`);
    examples.push(parseLine(source, i + 1, file));
  }
  if (examples.length === 0) throw new GoldenSetError(file, `has no examples; ${FORMAT_HINT}`);
  return examples;
}

function parseLine(source: string, line: number, file: string): GoldenExample {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new GoldenSetError(file, `line ${line}: not JSON (${(error as Error).message}); ${FORMAT_HINT}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new GoldenSetError(file, `line ${line}: expected an object; ${FORMAT_HINT}`);
  }
  const record = value as Record<string, unknown>;
  for (const field of ['instance', 'expected']) {
    if (!(field in record)) throw new GoldenSetError(file, `line ${line}: "${field}" is missing; ${FORMAT_HINT}`);
  }
  const tolerance = record.tolerance ?? DEFAULT_TOLERANCE;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new GoldenSetError(file, `line ${line}: "tolerance" must be a non-negative number`);
  }
  return { line, instance: record.instance, expected: record.expected, tolerance };
}

/** Why `actual` does not match `expected`, or undefined if it does. Objects are checked on the expected keys. */
export function mismatch(
  expected: unknown,
  actual: unknown,
  tolerance: number,
  path = 'prediction',
): string | undefined {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
    return Math.abs(expected - actual) <= tolerance
      ? undefined
      : `${path}: expected ${expected} ± ${tolerance}, got ${actual}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return `${path}: expected ${expected.length} values, got ${Array.isArray(actual) ? actual.length : JSON.stringify(actual)}`;
    }
    for (let i = 0; i < expected.length; i += 1) {
      const found = mismatch(expected[i], actual[i], tolerance, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      const found = mismatch(value, (actual as Record<string, unknown>)[key], tolerance, `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return expected === actual
    ? undefined
    : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
