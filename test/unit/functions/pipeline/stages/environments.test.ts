import { nextAttemptId, retryAttempt } from '../../../../../functions/core/run/retry-attempt';
import { runIdFor } from '../../../../../functions/core/run/run-id';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { OperationMessage } from '../../../../../functions/pipeline/messages';
import type {
  ModelVersionRef,
  PendingOperation,
  Predictor,
  UploadRequest,
} from '../../../../../functions/pipeline/ports';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { abortRun } from '../../../../../functions/pipeline/operator/abort-run';
import { AWAIT_DEFAULTS, awaitOperation } from '../../../../../functions/pipeline/stages/await-operation';
import { deployModelStage } from '../../../../../functions/pipeline/stages/deploy-model';
import { endRunSafely } from '../../../../../functions/pipeline/stages/end-run-safely';
import { startNextEnvironment } from '../../../../../functions/pipeline/stages/next-environment';
import { leaseKey, leaseScopeOf } from '../../../../../functions/pipeline/stages/endpoint-lease';
import { awaitEndpointTurn } from '../../../../../functions/pipeline/stages/endpoint-turn';
import { reconcile } from '../../../../../functions/pipeline/stages/reconcile';
import { registerModelStage } from '../../../../../functions/pipeline/stages/register-model';
import { validatePredictionsStage } from '../../../../../functions/pipeline/stages/validate-predictions';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import {
  fixedClock,
  MemoryDocuments,
  MemoryObjects,
  MemoryPublisher,
  MemoryRuns,
  silentLogger,
} from '../../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const HOME = 'projects/p/locations/l';

/** staging then production; `production` is replaced to put production elsewhere. */
function stagedWorkflow(production = '{ name: production, endpoint: { displayName: staged-prod } }'): WorkflowSet {
  return new WorkflowSet([
    parseWorkflow(
      `name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
rollout: { canaryPercent: 10, steps: [100] }
validation: { goldenSet: g.jsonl, minCandidateAnswers: 1 }
environments:
  - { name: staging, endpoint: { displayName: staged-staging } }
  - ${production}
`,
      'staged.yaml',
    ),
  ]);
}

/**
 * The in-memory registry, with what the shared one leaves out for environments elsewhere: a
 * model is found in its own `parent` only, and an upload with `parent` lands there.
 */
class PlacedRegistry extends MemoryRegistry {
  readonly requests: UploadRequest[] = [];
  async findModel(_displayName?: string, _workflow?: string, parent = HOME): Promise<string | undefined> {
    return this.versions.find((v) => v.name.startsWith(`${parent}/`))?.name;
  }
  async upload(request: UploadRequest): Promise<ModelVersionRef | PendingOperation> {
    this.requests.push(request);
    const elsewhere = request.parent && !request.parentModel;
    return super.upload(elsewhere ? { ...request, parentModel: `${request.parent}/models/77` } : request);
  }
}

