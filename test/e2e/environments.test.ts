import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import type { Storage } from '@google-cloud/storage';
import { EndpointServiceClient, ModelServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import { vertexConfig } from '../../functions/adapters/vertex/vertex-config';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import type { RunRecord } from '../../functions/core/run/run-record';
import { TOPICS } from '../../functions/pipeline/topics';
import { ferryCli } from '../helpers/ferry-cli';
import { putArtifact, readRun, runIdOf, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** A bound for a hang on a loaded machine, not a window anything waits out. */
const RUN_MS = 120_000;
const WORKFLOW = `name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
rollout: { canaryPercent: 10, steps: [100] }
validation: { goldenSet: golden/staged.jsonl, minCandidateAnswers: 10 }
environments:
  - name: staging
    endpoint: { displayName: staged-staging }
    rollout: { canaryPercent: 50, steps: [100] }
  - name: production
    endpoint: { displayName: staged-production }
    approval: { before: promote, timeout: 1h }
`;

/** Production in another region of the same project: the version is copied there (CopyModel). */
const ELSEWHERE = `name: staged-eu
match: models/staged-eu/{version}/
artifact: savedmodel
model: { displayName: staged-eu }
rollout: { canaryPercent: 10, steps: [100] }
validation: { goldenSet: golden/staged.jsonl, minCandidateAnswers: 10 }
environments:
  - { name: staging, endpoint: { displayName: staged-eu-staging } }
  - { name: production, region: europe-west4, endpoint: { displayName: staged-eu-production } }
`;

jest.setTimeout(300_000);

/**
 * Environments on the local stack: a version promoted in staging is rolled out in production as
 * the same Model Registry version, checked from outside with the official Vertex clients.
 */
describe('environments on the local stack: staging, then production', () => {
  let stack: LocalStack;
  let storage: Storage;
  let models: ModelServiceClient;
  let endpoints: EndpointServiceClient;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({
      workflowsDir: writeWorkflows({ staged: WORKFLOW, 'staged-eu': ELSEWHERE }),
      timeScale: 0.0005,
      maxDeliveryAttempts: 5,
      functionProcesses: true,
    });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    const { clientOptions } = vertexConfig();
    models = new ModelServiceClient(clientOptions);
    endpoints = new EndpointServiceClient(clientOptions);
    await putArtifact(storage, stack, 'golden/staged.jsonl', exampleGoldenSet(0.5, 2), { createOnly: true });
  }, 240_000);
  afterAll(async () => {
    await models?.close();
    await endpoints?.close();
    await stack?.stop();
  });

  /** Drops version `version` of a model computing a·x + b. */
  const drop = async (version: string, a = 0.5) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a, b: 2, numShards: 1 })))
      await putArtifact(storage, stack, `models/staged/${version}/${path}`, bytes, { createOnly: true });
  };
  const stagingId = (version: string) => runIdOf(stack, 'staged', version);
  const productionId = (version: string) =>
    runIdFor('staged', version, stack.buckets.artifacts, `models/staged/${version}/`, 1, 'production');
  const ended = (runId: string) => waitForRun(storage, stack.buckets.state, runId, RUN_MS);
  const awaitingApproval = (runId: string) =>
    waitForRun(storage, stack.buckets.state, runId, RUN_MS, (run) => run.state === 'awaiting-approval');
  const runs = () => new GcsDocuments(() => storage, stack.buckets.state).list<RunRecord>('runs/');
  /** The endpoint as Vertex describes it, by display name. */
  const endpointNamed = async (displayName: string) => {
    const [list] = await endpoints.listEndpoints({ parent: vertexConfig().parent });
    const found = list.find((e) => e.displayName === displayName);
    if (!found) throw new Error(`no endpoint ${displayName}`);
    return found;
  };

  it('promotes a version in staging, then the same version in production, on two endpoints', async () => {
    await drop('1');
    const staging = await ended(stagingId('1'));
    expect(staging).toMatchObject({ state: 'promoted', environment: { name: 'staging' } });
    // Production's own approval (staging has none): a person's go before its 100 %.
    expect(await awaitingApproval(productionId('1'))).toMatchObject({ environment: { name: 'production' } });
    expect((await ferryCli('approve', productionId('1'), '--reason', 'staging looked fine')).code).toBe(0);
    const production = await ended(productionId('1'));
    expect(production).toMatchObject({
      state: 'promoted',
      environment: { name: 'production' },
      promotedFrom: staging.runId,
      model: { versionName: staging.model!.versionName },
    });
    expect(production.timeline[0]).toMatchObject({ state: 'registered' });

    const stagingEndpoint = await endpointNamed('staged-staging');
    const productionEndpoint = await endpointNamed('staged-production');
    expect(stagingEndpoint.name).not.toBe(productionEndpoint.name);
    expect(stagingEndpoint.trafficSplit).toEqual({ [staging.deployment!.deployedModelId]: 100 });
    expect(productionEndpoint.trafficSplit).toEqual({ [production.deployment!.deployedModelId]: 100 });
    for (const endpoint of [stagingEndpoint, productionEndpoint])
      expect(endpoint.deployedModels?.map((d) => [d.model, d.modelVersionId])).toEqual([
        [staging.model!.name, staging.model!.versionId],
      ]);
    // One upload: one version, holding staging's alias, production's and default.
    const [versions] = await models.listModelVersions({ name: staging.model!.name });
    expect(versions.map((v) => [v.versionId, [...(v.versionAliases ?? [])].sort()])).toEqual([
      ['1', ['default', 'production', 'staging', 'v1']],
    ]);

    const status = await ferryCli('status', production.runId);
    expect(status.out).toContain(
      `(workflow staged, environment production, promoted from ${staging.runId})  ✔ promoted`,
    );
  });

  it('does not create a second production run when the promotion is delivered again', async () => {
    const staging = await ended(stagingId('1'));
    const before = (await readRun(storage, stack, productionId('1')))!;
    // The promotion's last message, again (at-least-once): the retire step of a promoted run.
    const pubsub = new PubSub({ apiEndpoint: stack.cloud.pubsubHost, projectId: stack.cloud.projectId });
    try {
      await pubsub.topic(TOPICS.operationPending).publishMessage({
        json: { runId: staging.runId, purpose: 'retire', startedAt: staging.updatedAt },
      });
      await pubsub.topic(TOPICS.modelRegistered).publishMessage({ json: { runId: productionId('1') } });
    } finally {
      await pubsub.close();
    }
    // Give the duplicates time to be delivered (a bound, not a wait for an event: nothing should happen).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const production = (await runs()).filter((r) => r.version === '1' && r.environment?.name === 'production');
    expect(production).toHaveLength(1);
    expect((await readRun(storage, stack, productionId('1')))?.timeline).toEqual(before.timeline);
  });

  it('keeps a version rejected in staging away from production', async () => {
    await drop('2', 5); // answers 5x + 2 where the golden set expects 0.5x + 2
    const staging = await ended(stagingId('2'));
    expect(staging).toMatchObject({ state: 'rejected', environment: { name: 'staging' } });
    expect(await readRun(storage, stack, productionId('2'))).toBeUndefined();
    // Both endpoints still serve v1 alone.
    const v1 = await ended(stagingId('1'));
    expect((await endpointNamed('staged-staging')).trafficSplit).toEqual({ [v1.deployment!.deployedModelId]: 100 });
  });

  it('aborts the production run and leaves staging promoted', async () => {
    await drop('3');
    const staging = await ended(stagingId('3'));
    expect(staging.state).toBe('promoted');
    const waiting = await awaitingApproval(productionId('3'));
    const aborted = await ferryCli('abort', productionId('3'), '--reason', 'not in production today');
    expect(aborted.code).toBe(0);
    expect(await ended(productionId('3'))).toMatchObject({ state: 'aborted', outcome: 'aborted' });
    // Production's split is back to v1 exactly; staging serves v3.
    expect((await endpointNamed('staged-production')).trafficSplit).toEqual(waiting.deployment!.previousSplit);
    const stillStaging = await ended(stagingId('3'));
    expect(stillStaging).toMatchObject({ state: 'promoted', outcome: 'promoted' });
    expect((await endpointNamed('staged-staging')).trafficSplit).toEqual({
      [staging.deployment!.deployedModelId]: 100,
    });
  });

  it('copies the version into another region with CopyModel and rolls it out there', async () => {
    const root = 'models/staged-eu/1/';
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await putArtifact(storage, stack, `${root}${path}`, bytes, { createOnly: true });
    const staging = await ended(runIdOf(stack, 'staged-eu', '1'));
    expect(staging.state).toBe('promoted');
    const europe = vertexConfig().parent.replace(/locations\/[^/]+$/, 'locations/europe-west4');
    const production = await ended(runIdFor('staged-eu', '1', stack.buckets.artifacts, root, 1, 'production'));
    expect(production).toMatchObject({
      state: 'promoted',
      environment: { name: 'production', parent: europe },
      copyFrom: staging.model!.versionName,
    });
    expect(production.model!.name.startsWith(`${europe}/models/`)).toBe(true);
    expect(production.endpoint!.name.startsWith(`${europe}/endpoints/`)).toBe(true);
    // Seen from outside: the copy in europe-west4 holds default and production; the endpoint there serves it.
    const [versions] = await models.listModelVersions({ name: production.model!.name });
    expect(versions.map((v) => [v.versionId, [...(v.versionAliases ?? [])].sort()])).toEqual([
      [production.model!.versionId, ['default', 'production', 'v1']],
    ]);
    const [endpoint] = await endpoints.getEndpoint({ name: production.endpoint!.name });
    expect(endpoint.trafficSplit).toEqual({ [production.deployment!.deployedModelId]: 100 });
    // The source version stays home with staging's alias; production's is on the copy only. (Vertex
    // gives a model's first version `default` on upload, so home's v1 holds it too.)
    const [home] = await models.listModelVersions({ name: staging.model!.name });
    expect(home.map((v) => [...(v.versionAliases ?? [])].sort())).toEqual([['default', 'staging', 'v1']]);
  });
});
