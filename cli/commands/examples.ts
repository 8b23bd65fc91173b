import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';

/**
 * `ferry examples <dir> [--a 0.5] [--b 2] [--shards 1]`: writes real-format example artifacts
 * computing y = a*x + b — a SavedModel folder, a TFLite file, and golden sets for both.
 */
export const examples: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.examples, args);
  const [a, b, shards] = [parsed.number('a'), parsed.number('b'), parsed.number('shards')];
  const [dir] = parsed.positionals;
  try {
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