/** A small stack of the stages over memory ports, delivering every message twice (at-least-once). */
function stack(workflows: WorkflowSet, options: { badVersion?: string; badOn?: string } = {}) {
  const clock = fixedClock();
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const log = silentLogger();
  const endpoints = new MemoryEndpoints();
  const registry = new PlacedRegistry();
  const leases = new MemoryDocuments();
  const golden = new MemoryObjects({ 'g.jsonl': '{"instance": {"x": [1]}, "expected": [2.5]}\n' });
  // Answers as the newest deployment on the endpoint; a bad version answers wrong.
  const predictor: Predictor = {
    predict: async (endpoint, instances) => {
      const newest = (await endpoints.get(endpoint)).deployedModels.at(-1)!;
      const bad =
        (options.badVersion && newest.displayName.startsWith(`ferry-staged-${options.badVersion}-`)) ||
        (options.badOn && endpoint.endsWith(options.badOn));
      return { predictions: instances.map(() => [bad ? 9 : 2.5]), deployedModelId: newest.id };
    },
  };
  const stage = { runs, publisher, clock, log };
  const rollout = { endpoints, registry, clock };
  let delivered = 0;
  async function deliver(topic: string, data: { runId: string; step?: number }) {
    if (topic === TOPICS.savedModelReady)
      await runStage(stage, data.runId, registerModelStage({ registry, workflows, clock }));
    if (topic === TOPICS.modelRegistered)
      await runStage(stage, data.runId, deployModelStage({ endpoints, registry, workflows, clock }));
    if (topic === TOPICS.operationPending)
      await awaitOperation(
        { ...stage, endpoints, registry, workflows, ...AWAIT_DEFAULTS, home: () => HOME },
        data as OperationMessage,
      );
    if (topic === TOPICS.modelDeployed)
      await runStage(
        stage,
        data.runId,
        validatePredictionsStage(
          { ...rollout, objects: golden, predictor, workflows, elapsedMs: () => 1, budgetMs: 300_000 },
          data.step ?? -1,
        ),
      );
  }
  return {
    clock,
    runs,
    publisher,
    endpoints,
    registry,
    leases,
    /** Loses every publish to `topic` for `runId` (a publish that never reaches Pub/Sub) until `restore`. */
    lose(topic: string, runId: string) {
      const original = publisher.publish.bind(publisher);
      publisher.publish = async (t, data) =>
        t === topic && (data as { runId?: string }).runId === runId ? 'lost' : original(t, data);
      return () => {
        publisher.publish = original;
      };
    },
    /**
     * Delivers every message published so far, and those they publish: twice the first time a
     * message is seen (a duplicate delivery), once when it comes again (a duplicate re-sends what
     * the run waits for; doubling those too would grow without end).
     */
    async pump(duplicates = true) {
      const seen = new Set<string>();
      for (let guard = 0; guard < 2000 && delivered < publisher.messages.length; guard += 1) {
        const { topic, data } = publisher.messages[delivered];
        delivered += 1;
        const key = `${topic} ${JSON.stringify(data)}`;
        const copies = seen.has(key) || !duplicates ? 1 : 2;
        seen.add(key);
        for (let copy = 0; copy < copies; copy += 1) await deliver(topic, data as { runId: string });
      }
      if (delivered < publisher.messages.length) throw new Error('pump: messages left undelivered');
    },
    reconcileDeps: () => ({ ...stage, leases, rollout, workflows }),
    /** What onDeadLetter and the reconciler give endRunSafely to start the next environment. */
    nextEnvironment: (promoted: RunRecord) => startNextEnvironment({ ...stage, workflows, home: () => HOME }, promoted),
  };
}

/** The staging run as onArtifact records a drop of models/staged/<version>/. */
async function drop(s: ReturnType<typeof stack>, version: string): Promise<RunRecord> {
  const run = sampleRun({
    runId: runIdFor('staged', version, 'artifacts', `models/staged/${version}/`),
    workflow: 'staged',
    root: `models/staged/${version}/`,
    version,
    environment: { name: 'staging' },
  });
  await s.runs.create(run);
  await s.publisher.publish(TOPICS.savedModelReady, { runId: run.runId });
  return run;
}

const productionId = (version: string) =>
  runIdFor('staged', version, 'artifacts', `models/staged/${version}/`, 1, 'production');
const stored = async (s: ReturnType<typeof stack>, runId: string) => (await s.runs.get(runId))?.value;

