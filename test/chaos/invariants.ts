import type { Storage } from '@google-cloud/storage';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { peekDeadLetters } from '../../cli/stack/dead-letters';
import type { LocalStack } from '../../emulators/local-stack';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';
import type { RunRecord } from '../../functions/core/run/run-record';
import { versionAlias } from '../../functions/core/run/run-id';
import type { ChaosDrop } from './scenario';

export interface DroppedRun {
  drop: ChaosDrop;
  runId: string;
  run?: RunRecord;
}

/**
 * What must hold after any scenario, whatever faults and crashes it saw. Returns every violation
 * (empty when all hold), each naming the run or resource, so one failing seed says everything.
 * `prefix` picks the workflows (and their models and endpoints) the runs belong to.
 */
export async function checkInvariants(
  stack: LocalStack,
  storage: Storage,
  runs: DroppedRun[],
  prefix: string,
): Promise<string[]> {
  const problems: string[] = [];
  for (const { drop, runId, run } of runs) {
    if (!run) problems.push(`lost: ${drop.bucketPath} has no run record (${runId})`);
    else if (!['promoted', 'published', 'rejected', 'failed'].includes(run.state))
      problems.push(`not terminal: ${runId} is ${run.state}`);
    else if (!drop.good && (run.state === 'promoted' || run.state === 'published'))
      problems.push(`a bad model shipped: ${runId} ${run.state}`);
    // Liveness: faults are weather, not verdicts. A good model is never rejected (validation
    // retries transport errors and hands on); it ships, or, when a fault outlasted every retry,
    // its run ends failed, with its traffic restored (checked below for every run not promoted).
    else if (drop.good && run.state === 'rejected') problems.push(`a good model rejected: ${runId}: ${run.reason}`);
  }
  const vertex = stack.cloud.vertex.state();
  // The emulator's snapshot has no display names on models: ferry's workflow label says whose it is.
  const workflowOf = (m: (typeof vertex.models)[number]) => m.versions[0]?.labels.ferry_workflow ?? '';
  const models = vertex.models.filter((m) => workflowOf(m).startsWith(prefix));
  for (const name of new Set(models.map(workflowOf))) {
    const count = models.filter((m) => workflowOf(m) === name).length;
    if (count > 1) problems.push(`duplicate models: ${count} parent models for workflow ${name}`);
  }
  const versions = models.flatMap((m) => m.versions);
  for (const { runId } of runs) {
    const mine = versions.filter((v) => v.labels.ferry_run === runId);
    if (mine.length > 1) problems.push(`duplicate model versions: ${mine.length} versions labelled ferry_run=${runId}`);
  }
  const endpoints = vertex.endpoints.filter((e) => e.displayName.startsWith(prefix));
  for (const name of new Set(endpoints.map((e) => e.displayName))) {
    const count = endpoints.filter((e) => e.displayName === name).length;
    if (count > 1) problems.push(`duplicate endpoints: ${count} named ${name}`);
  }
  for (const endpoint of endpoints) {
    const ids = endpoint.deployedModels.map((d) => d.id);
    if (new Set(ids).size !== ids.length)
      problems.push(`duplicate deployments on ${endpoint.displayName}: ${ids.join(', ')}`);
    const shares = Object.values(endpoint.trafficSplit);
    const total = shares.reduce((a, b) => a + b, 0);
    if (shares.length > 0 && total !== 100)
      problems.push(
        `${endpoint.displayName}: traffic split sums to ${total}: ${JSON.stringify(endpoint.trafficSplit)}`,
      );
    const versionsDeployed = endpoint.deployedModels.map((d) => `${d.model}@${d.modelVersionId}`);
    if (new Set(versionsDeployed).size !== versionsDeployed.length)
      problems.push(`${endpoint.displayName}: a model version deployed twice: ${versionsDeployed.join(', ')}`);
  }
  for (const { runId, run } of runs) {
    const id = run?.deployment?.deployedModelId;
    if (!run || !id || run.state === 'promoted') continue;
    for (const endpoint of endpoints) {
      const share = endpoint.trafficSplit[id] ?? 0;
      if (share > 0)
        problems.push(`traffic on a ${run.state} model: ${runId} (${id}) has ${share} % on ${endpoint.displayName}`);
    }
  }
  problems.push(...(await checkLeases(stack, storage, runs)));
  problems.push(...(await checkMobile(stack, storage, runs)));
  problems.push(...(await checkDeadLetters(stack)));
  return problems;
}

