import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import { awaitStopSignal } from '../stop-signal';
import { exportLine } from '../stack/gcloud-config';
import { externalPubsubHost } from '../stack/pubsub-option';
import { removeStackConfig, writeStackConfig } from '../stack/write-stack-config';
import type { LocalStack } from '../../emulators/local-stack';
import type { WorkflowSet } from '../../functions/core/workflow/workflow-set';

/** The project the local stack plays (also the project an external emulator's topics go in). */
const LOCAL_PROJECT = 'ferry-local';

/**
 * `ferry up [--data-dir .ferry/data] [--deploy-minutes 30] [--pubsub HOST:PORT]`: the local cloud
 * and ferry's functions on 127.0.0.1 until Ctrl-C. `ferry drop`, `status` and `plan` in another
 * terminal find it through `.ferry/stack.json`; gcloud through the configuration in
 * `.ferry/gcloud/`. `--pubsub` (or PUBSUB_EMULATOR_HOST already set) runs it on an external
 * Pub/Sub emulator, Google's for instance.
 */
export const up: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.up, args);
  let pubsubHost: string | undefined;
  try {
    pubsubHost = await externalPubsubHost(parsed.string('pubsub'), process.env, LOCAL_PROJECT);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  mkdirSync('.ferry', { recursive: true });
  process.env.FERRY_LOG_FILE ??= join('.ferry', 'functions.log');
  // A Ctrl-C while the stack starts stops it as soon as it is up.
  const stopSignal = awaitStopSignal();
  try {
    await serve(io, stopSignal.received, parsed.string('data-dir'), parsed.number('deploy-minutes'), pubsubHost);
  } finally {
    stopSignal.stopped();
  }
  io.out('stopped.');
  return 0;
};

/** Starts the stack, tells other terminals how to reach it, and stops it on the first stop signal. */
async function serve(
  io: CliIo,
  stopRequested: Promise<unknown>,
  dataDir: string | undefined,
  deployMinutes: number,
  pubsubHost: string | undefined,
): Promise<void> {
  const { startLocalStack } = await import('../../emulators/local-stack');
  const stack = await startLocalStack({
    dataDir,
    deployDurationMs: deployMinutes * 60_000,
    timeScale: 0.001,
    projectId: LOCAL_PROJECT,
    pubsubHost,
  });
  const config = writeStackConfig(stack);
  io.out('ferry is up: local Cloud Storage, Pub/Sub, Vertex AI, Firebase ML and the eight functions.');
  if (pubsubHost) io.out(`Pub/Sub: the external emulator at ${pubsubHost}`);
  for (const [name, url] of Object.entries(stack.functions)) io.out(`  ${name.padEnd(20)} ${url}`);
  io.out(`function logs: ${process.env.FERRY_LOG_FILE}`);
  await seedLocalRolloutParameters(io, stack);
  io.out('In another terminal: ferry drop <artifact> models/flowers/7/ ; ferry status.');
  io.out("For gcloud storage|pubsub|ai (the README's Deploy steps 3 and 4 run as written) and ferry from any folder:");
  io.out(`  ${config.exportLine}`);
  io.out('For the client libraries:');
  io.out(`  ${exportLine(config.env)}`);
  io.out('Ctrl-C stops it.');
  await stopRequested;
  await stack.stop();
  removeStackConfig(config);
}

/**
 * The local template starts empty; a staged mobile workflow's Remote Config parameter is created
 * there, so a staged drop rolls out on a laptop (in a real project the app team's exists already).
 */
async function seedLocalRolloutParameters(io: CliIo, stack: LocalStack): Promise<void> {
  const [{ withConsole }, { seedRolloutParameters }, { loadCliWorkflows }] = await Promise.all([
    import('../stack/console-app'),
    import('../stack/seed-rollout-parameters'),
    import('../workflows-dir'),
  ]);
  let workflows: WorkflowSet;
  try {
    workflows = loadCliWorkflows();
  } catch {
    return; // the functions report a broken workflow file; `ferry workflows` says what is wrong
  }
  const seeded = await withConsole(stack, 'ferry-up-console', (app) => seedRolloutParameters(app, workflows));
  for (const { parameter, value, workflow } of seeded)
    io.out(`Remote Config (local): created ${parameter} = "${value}" for ${workflow}'s staged rollouts`);
}
