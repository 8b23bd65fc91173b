import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../emulators/local-stack';
import { isTerminal, type RunRecord } from '../../functions/core/run/run-record';
import {
  putArtifact,
  readRun,
  savedModelWorkflow as workflowYaml,
  stackStorage,
  writeWorkflows,
} from '../helpers/stack-io';

/** A local stack for pipeline benchmarks, with its own workflows and a Storage client. */
export interface BenchStack {
  stack: LocalStack;
  storage: Storage;
  /** Create-only upload into the artifacts bucket. */
  put(name: string, bytes: Uint8Array | string): Promise<void>;
  /** Uploads `files` under `prefix` with `workers` uploads in flight. */
  putAll(prefix: string, files: Array<[string, Uint8Array]>, workers?: number): Promise<void>;
  /** The run record once it exists (`terminal`: once it has ended). */
  waitForRun(runId: string, until: 'exists' | 'terminal', timeoutMs?: number): Promise<RunRecord>;
  /** The run record as stored now, if any. */
  readRun(runId: string): Promise<RunRecord | undefined>;
}

/** A SavedModel workflow needing 10 candidate answers; `extra` continues its validation map (`, gates: {...}`). */
export function savedModelWorkflow(name: string, golden: string, extra = ''): string {
  return workflowYaml(name, `goldenSet: ${golden}, minCandidateAnswers: 10${extra}`);
}

export function mobileWorkflow(name: string, golden: string): string {
  return [
    `name: ${name}`,
    `match: mobile/${name}/{version}/model.tflite`,
    'artifact: tflite',
    `validation: { goldenSet: ${golden}, gates: { minMatchRate: 1 } }`,
    `mobile: { modelName: ${name.replace(/-/g, '_')}, channels: { firebaseMl: true, firebaseStorage: true }, maxSizeBytes: 1000000 }`,
    '',
  ].join('\n');
}

export async function startBenchStack(
  workflows: Record<string, string>,
  options: LocalStackOptions = {},
): Promise<BenchStack> {
  const dir = writeWorkflows(workflows, 'ferry-bench-');
  process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
  const stack = await startLocalStack({
    workflowsDir: dir,
    deployDurationMs: 0,
    timeScale: 0.0005,
    awaitPollMs: 5,
    ...options,
  });
  const storage = stackStorage(stack);
  const put = (name: string, bytes: Uint8Array | string) =>
    putArtifact(storage, stack, name, bytes, { createOnly: true });
  return {
    stack,
    storage,
    put,
    async putAll(prefix, files, workers = 8) {
      await Promise.all(
        Array.from({ length: workers }, async (_, worker) => {
          for (let i = worker; i < files.length; i += workers) await put(`${prefix}${files[i][0]}`, files[i][1]);
        }),
      );
    },
    readRun: (runId) => readRun(storage, stack, runId),
    async waitForRun(runId, until, timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      const file = storage.bucket(stack.buckets.state).file(`runs/${runId}.json`);
      while (Date.now() < deadline) {
        const [exists] = await file.exists();
        if (exists) {
          const run = JSON.parse((await file.download())[0].toString('utf8')) as RunRecord;
          if (until === 'exists' || isTerminal(run)) return run;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`run ${runId} did not ${until === 'exists' ? 'start' : 'end'} within ${timeoutMs / 1000} s`);
    },
  };
}

export const seconds = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e9;