describe('a version promoted in staging, then in production', () => {
  it('rolls the same Model Registry version out on the production endpoint, uploading nothing again', async () => {
    const s = stack(stagedWorkflow());
    const staging = await drop(s, '7');
    await s.pump();
    const stagingRun = await stored(s, staging.runId);
    const production = await stored(s, productionId('7'));
    expect(stagingRun).toMatchObject({ state: 'promoted', environment: { name: 'staging' } });
    expect(production).toMatchObject({
      state: 'promoted',
      environment: { name: 'production' },
      promotedFrom: staging.runId,
      model: { versionName: stagingRun?.model?.versionName },
    });
    expect(production?.timeline[0]).toMatchObject({ state: 'registered' });
    expect(production?.timeline[0].detail).toMatch(
      /production: promoted in staging by .*; the same version .*nothing uploaded/,
    );
    expect(s.registry.uploads).toBe(1);
    // Two endpoints, each serving the version with all its traffic.
    const ids = [stagingRun!, production!].map((r) => r.endpoint?.name);
    expect(ids).toEqual([`${HOME}/endpoints/ferry-staged-staging`, `${HOME}/endpoints/ferry-staged-production`]);
    for (const run of [stagingRun!, production!])
      expect((await s.endpoints.get(run.endpoint!.name)).trafficSplit).toEqual({
        [run.deployment!.deployedModelId]: 100,
      });
    // Run events name the environment (notifications and audit read them).
    expect(s.publisher.on(TOPICS.runEvents)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ runId: staging.runId, environment: 'staging', state: 'promoted' }),
        expect.objectContaining({ runId: productionId('7'), environment: 'production', state: 'promoted' }),
      ]),
    );
    // staging moved its own alias; production (the last) moved default and its own.
    expect(await s.registry.aliasesOf(stagingRun!.model!.versionName)).toEqual(
      expect.arrayContaining(['staging', 'default', 'production']),
    );
  });

  it('starts production when every message is delivered exactly once (no duplicate to lean on)', async () => {
    const s = stack(stagedWorkflow());
    await drop(s, '7');
    await s.pump(false);
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'promoted' });
  });

  it('creates one production run however often the promotion is delivered', async () => {
    const s = stack(stagedWorkflow());
    await drop(s, '7');
    await s.pump();
    const all = await s.runs.list();
    expect(all.filter((r) => r.environment?.name === 'production')).toHaveLength(1);
    // Every message was delivered twice: the production rollout still deployed once.
    expect(s.endpoints.calls.filter((c) => c.startsWith('deploy'))).toHaveLength(2);
  });

  it('keeps a version rejected in staging away from production', async () => {
    const s = stack(stagedWorkflow(), { badVersion: '8' });
    const staging = await drop(s, '8');
    await s.pump();
    expect(await stored(s, staging.runId)).toMatchObject({ state: 'rejected' });
    expect(await stored(s, productionId('8'))).toBeUndefined();
    expect((await s.runs.list()).map((r) => r.environment?.name)).toEqual(['staging']);
  });

  it('ends a production rejection there: staging keeps the version, its alias and its endpoint', async () => {
    const s = stack(stagedWorkflow(), { badOn: 'ferry-staged-production' });
    const staging = await drop(s, '7');
    await s.pump();
    const stagingRun = await stored(s, staging.runId);
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'rejected', outcome: 'rejected' });
    expect(stagingRun).toMatchObject({ state: 'promoted', outcome: 'promoted' });
    expect(await s.registry.aliasesOf(stagingRun!.model!.versionName)).toEqual(expect.arrayContaining(['staging']));
    expect(s.registry.holder('default')).toBeUndefined();
    expect((await s.endpoints.get(stagingRun!.endpoint!.name)).trafficSplit).toEqual({
      [stagingRun!.deployment!.deployedModelId]: 100,
    });
  });

  it('leaves staging promoted when the production run is aborted', async () => {
    const s = stack(stagedWorkflow());
    const staging = await drop(s, '7');
    s.lose(TOPICS.modelRegistered, productionId('7'));
    await s.pump();
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'registered' });
    const aborted = await abortRun(s.reconcileDeps(), productionId('7'), { by: 'test', reason: 'not today' });
    expect(aborted.result).toBe('aborted');
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'aborted' });
    expect(await stored(s, staging.runId)).toMatchObject({ state: 'promoted', outcome: 'promoted' });
  });

  it('goes on to production when staging’s promotion is ended unconfirmed (its retire step dead-lettered)', async () => {
    const s = stack(stagedWorkflow());
    const staging = await drop(s, '7');
    // The retire step's message never arrives: staging stays `promoting`, default already moved.
    const original = s.publisher.publish.bind(s.publisher);
    s.publisher.publish = async (topic, data) =>
      topic === TOPICS.operationPending && (data as OperationMessage).purpose === 'retire'
        ? 'lost'
        : original(topic, data);
    await s.pump();
    expect(await stored(s, staging.runId)).toMatchObject({ state: 'promoting' });
    expect(await stored(s, productionId('7'))).toBeUndefined();
    s.publisher.publish = original;
    const ending = { ...s.reconcileDeps(), nextEnvironment: s.nextEnvironment };
    const request = { reason: 'dead-lettered after 5 deliveries', at: { state: 'promoting' as const } };
    expect(await endRunSafely(ending, staging.runId, request)).toBe('ended');
    expect(await endRunSafely(ending, staging.runId, request)).toBe('already-ended');
    expect(await stored(s, staging.runId)).toMatchObject({
      state: 'promoted',
      reason: expect.stringMatching(/retiring old deployments not confirmed/),
    });
    await s.pump();
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'promoted', promotedFrom: staging.runId });
    expect((await s.runs.list()).filter((r) => r.environment?.name === 'production')).toHaveLength(1);
  });

  it('heals a lost publish of the production run’s first message with the reconciler’s nudge', async () => {
    const s = stack(stagedWorkflow());
    await drop(s, '7');
    const restore = s.lose(TOPICS.modelRegistered, productionId('7'));
    await s.pump();
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'registered' });
    restore();
    s.clock.advance(46 * 60_000); // past the `registered` stall budget
    expect((await reconcile(s.reconcileDeps())).nudged).toEqual([productionId('7')]);
    await s.pump();
    expect(await stored(s, productionId('7'))).toMatchObject({ state: 'promoted' });
  });
});