/** After a reconcile pass, no endpoint lease is held by an ended or missing run (it would block the workflow). */
async function checkLeases(stack: LocalStack, storage: Storage, runs: DroppedRun[]): Promise<string[]> {
  const problems: string[] = [];
  const byId = new Map(runs.map((r) => [r.runId, r.run]));
  const [files] = await storage.bucket(stack.buckets.state).getFiles({ prefix: 'leases/' });
  for (const file of files) {
    const lease = JSON.parse((await file.download())[0].toString('utf8')) as { runId?: string };
    if (!lease.runId || !byId.has(lease.runId)) continue; // another scenario's workflow
    const holder = byId.get(lease.runId);
    if (!holder || ['promoted', 'published', 'rejected', 'failed'].includes(holder.state))
      problems.push(`${file.name} is still held by ${holder ? `the ${holder.state}` : 'a missing'} run ${lease.runId}`);
  }
  return problems;
}

async function checkMobile(stack: LocalStack, storage: Storage, runs: DroppedRun[]): Promise<string[]> {
  const problems: string[] = [];
  const mobile = runs.filter((r) => r.drop.kind === 'tflite');
  if (mobile.length === 0) return problems;
  const modelName = mobile[0].drop.workflow.replace(/-/g, '_');
  // What may reach apps: a good model whose run did not end rejected. (A run that failed after
  // validation passed may have reached one channel before the error; that model was validated.)
  const refused = new Map(
    mobile.filter((r) => !r.drop.good || r.run?.state === 'rejected').map((r) => [r.drop.version, r]),
  );
  const why = (r: DroppedRun) =>
    r.drop.good ? `a ${r.run?.state} run` : `a bad model (run ${r.run?.state ?? 'missing'})`;
  const ml = getMachineLearning(firebaseMlEmulatorApp({ ...process.env, ...stack.cloud.env }));
  const { models } = await ml.listModels({ filter: `display_name = ${modelName}` });
  if (models.length > 1) problems.push(`Firebase ML: ${models.length} models named ${modelName}`);
  for (const model of models) {
    for (const [version, r] of refused) {
      if (model.tags.includes(versionAlias(version)))
        problems.push(`Firebase ML: ${modelName} carries tag ${versionAlias(version)} of ${why(r)}`);
    }
  }
  const [files] = await storage.bucket(stack.buckets.mobile).getFiles({ prefix: `models/${modelName}/` });
  for (const file of files) {
    const version = /^models\/[^/]+\/([^/]+)\/model\.tflite$/.exec(file.name)?.[1];
    const r = version === undefined ? undefined : refused.get(version);
    if (r) problems.push(`Cloud Storage for Firebase: ${file.name} belongs to ${why(r)}`);
    if (file.name.endsWith('/manifest.json')) {
      const manifest = JSON.parse((await file.download())[0].toString('utf8')) as { version?: string };
      const named = refused.get(String(manifest.version));
      if (named)
        problems.push(`Cloud Storage for Firebase: the manifest names version ${manifest.version}, ${why(named)}`);
    }
  }
  return problems;
}

/** Every dead letter the stack holds must also be what `ferry status` shows. */
async function checkDeadLetters(stack: LocalStack): Promise<string[]> {
  const parked = stack.deadLetters().filter((d) => d.source !== 'onArtifact (storage trigger)');
  const shown = await peekDeadLetters(1000);
  if (shown.length < parked.length)
    return [`dead letters: ${parked.length} parked but ferry status shows ${shown.length}`];
  return [];
}
