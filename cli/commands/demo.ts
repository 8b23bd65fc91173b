import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../io';
import { runCli } from '../run-cli';

/**
 * `npm start`. Until the promotion pipeline's local demo lands, this writes the example
 * artifacts, inspects them and runs their golden sets in both runtimes — the first two steps every
 * run of the pipeline takes.
 */
export const demo: Command = async (_args, io) => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  try {
    const steps = [
      ['examples', dir, '--a', '0.5', '--b', '2', '--shards', '2'],
      ['inspect', join(dir, 'savedmodel')],
      ['inspect', join(dir, 'model.tflite')],
      ['predict', join(dir, 'savedmodel'), '--instances', join(dir, 'golden.jsonl')],
      ['predict', join(dir, 'model.tflite'), '--instances', join(dir, 'golden.jsonl')],
    ];
    for (const step of steps) {
      io.out(`\n$ ferry ${step.join(' ')}`);
      const code = await runCli(step, io);
      if (code !== 0) return code;
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
