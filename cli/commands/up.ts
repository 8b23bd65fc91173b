import { parseArgs } from 'node:util';
import type { Command } from '../io';

/**
 * `ferry up [--data-dir .ferry]`: the local cloud (Storage, Pub/Sub, Vertex AI, Firebase ML) on
 * 127.0.0.1 until Ctrl-C; prints the variables that point clients at it.
 */
export const up: Command = async (args, io) => {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, 'deploy-ms': { type: 'string' } } });
  const { startLocalCloud } = await import('../../emulators/local-cloud');
  const cloud = await startLocalCloud({ dataDir: values['data-dir'], deployDurationMs: Number(values['deploy-ms'] ?? 0) });
  io.out('ferry local cloud is up. Point clients at it with:');
  for (const [name, value] of Object.entries(cloud.env)) io.out(`  export ${name}=${value}`);
  io.out('Ctrl-C stops it.');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await cloud.stop();
  io.out('stopped.');
  return 0;
};
