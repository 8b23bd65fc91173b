import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import { runIdFor } from '../../functions/core/run/run-id';
import type { DroppedRun } from './invariants';
import type { ChaosDrop } from './scenario';

/** How long one run may take under chaos before it counts as stuck. */
export const RUN_TIMEOUT_MS = 150_000;

type Files = Array<[string, Uint8Array]>;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The artifacts chaos drops: y = 0.5x + 2 is the golden set's truth; the others are wrong or corrupt. */
export const ARTIFACTS = {
  good: Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2 })) as Files,
  bad: Object.entries(writeExampleSavedModel({ a: 0.5, b: 3, numShards: 2 })) as Files,
  goodTflite: writeExampleTflite({ a: 0.5, b: 2 }),
  wrongTflite: writeExampleTflite({ a: 0.5, b: 3 }),
  corruptTflite: writeExampleTflite({ a: 0.5, b: 2 }).fill(0xee, 4, 8),
};

export interface ChaosStack {
  stack: LocalStack;
  storage: Storage;
  /** The folder of workflow files the functions read (a test may rewrite one, then restart them). */
  workflowsDir: string;
  /** Create-only upload that survives the faults it meets (a 412 means an earlier attempt landed). */
  put(name: string, bytes: Uint8Array): Promise<void>;
  /** The stored run, read through faults (a failed read is just another poll). */
  readRun(runId: string): Promise<RunRecord | undefined>;
  /** Polls a run until `until` holds (default: it ended) or RUN_TIMEOUT_MS passes; the last record read. */
  waitForRun(runId: string, until?: (run: RunRecord) => boolean): Promise<RunRecord | undefined>;
  /** Uploads a drop's files (a SavedModel's in `random` order) and waits for its run to end. */
  dropAndWait(drop: ChaosDrop, random: () => number): Promise<DroppedRun>;
  stop(): Promise<void>;
}

/**
 * The local stack as chaos runs it: functions in their own processes (so they can be SIGKILLed),
 * Pub/Sub's real retry and dead-letter policies on a virtual clock (`timeScale` wall ms per
 * virtual ms), the golden set `golden/chaos.jsonl` in place.
 */
export async function startChaosStack(workflowFiles: Record<string, string>, timeScale: number): Promise<ChaosStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-chaos-'));
  const workflowsDir = join(dir, 'workflows');
  mkdirSync(workflowsDir);
  for (const [file, text] of Object.entries(workflowFiles)) writeFileSync(join(workflowsDir, file), text);
  process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
  const stack = await startLocalStack({
    workflowsDir,
    timeScale,
    functionProcesses: true,
    maxDeliveryAttempts: 10,
    awaitPollMs: 50,
    awaitBudgetMs: 2000,
  });
  const storage = new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });

  async function put(name: string, bytes: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await storage
          .bucket(stack.buckets.artifacts)
          .file(name)
          .save(Buffer.from(bytes), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code === 412) return;
        if (attempt >= 10) throw error;
        await sleep(50 * attempt);
      }
    }
  }

  async function readRun(runId: string): Promise<RunRecord | undefined> {
    try {
      const [bytes] = await storage.bucket(stack.buckets.state).file(`runs/${runId}.json`).download();
      return JSON.parse(bytes.toString('utf8')) as RunRecord;
    } catch {
      return undefined;
    }
  }

  async function waitForRun(runId: string, until: (run: RunRecord) => boolean = isTerminal) {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    let run: RunRecord | undefined;
    while (Date.now() < deadline) {
      run = (await readRun(runId)) ?? run;
      if (run && (until(run) || isTerminal(run))) break;
      await sleep(200);
    }
    return run;
  }

  async function dropAndWait(drop: ChaosDrop, random: () => number): Promise<DroppedRun> {
    const runId = runIdFor(drop.workflow, drop.version, stack.buckets.artifacts, drop.bucketPath);
    if (drop.kind === 'savedmodel') {
      const files = [...(drop.good ? ARTIFACTS.good : ARTIFACTS.bad)].sort(() => random() - 0.5);
      for (const [path, bytes] of files) await put(`${drop.bucketPath}${path}`, bytes);
    } else {
      const bad = random() < 0.5 ? ARTIFACTS.wrongTflite : ARTIFACTS.corruptTflite;
      await put(drop.bucketPath, drop.good ? ARTIFACTS.goodTflite : bad);
    }
    return { drop, runId, run: await waitForRun(runId) };
  }

  try {
    await storage
      .bucket(stack.buckets.artifacts)
      .file('golden/chaos.jsonl')
      .save(exampleGoldenSet(0.5, 2), { resumable: false });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  process.stdout.write(`chaos: function logs in ${process.env.FERRY_LOG_FILE}\n`);
  return { stack, storage, workflowsDir, put, readRun, waitForRun, dropAndWait, stop: () => stack.stop() };
}
