import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import type { Command } from '../io';

function number(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got "${value}"`);
  return parsed;
}

/**
 * `ferry examples <dir> [--a 0.5] [--b 2] [--shards 1]`: writes real-format example artifacts
 * computing y = a*x + b — a SavedModel folder, a TFLite file, and golden sets for both.
 */
export const examples: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { a: { type: 'string' }, b: { type: 'string' }, shards: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    io.err('usage: ferry examples <dir> [--a 0.5] [--b 2] [--shards 1]');
    return 2;
  }
  try {
    const a = number(values.a, 'a', 0.5);
    const b = number(values.b, 'b', 2);
    const shards = number(values.shards, 'shards', 1);
    const dir = positionals[0];
    const files: Record<string, Uint8Array | string> = {
      'golden.jsonl': exampleGoldenSet(a, b),
      'model.tflite': writeExampleTflite({ a, b }),
    };
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a, b, numShards: shards })))
      files[`savedmodel/${path}`] = bytes;
    for (const [path, contents] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), contents);
    }
    io.out(`wrote y = ${a}*x + ${b} to ${dir}: savedmodel/ (${shards} shard(s)), model.tflite, golden.jsonl`);
    io.out(
      `try: ferry inspect ${join(dir, 'savedmodel')} && ferry predict ${join(dir, 'model.tflite')} --instances ${join(dir, 'golden.jsonl')}`,
    );
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
