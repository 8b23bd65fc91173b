import { mkdtemp, rm, writeFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import type { CliIo } from '../io';
import { formatRun } from '../format-run';
import { dropArtifact } from '../stack/drop-artifact';
import { workflowsDir } from '../workflows-dir';
import { createRolloutParameter, followRemoteConfigRollout } from './remote-config-rollout';
import { waitForRun } from './wait-for-run';

export interface DemoOptions {
  /** Virtual length of each Vertex deployment; replayed at `timeScale`. */
  deployDurationMs?: number;
  timeScale?: number;
  /** The project the stack plays (default `ferry-local`). */
  projectId?: string;
  /** `HOST:PORT` of an external Pub/Sub emulator (Google's) instead of ferry's own. */
  pubsubHost?: string;
}

export interface Scenario {
  title: string;
  local: string;
  bucketPath: string;
  workflow: string;
  version: string;
  expect: RunRecord['state'];
  /** The workflow waits for a person: the demo approves as `ferry approve <run>` would. */
  approve?: string;
  /** The run's environment (a workflow with `environments:`: the drop's run is the first one's). */
  environment?: string;
  /** Environments after the first: the demo follows the version into each (their runs join the results). */
  thenIn?: string[];
  /** A staged mobile rollout: the demo shows the Remote Config template at each step and edits it as a person would. */
  remoteConfig?: true;
}

export interface DemoResult {
  runs: Array<{ scenario: Scenario; run: RunRecord }>;
  stack: LocalStack;
}

/** y = 0.5x + 2 is the truth the golden sets hold; v2 is a bad retrain (off by one). */
function scenarios(dir: string): Scenario[] {
  return [
    {
      title: 'v1 lands on an empty endpoint and takes 100 %',
      local: join(dir, 'v1'),
      bucketPath: 'models/flowers/1/',
      workflow: 'flowers',
      version: '1',
      expect: 'promoted',
    },
    {
      title: 'v2, a bad retrain (answers off by 1), is rejected at the 10 % canary and rolled back',
      local: join(dir, 'v2'),
      bucketPath: 'models/flowers/2/',
      workflow: 'flowers',
      version: '2',
      expect: 'rejected',
    },
    {
      title: 'v3 goes 10 % → 50 % → 100 %, validated at each step',
      local: join(dir, 'v3'),
      bucketPath: 'models/flowers/3/',
      workflow: 'flowers',
      version: '3',
      expect: 'promoted',
    },
    {
      title: 'flowers-reviewed v1 is validated, then waits for a person (approval: before: promote)',
      local: join(dir, 'v3'),
      bucketPath: 'models/flowers-reviewed/1/',
      workflow: 'flowers-reviewed',
      version: '1',
      expect: 'promoted',
      approve: 'the demo approves, as a person would',
    },
    {
      title:
        'flowers-staged v1 is promoted in staging, then rolled out in production as the same Model Registry version',
      local: join(dir, 'v1'),
      bucketPath: 'models/flowers-staged/1/',
      workflow: 'flowers-staged',
      version: '1',
      expect: 'promoted',
      environment: 'staging',
      thenIn: ['production'],
    },
    {
      title: 'a TFLite model is validated with the TFLite runtime, then published on both channels',
      local: join(dir, 'mobile-1.tflite'),
      bucketPath: 'mobile/flowers/1/model.tflite',
      workflow: 'flowers-mobile',
      version: '1',
      expect: 'published',
    },
    {
      title: 'a corrupted TFLite file is refused before anything is published',
      local: join(dir, 'mobile-2.tflite'),
      bucketPath: 'mobile/flowers/2/model.tflite',
      workflow: 'flowers-mobile',
      version: '2',
      expect: 'rejected',
    },
    {
      title: `flowers-mobile-staged v1 reaches app instances 5 % → 25 % → 100 % through Remote Config (every: ${DEMO_EVERY} here, 24h in the workflow file)`,
      local: join(dir, 'mobile-1.tflite'),
      bucketPath: 'mobile/flowers-staged/1/model.tflite',
      workflow: 'flowers-mobile-staged',
      version: '1',
      expect: 'published',
      remoteConfig: true,
    },
  ];
}

/** The staged mobile workflow widens once a day; the demo's copy of it, every few seconds. */
const DEMO_EVERY = '3s';

/**
 * The repository's workflows as the demo's functions load them: the same files, except that the
 * staged mobile rollout widens every DEMO_EVERY instead of every 24h. Under .ferry/, not a temp
 * folder: `ferry demo --keep` leaves the functions serving after the demo.
 */
async function demoWorkflows(): Promise<string> {
  const target = resolve('.ferry', 'demo-workflows');
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const name of await readdir(workflowsDir())) {
    if (!/\.ya?ml$/.test(name)) continue;
    const text = await readFile(join(workflowsDir(), name), 'utf8');
    await writeFile(join(target, name), text.replace(/^(\s+every:) 24h$/m, `$1 ${DEMO_EVERY}`));
  }
  return target;
}