describe('a production environment elsewhere', () => {
  it('copies the version into another region with CopyModel (same project)', async () => {
    const s = stack(
      stagedWorkflow('{ name: production, region: europe-west4, endpoint: { displayName: staged-prod } }'),
    );
    const staging = await drop(s, '7');
    await s.pump();
    const source = (await stored(s, staging.runId))!.model!.versionName;
    const production = await stored(s, productionId('7'));
    expect(production).toMatchObject({
      state: 'promoted',
      copyFrom: source,
      environment: { name: 'production', parent: 'projects/p/locations/europe-west4' },
    });
    expect(production?.timeline[0]).toMatchObject({ state: 'checked' });
    expect(production?.model?.versionName).toMatch(/^projects\/p\/locations\/europe-west4\/models\//);
    expect(s.registry.uploads).toBe(1);
    expect(production?.timeline.find((e) => e.state === 'registered')?.detail).toMatch(/copied from .*models\/1@1/);
    expect(await s.registry.aliasesOf(production!.model!.versionName)).toEqual(
      expect.arrayContaining(['v7', 'default', 'production']),
    );
  });

  it('uploads the artifact again into another project (CopyModel does not cross projects)', async () => {
    const s = stack(
      stagedWorkflow('{ name: production, project: ferry-prod-42, endpoint: { displayName: staged-prod } }'),
    );
    await drop(s, '7');
    await s.pump();
    const production = await stored(s, productionId('7'));
    expect(production).toMatchObject({
      state: 'promoted',
      environment: { name: 'production', parent: 'projects/ferry-prod-42/locations/l' },
    });
    expect(production?.copyFrom).toBeUndefined();
    expect(s.registry.requests.map((r) => [r.artifactUri, r.parent])).toEqual([
      ['gs://artifacts/models/staged/7/', undefined],
      ['gs://artifacts/models/staged/7/', 'projects/ferry-prod-42/locations/l'],
    ]);
  });
});

describe('endpoint leases per environment', () => {
  it('keys the lease by workflow and environment, so staging never waits for production', async () => {
    const s = stack(stagedWorkflow());
    const production = sampleRun({
      runId: 'prod',
      workflow: 'staged',
      environment: { name: 'production' },
      state: 'deployed',
    });
    await s.runs.create(production);
    await s.leases.create(leaseKey(leaseScopeOf(production)), { runId: 'prod', since: '2026-11-23T10:00:00Z' });
    const turn = {
      leases: s.leases,
      runs: s.runs,
      publisher: s.publisher,
      clock: s.clock,
      log: silentLogger(),
      budgetMs: 1000,
      pollMs: 100,
    };
    expect(leaseScopeOf(production)).toBe('staged/production');
    expect(await awaitEndpointTurn(turn, 'stage-run', 'staged/staging')).toBe(true);
    expect(await awaitEndpointTurn(turn, 'other-prod', 'staged/production')).toBe(false);
    expect(leaseScopeOf(sampleRun())).toBe('flowers');
  });
});

describe('retrying an environment’s run', () => {
  it('keeps the environment in the next attempt and its id', () => {
    const run = sampleRun({
      runId: productionId('7'),
      workflow: 'staged',
      root: 'models/staged/7/',
      version: '7',
      environment: { name: 'production' },
      promotedFrom: 'staging-run',
      state: 'failed',
      outcome: 'failed',
    });
    const decision = retryAttempt(run, { verb: 'retry', by: 'me', at: new Date('2026-11-23T11:00:00Z') });
    expect(decision.ok && decision.next).toMatchObject({
      runId: runIdFor('staged', '7', 'artifacts', 'models/staged/7/', 2, 'production'),
      environment: { name: 'production' },
      promotedFrom: 'staging-run',
    });
    // The staging run's attempts keep the drop's id shape.
    expect(nextAttemptId({ ...run, promotedFrom: undefined, environment: { name: 'staging' } })).toBe(
      runIdFor('staged', '7', 'artifacts', 'models/staged/7/', 2),
    );
  });
});
