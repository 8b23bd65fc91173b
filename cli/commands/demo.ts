import { runDemo } from '../demo/run-demo';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import { externalPubsubHost } from '../stack/pubsub-option';
import { removeStackConfig, writeStackConfig } from '../stack/write-stack-config';
import { awaitStopSignal } from '../stop-signal';
import type { LocalStack } from '../../emulators/local-stack';

/** The demo's project (on an external Pub/Sub emulator, its topics and subscriptions go there). */
const DEMO_PROJECT = 'ferry-local';

/**
 * `npm start [-- --pubsub HOST:PORT]`: the whole pipeline on the embedded emulators — v1 promoted,
 * a bad v2 rolled back, v3 promoted from a canary, an approval, a version promoted in staging then
 * production, a TFLite model published on both channels, a corrupted one refused, a staged mobile
 * rollout through Remote Config. Exits 0 only if every run ended as expected; stops every server it
 * started. `--pubsub` (or PUBSUB_EMULATOR_HOST already set) uses an external Pub/Sub emulator.
 * `--keep` leaves the stack serving afterwards, as `ferry up` does (`.ferry/stack.json`), so that
 * `ferry ui` or `ferry status` in another terminal show the demo's runs, until Ctrl-C.
 */
export const demo: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.demo, args);
  const minutes = parsed.number('deploy-minutes');
  let pubsubHost: string | undefined;
  try {
    pubsubHost = await externalPubsubHost(parsed.string('pubsub'), process.env, DEMO_PROJECT);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  io.out(`ferry demo: each Vertex deployment takes ${minutes} virtual minutes, replayed in compressed time.`);
  const { runs, stack } = await runDemo(io, {
    deployDurationMs: minutes * 60_000,
    pubsubHost,
    projectId: DEMO_PROJECT,
  });
  try {
    const endpoint = stack.cloud.vertex.state().endpoints[0];
    io.out('\nsummary');
    let ok = true;
    for (const { scenario, run } of runs) {
      const as = run.state === scenario.expect;
      ok &&= as;
      const where = scenario.environment ? `${scenario.bucketPath} in ${scenario.environment}` : scenario.bucketPath;
      io.out(`  ${as ? '✔' : '✘'} ${where.padEnd(40)} ${run.state.padEnd(10)} (expected ${scenario.expect})`);
    }
    if (endpoint) io.out(`  endpoint ${endpoint.displayName}: traffic ${JSON.stringify(endpoint.trafficSplit)}`);
    const dead = stack.deadLetters();
    io.out(`  dead letters: ${dead.length}`);
    io.out(ok ? '\nall runs ended as expected.' : '\nSOME RUNS DID NOT END AS EXPECTED.');
    if (parsed.flag('keep')) await keepServing(io, stack);
    return ok && dead.length === 0 ? 0 : 1;
  } finally {
    await stack.stop();
  }
};

/** `--keep`: the demo's stack stays up for other terminals (`ferry ui`, `ferry status`) until Ctrl-C. */
async function keepServing(io: CliIo, stack: LocalStack): Promise<void> {
  const signal = awaitStopSignal();
  const config = writeStackConfig(stack);
  try {
    io.out(
      "\nthe demo's stack stays up: in another terminal, `npx ferry ui` (or `npx ferry status`). Ctrl-C stops it.",
    );
    io.out(`  ${config.exportLine}`);
    await signal.received;
  } finally {
    signal.stopped();
    removeStackConfig(config);
  }
}