async function writeArtifacts(dir: string): Promise<void> {
  const models: Array<[string, number, number]> = [
    ['v1', 0.5, 2],
    ['v2', 0.5, 3],
    ['v3', 0.5, 2],
  ];
  for (const [name, a, b] of models) {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a, b, numShards: 2 }))) {
      await mkdir(join(dir, name, path, '..'), { recursive: true });
      await writeFile(join(dir, name, path), bytes);
    }
  }
  await writeFile(join(dir, 'mobile-1.tflite'), writeExampleTflite({ a: 0.5, b: 2 }));
  const corrupt = writeExampleTflite({ a: 0.5, b: 2 });
  corrupt.fill(0xee, 4, 8); // the TFL3 identifier and more: a truncated download, say
  await writeFile(join(dir, 'mobile-2.tflite'), corrupt);
}

/** Waits for the run to ask for approval, shows what it waits with, and approves through `ferry approve`. */
async function approveWhenAsked(io: CliIo, storage: Storage, bucket: string, runId: string, reason: string) {
  const waiting = await waitForRun(
    storage,
    bucket,
    runId,
    60_000,
    (r) => r.state === 'awaiting-approval' || isTerminal(r),
  );
  if (waiting.state !== 'awaiting-approval') return;
  const percent = waiting.deployment?.split?.[waiting.deployment.deployedModelId] ?? 0;
  io.out(`  … awaiting-approval, its canary serving ${percent} %; announced on ferry.run.events`);
  io.out(`  ferry approve ${runId} --reason "${reason}"`);
  const { runCli } = await import('../run-cli');
  const indented = { out: (text: string) => io.out(`  ${text}`), err: (text: string) => io.err(`  ${text}`) };
  const code = await runCli(['approve', runId, '--reason', reason], indented);
  if (code !== 0) throw new Error(`ferry approve ${runId} exited ${code}`);
}

/**
 * The local demo: the whole pipeline on the embedded emulators, with generated artifacts. Each
 * scenario drops an artifact and prints the run's timeline once it ends.
 */
export async function runDemo(io: CliIo, options: DemoOptions = {}): Promise<DemoResult> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  await mkdir('.ferry', { recursive: true });
  process.env.FERRY_LOG_FILE ??= join('.ferry', 'functions.log');
  await writeFile(process.env.FERRY_LOG_FILE, '');
  const stack = await startLocalStack({
    deployDurationMs: options.deployDurationMs ?? 30 * 60 * 1000,
    timeScale: options.timeScale ?? 0.0005,
    projectId: options.projectId,
    pubsubHost: options.pubsubHost,
    workflowsDir: await demoWorkflows(),
    // Cloud Scheduler ticks every 10 minutes; the demo's rollout steps are seconds apart.
    reconcileEveryMs: 1000,
  });
  try {
    await writeArtifacts(dir);
    const storage = new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });
    const golden = exampleGoldenSet(0.5, 2);
    for (const name of ['golden/flowers.jsonl', 'golden/flowers-mobile.jsonl']) {
      await storage
        .bucket(stack.buckets.artifacts)
        .file(name)
        .save(golden, { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    }
    io.out(
      `local cloud up: Storage ${stack.cloud.storage.url}, Pub/Sub ${stack.cloud.pubsubHost}${stack.cloud.pubsub ? '' : ' (external)'}, Vertex AI 127.0.0.1:${stack.cloud.vertex.port}, Firebase ML ${stack.cloud.firebaseMl.host}`,
    );
    io.out(`function logs (structured JSON): ${process.env.FERRY_LOG_FILE}`);
    io.out('golden sets: gs://ferry-artifacts/golden/flowers.jsonl and flowers-mobile.jsonl (y = 0.5x + 2)');
    const runs: DemoResult['runs'] = [];
    for (const scenario of scenarios(dir)) {
      io.out(`\n▶ ${scenario.title}`);
      if (scenario.remoteConfig) await createRolloutParameter(io, stack);
      io.out(`  ferry drop ${scenario.local} ${scenario.bucketPath}`);
      await dropArtifact(storage, stack.buckets.artifacts, scenario.local, scenario.bucketPath);
      const root = scenario.bucketPath;
      const runId = runIdFor(scenario.workflow, scenario.version, stack.buckets.artifacts, root);
      if (scenario.approve) await approveWhenAsked(io, storage, stack.buckets.state, runId, scenario.approve);
      if (scenario.remoteConfig) await followRemoteConfigRollout(io, stack, storage, runId);
      const run = await waitForRun(storage, stack.buckets.state, runId);
      io.out(formatRun(run));
      runs.push({ scenario, run });
      for (const environment of run.state === 'promoted' ? (scenario.thenIn ?? []) : []) {
        const nextId = runIdFor(scenario.workflow, scenario.version, stack.buckets.artifacts, root, 1, environment);
        io.out(
          `\n▶ … promoted in ${run.environment?.name}: the same version goes on in ${environment} (run ${nextId})`,
        );
        const next = await waitForRun(storage, stack.buckets.state, nextId);
        io.out(formatRun(next));
        runs.push({ scenario: { ...scenario, environment, title: `${scenario.title} (${environment})` }, run: next });
      }
    }
    return { runs, stack };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
