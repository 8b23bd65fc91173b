/**
 * Issue 12 §4: onArtifact checksums checkpoints in a 512 MB function. A 2 GiB shard, generated as
 * a stream in a child process, verified by the streaming verifier beside only reading the same
 * bytes; peak RSS from the child's `process.resourceUsage().maxRSS`. Target: under 300 MiB.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Bench, BenchRow } from './harness';

const SIZE_MIB = 2048;
const CHILD = join(__dirname, 'checkpoint-stream-child.ts');

async function child(mode: 'read' | 'verify'): Promise<{ ms: number; maxRssMiB: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, mode, String(SIZE_MIB)], {
    cwd: join(__dirname, '..', '..'),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as { ms: number; maxRssMiB: number };
}

export const bench: Bench = {
  id: 'checkpoint-stream',
  title: 'Streaming crc32c verification of a 2 GiB checkpoint shard (peak RSS, child process)',
  async run(): Promise<BenchRow[]> {
    const read = await child('read');
    const verify = await child('verify');
    const detail = `${SIZE_MIB} MiB shard, 1 MiB tensors, generated as a stream`;
    return [
      {
        name: 'verify 2 GiB shard: peak RSS',
        value: verify.maxRssMiB,
        unit: 'MiB',
        baseline: { name: 'reading the bytes alone', value: read.maxRssMiB },
        detail,
      },
      {
        name: 'verify 2 GiB shard: time',
        value: verify.ms,
        unit: 'ms',
        baseline: { name: 'reading the bytes alone', value: read.ms },
        detail: `${(SIZE_MIB / 1024 / (verify.ms / 1000)).toFixed(2)} GiB/s verified`,
      },
    ];
  },
};
