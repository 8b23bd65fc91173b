import { readFile } from 'node:fs/promises';
import { parseGoldenSet, type GoldenExample } from '../functions/core/validation/golden-set';

export type InstancesInput =
  { kind: 'instances'; instances: unknown[] } | { kind: 'golden'; examples: GoldenExample[] };

/**
 * `--instances` takes inline JSON, a JSON file (`[...]` or `{"instances": [...]}`), a JSON Lines
 * file of instances, or a golden set (JSON Lines of `{"instance", "expected"}`), which is then checked.
 */
export async function readInstances(arg: string): Promise<InstancesInput> {
  const trimmed = arg.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return fromJson(parse(trimmed, '--instances'), '--instances');
  const bytes = await readFile(arg).catch(() => {
    throw new Error(`--instances ${arg}: no such file; give inline JSON or a .json/.jsonl file`);
  });
  const text = bytes.toString('utf8');
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined; // not one JSON document: JSON Lines
  }
  // A one-line golden set is also one JSON document; only arrays and {"instances"} are read whole.
  if (Array.isArray(whole) || (typeof whole === 'object' && whole !== null && 'instances' in whole))
    return fromJson(whole, arg);
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const first = parse(lines[0] ?? '', `${arg} line 1`);
  if (typeof first === 'object' && first !== null && 'instance' in first && 'expected' in first) {
    return { kind: 'golden', examples: parseGoldenSet(new Uint8Array(bytes), arg) };
  }
  return { kind: 'instances', instances: lines.map((line, i) => parse(line, `${arg} line ${i + 1}`)) };
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`);
  }
}

function fromJson(value: unknown, where: string): InstancesInput {
  if (Array.isArray(value)) return { kind: 'instances', instances: value };
  if (typeof value === 'object' && value !== null && Array.isArray((value as { instances?: unknown }).instances)) {
    return { kind: 'instances', instances: (value as { instances: unknown[] }).instances };
  }
  throw new Error(`${where}: expected a JSON array of instances or {"instances": [...]}`);
}
