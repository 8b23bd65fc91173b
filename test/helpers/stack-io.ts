/**
 * What the e2e tests write to a local stack and read back from it, through the official Storage
 * client as a person's tools would: workflow files, artifacts, run records.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';
import { readRunRecord } from '../../cli/demo/wait-for-run';
import type { LocalStack } from '../../emulators/local-stack';
import { classifyError } from '../../functions/core/errors';
import { runIdFor } from '../../functions/core/run/run-id';
import type { RunRecord } from '../../functions/core/run/run-record';

/**
 * A SavedModel workflow: `models/<name>/{version}/` onto a model and an endpoint both named
 * `<name>`, so that each workflow of a test has its own. `validation` is the inside of its map.
 */
export function savedModelWorkflow(name: string, validation: string): string {
  return [
    `name: ${name}`,
    `match: models/${name}/{version}/`,
    'artifact: savedmodel',
    `model: { displayName: ${name} }`,
    `endpoint: { displayName: ${name} }`,
    `validation: { ${validation} }`,
    '',
  ].join('\n');
}

/** A fresh folder with each workflow written as `<name>.yaml`: a stack's `workflowsDir`. */
export function writeWorkflows(workflows: Record<string, string>, prefix = 'ferry-workflows-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(workflows)) writeFileSync(join(dir, `${name}.yaml`), text);
  return dir;
}

/** The official Storage client, pointed at the stack's emulator. */
export function stackStorage(stack: LocalStack): Storage {
  return new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });
}

/**
 * Writes one object of the stack's artifacts bucket in a single request. `createOnly` refuses a
 * name that exists already (`ifGenerationMatch: 0`), as `ferry drop` does.
 */
export function putArtifact(
  storage: Storage,
  stack: LocalStack,
  name: string,
  contents: Uint8Array | string,
  { createOnly = false } = {},
): Promise<void> {
  return storage
    .bucket(stack.buckets.artifacts)
    .file(name)
    .save(typeof contents === 'string' ? contents : Buffer.from(contents), {
      resumable: false,
      ...(createOnly ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
    });
}

/** The id of the run ferry starts for `models/<workflow>/<version>/` in the stack's artifacts bucket. */
export function runIdOf(stack: LocalStack, workflow: string, version: string): string {
  return runIdFor(workflow, version, stack.buckets.artifacts, `models/${workflow}/${version}/`);
}

/**
 * The run record as stored now, or undefined while no run has started. A read that fails for a
 * transient cause (a reset connection) is tried again, twice: a one-off read must not flake.
 */
export async function readRun(storage: Storage, stack: LocalStack, runId: string): Promise<RunRecord | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readRunRecord(storage, stack.buckets.state, runId);
    } catch (error) {
      if (attempt >= 3 || classifyError(error) !== 'transient') throw error;
    }
  }
}
