import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../io';
import { removeStackFile, writeStackFile } from '../stack/stack-env';

/**
 * `ferry up [--data-dir .ferry/data] [--deploy-minutes 30]`: the local cloud and ferry's functions
 * on 127.0.0.1 until Ctrl-C. `ferry drop`, `status` and `plan` in another terminal find it
 * through `.ferry/stack.json`.
 */
export const up: Command = async (args, io) => {
  const { values } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' }, 'deploy-minutes': { type: 'string' } },
  });
  mkdirSync('.ferry', { recursive: true });
  process.env.FERRY_LOG_FILE ??= join('.ferry', 'functions.log');
  const { startLocalStack } = await import('../../emulators/local-stack');
  const stack = await startLocalStack({
    dataDir: values['data-dir'],
    deployDurationMs: Number(values['deploy-minutes'] ?? 30) * 60_000,
    timeScale: 0.001,
  });
  const env = {
    ...stack.cloud.env,
    FERRY_STATE_BUCKET: stack.buckets.state,
    FERRY_ARTIFACTS_BUCKET: stack.buckets.artifacts,
    FERRY_MOBILE_BUCKET: stack.buckets.mobile,
  };
  writeStackFile({ env, buckets: stack.buckets, pid: process.pid });
  io.out('ferry is up: local Cloud Storage, Pub/Sub, Vertex AI, Firebase ML and the eight functions.');
  for (const [name, url] of Object.entries(stack.functions)) io.out(`  ${name.padEnd(20)} ${url}`);
  io.out(`function logs: ${process.env.FERRY_LOG_FILE}`);
  io.out('In another terminal: ferry drop <artifact> models/flowers/7/ ; ferry status. To use the clients directly:');
  for (const [name, value] of Object.entries(env)) io.out(`  export ${name}=${value}`);
  io.out('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await stack.stop();
  removeStackFile();
  io.out('stopped.');
  return 0;
};
