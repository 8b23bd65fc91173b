import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../io';
import { exportLine } from '../stack/gcloud-config';
import { removeStackConfig, writeStackConfig } from '../stack/write-stack-config';

/**
 * `ferry up [--data-dir .ferry/data] [--deploy-minutes 30]`: the local cloud and ferry's functions
 * on 127.0.0.1 until Ctrl-C. `ferry drop`, `status` and `plan` in another terminal find it
 * through `.ferry/stack.json`; gcloud through the configuration in `.ferry/gcloud/`.
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
  const config = writeStackConfig(stack);
  io.out('ferry is up: local Cloud Storage, Pub/Sub, Vertex AI, Firebase ML and the eight functions.');
  for (const [name, url] of Object.entries(stack.functions)) io.out(`  ${name.padEnd(20)} ${url}`);
  io.out(`function logs: ${process.env.FERRY_LOG_FILE}`);
  io.out('In another terminal: ferry drop <artifact> models/flowers/7/ ; ferry status.');
  io.out("For gcloud storage|pubsub|ai (the README's Deploy steps 3 and 4 run as written) and ferry from any folder:");
  io.out(`  ${config.exportLine}`);
  io.out('For the client libraries:');
  io.out(`  ${exportLine(config.env)}`);
  io.out('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await stack.stop();
  removeStackConfig(config);
  io.out('stopped.');
  return 0;
};
