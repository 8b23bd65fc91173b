import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { EndpointServiceClient, ModelServiceClient } from '@google-cloud/aiplatform/build/src/v1';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { vertexConfig } from '../../functions/adapters/vertex/vertex-config';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import type { RunRecord } from '../../functions/core/run/run-record';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import { ferryCli } from '../helpers/ferry-cli';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** `keep` keeps the previous good version deployed at 0 %; `again` keeps none, so v1 is undeployed. */
const WORKFLOWS = { keep: 1, again: 0 };
/** A bound for a hang on a loaded machine, not a window anything waits out. */
const RUN_MS = 90_000;

jest.setTimeout(240_000);

/**
 * `ferry rollback` on the local stack, through the CLI and checked from outside with the official
 * Vertex clients: a version still deployed goes back to 100 % at once, one undeployed is deployed
 * again; either way `default` moves to it, and the same command again finds nothing to do.
 */
describe('ferry rollback on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;
  let models: ModelServiceClient;
  let endpoints: EndpointServiceClient;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    const workflows = writeWorkflows(
      Object.fromEntries(
        Object.entries(WORKFLOWS).map(([name, keep]) => [
          name,
          `${savedModelWorkflow(name, `goldenSet: golden/${name}.jsonl, minCandidateAnswers: 10`)}rollout: { canaryPercent: 10, steps: [100], keepPrevious: ${keep} }\n`,
        ]),
      ),
    );
    // The functions run in their own processes, as in the cloud: the CLI closes its clients when
    // done, which in one process would close those of functions still at work.
    stack = await startLocalStack({
      workflowsDir: workflows,
      timeScale: 0.0005,
      maxDeliveryAttempts: 5,
      functionProcesses: true,
    });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    const { clientOptions } = vertexConfig();
    models = new ModelServiceClient(clientOptions);
    endpoints = new EndpointServiceClient(clientOptions);
    for (const name of Object.keys(WORKFLOWS)) {
      await putArtifact(storage, stack, `golden/${name}.jsonl`, exampleGoldenSet(0.5, 2), { createOnly: true });
      for (const version of ['1', '2']) {
        for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
          await putArtifact(storage, stack, `models/${name}/${version}/${path}`, bytes, { createOnly: true });
        const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, name, version), RUN_MS);
        if (run.state !== 'promoted') throw new Error(`${name} v${version} ended ${run.state}: ${run.reason}`);
      }
    }
  }, 240_000);
  afterAll(async () => {
    await models?.close();
    await endpoints?.close();
    await stack?.stop();
  });

  const cli = ferryCli;
  const runs = () => new GcsDocuments(() => storage, stack.buckets.state).list<RunRecord>('runs/');
  const run = (name: string, version: string) =>
    waitForRun(storage, stack.buckets.state, runIdOf(stack, name, version));
  /** The workflow's endpoint as Vertex describes it. */
  const endpointOf = async (name: string) => {
    const [list] = await endpoints.listEndpoints({ parent: vertexConfig().parent });
    const found = list.find((e) => e.displayName === name);
    if (!found) throw new Error(`no endpoint ${name}`);
    return found;
  };
  /** Version id → aliases, of the workflow's model. */
  const aliasesOf = async (model: string) => {
    const [versions] = await models.listModelVersions({ name: model });
    return Object.fromEntries(versions.map((v) => [v.versionId, [...(v.versionAliases ?? [])].sort()]));
  };
  /** Rolls `name` back through the CLI and waits for the run it prints to end. */
  const rollBack = async (name: string) => {
    const result = await cli('rollback', name, '--reason', 'v2 misbehaves');
    expect(result).toMatchObject({ code: 0, err: '' });
    const runId = /^run (\S+)$/m.exec(result.out)?.[1];
    if (!runId) throw new Error(`no run id in: ${result.out}`);
    expect(result.out).toContain(`follow it with: ferry status ${runId}`);
    return { result, ended: await waitForRun(storage, stack.buckets.state, runId, RUN_MS) };
  };

  it('puts a version still deployed back at 100 % with default, and does nothing the second time', async () => {
    const [v1, v2] = [await run('keep', '1'), await run('keep', '2')];
    const v1Id = v1.deployment!.deployedModelId;
    // keepPrevious 1: v1 is still deployed, without traffic.
    expect((await endpointOf('keep')).trafficSplit).toEqual({ [v2.deployment!.deployedModelId]: 100 });

    const { result, ended } = await rollBack('keep');
    expect(result.out).toContain(`rolling keep back to v1 (${v1.model!.versionName}) from v2`);
    expect(ended).toMatchObject({ kind: 'rollback', version: '1', state: 'rolled-back', outcome: 'rolled-back' });
    expect(ended.timeline.map((entry) => entry.state)).toEqual(['registered', 'rolled-back']);
    expect(ended.operatorActions).toMatchObject([{ verb: 'rollback', reason: 'v2 misbehaves' }]);
    const endpoint = await endpointOf('keep');
    expect(endpoint.trafficSplit).toEqual({ [v1Id]: 100, [v2.deployment!.deployedModelId]: 0 });
    expect(endpoint.deployedModels?.map((d) => d.id).sort()).toEqual([v1Id, v2.deployment!.deployedModelId].sort());
    expect(await aliasesOf(v1.model!.name)).toEqual({ '1': ['default', 'v1'], '2': ['v2'] });

    const before = await runs();
    const again = await cli('rollback', 'keep');
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toContain(
      `nothing to do: v1 of keep already serves 100 % and holds default (rolled back by run ${ended.runId})`,
    );
    expect(await runs()).toEqual(before);

    const status = await cli('status', ended.runId);
    expect(status.out).toContain(`${ended.runId}  rollback to v1 (models/keep/1/) (workflow keep)  ↩ rolled-back`);
  });

  it('deploys a version no longer deployed again at 100 %, moves default, and does nothing the second time', async () => {
    const [v1, v2] = [await run('again', '1'), await run('again', '2')];
    // keepPrevious 0: v2's promotion undeployed v1.
    expect((await endpointOf('again')).deployedModels?.map((d) => d.id)).toEqual([v2.deployment!.deployedModelId]);

    const { ended } = await rollBack('again');
    expect(ended).toMatchObject({ kind: 'rollback', version: '1', state: 'rolled-back' });
    expect(ended.timeline.map((entry) => entry.state)).toEqual(['registered', 'deploying', 'rolled-back']);
    const redeployed = ended.deployment!.deployedModelId;
    const endpoint = await endpointOf('again');
    // DeployModel's split replaces the endpoint's: v2, absent from it, gets no traffic.
    const serving = Object.entries(endpoint.trafficSplit ?? {}).filter(([, percent]) => Number(percent) > 0);
    expect(serving).toEqual([[redeployed, 100]]);
    const onEndpoint = endpoint.deployedModels?.map((d) => [d.id, d.modelVersionId]);
    expect(onEndpoint).toEqual(expect.arrayContaining([[redeployed, '1']]));
    expect(await aliasesOf(v1.model!.name)).toEqual({ '1': ['default', 'v1'], '2': ['v2'] });

    const before = await runs();
    const again = await cli('rollback', 'again');
    expect(again.out).toContain(`nothing to do: v1 of again already serves 100 % and holds default`);
    expect(await runs()).toEqual(before);
  });

  it('refuses a version that was never promoted and an unknown workflow, creating nothing', async () => {
    const before = await runs();
    expect(await cli('rollback', 'keep', '--to', '9')).toMatchObject({
      code: 1,
      err: 'v9 of keep never ended promoted, so it cannot be rolled back to; promoted versions: v2, v1',
    });
    expect(await cli('rollback', 'tulips')).toMatchObject({
      code: 1,
      err: 'no workflow "tulips"; known workflows: again, keep',
    });
    expect(await runs()).toEqual(before);
  });

  it('leaves nothing on the dead-letter topic', async () => {
    await stack.settled(RUN_MS);
    expect(stack.deadLetters()).toEqual([]);
  });
});
