import { PortError } from '../../../../../functions/core/errors';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { promote, rollBack, stepUp, type RolloutDeps } from '../../../../../functions/pipeline/stages/rollout-actions';
import { fixedClock } from '../../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/ferry-flowers';
const INCUMBENT = '111';
const CANDIDATE = '222';
const VERSION = 'projects/p/locations/l/models/9@2';

const workflow = parseWorkflow(
  [
    'name: flowers',
    'match: models/flowers/{version}/',
    'artifact: savedmodel',
    'model: {displayName: flowers}',
    'endpoint: {displayName: flowers}',
    'rollout: {canaryPercent: 10, steps: [50, 100], keepPrevious: 1}',
    'validation: {goldenSet: golden/flowers.jsonl}',
    '',
  ].join('\n'),
  'flowers.yaml',
);

const deployed = (id: string, version: string) => ({
  id,
  model: 'projects/p/locations/l/models/9',
  modelVersionId: version,
  displayName: `ferry-${id}`,
});

/** A run whose candidate serves `split` after `previousSplit`, on an endpoint in that state. */
function setUp(previousSplit: Record<string, number>, split: Record<string, number>) {
  const endpoints = new MemoryEndpoints();
  endpoints.operationPolls = 1;
  const ids = Object.keys(split);
  endpoints.add({
    name: ENDPOINT,
    trafficSplit: { ...split },
    deployedModels: ids.map((id) => deployed(id, id === CANDIDATE ? '2' : '1')),
  });
  const registry = new MemoryRegistry();
  registry.aliases.set(VERSION, ['v2', 'candidate']);
  const deps: RolloutDeps = { endpoints, registry, clock: fixedClock() };
  const run: RunRecord = sampleRun({
    state: 'deployed',
    // The canary (step -1); steps[0] (50 %) is next.
    step: -1,
    model: { name: 'projects/p/locations/l/models/9', versionId: '2', versionName: VERSION, servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: { deployedModelId: CANDIDATE, previousSplit, split },
  });
  return { endpoints, registry, deps, run };
}

describe('rollout actions: what a passed or failed gate does to the endpoint', () => {
  describe('stepUp', () => {
    it("gives the candidate the next step's share, scaling the others from the endpoint's current split", async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      const next = await stepUp(t.deps, t.run, workflow, 'validated at 10 %');
      expect(t.endpoints.calls).toEqual([`setSplit {"${INCUMBENT}":50,"${CANDIDATE}":50}`]);
      expect(next).toMatchObject({
        state: 'deployed',
        step: 0,
        deployment: { split: { [INCUMBENT]: 50, [CANDIDATE]: 50 } },
      });
      expect(next.timeline.at(-1)?.detail).toBe('validated at 10 %; traffic to 50 %');
    });

    it('lets a busy endpoint throw (retried), changing nothing on the run', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      await t.endpoints.undeploy(ENDPOINT, INCUMBENT, { [CANDIDATE]: 100 }).catch(() => undefined);
      const busy = await stepUp(t.deps, t.run, workflow, 'validated').catch((e: unknown) => e);
      expect(busy).toBeInstanceOf(PortError);
      expect((busy as PortError).kind).toBe('busy');
    });
  });

  describe('promote', () => {
    it('moves nothing yet: the run enters promoting, whose steps move default and retire old versions', () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [CANDIDATE]: 100 });
      const next = promote(t.deps, { ...t.run, step: 1 }, workflow, 'validated at 100 %');
      expect(t.endpoints.calls).toEqual([]);
      expect(t.registry.aliases.get(VERSION)).toEqual(['v2', 'candidate']);
      expect(next).toMatchObject({ state: 'promoting', promotion: { defaultMoved: false }, pendingOperations: [] });
      expect(next.timeline.at(-1)?.detail).toContain('keeping 1 previous good version');
    });
  });

  describe('rollBack', () => {
    it('restores the exact previous split at once, marks the version rejected, and undeploys the candidate', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      const next = await rollBack(t.deps, t.run, 'rejected at 10 %: match 40 %');
      expect(t.endpoints.calls).toEqual([`setSplit {"${INCUMBENT}":100}`, `undeploy ${CANDIDATE}`]);
      expect(t.registry.aliases.get(VERSION)).toEqual(['v2', 'rejected']);
      expect(next).toMatchObject({
        state: 'rolling-back',
        rollbackOutcome: 'rejected',
        pendingOperations: [expect.any(String)],
      });
      expect(next.timeline.at(-1)?.detail).toBe(
        `rejected at 10 %: match 40 %; split restored to {"${INCUMBENT}":100}; undeploying the candidate`,
      );
    });

    it('ends failed, not rejected, when the weather stopped validation: the version is not labelled rejected', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      const next = await rollBack(t.deps, t.run, 'validation could not finish', 'failed');
      expect(t.registry.aliases.get(VERSION)).toEqual(['v2']);
      expect(next).toMatchObject({ state: 'rolling-back', rollbackOutcome: 'failed' });
    });

    it('takes a first model off an empty endpoint by undeploying it (Vertex refuses an empty split)', async () => {
      const t = setUp({}, { [CANDIDATE]: 100 });
      const next = await rollBack(t.deps, t.run, 'rejected at 100 %');
      expect(t.endpoints.calls).toEqual([`undeploy ${CANDIDATE}`]);
      expect(next.timeline.at(-1)?.detail).toContain('no traffic (it was the first model)');
    });

    it('ends at once when an earlier attempt already undeployed the candidate', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 100 });
      const next = await rollBack(t.deps, t.run, 'rejected at 10 %');
      expect(t.endpoints.calls).toEqual([`setSplit {"${INCUMBENT}":100}`]);
      expect(next).toMatchObject({ state: 'rejected', pendingOperations: [] });
      expect(next.timeline.map((e) => e.state)).toEqual(['deployed', 'rolling-back', 'rejected']);
    });

    it('treats a not-found undeploy (a duplicate got there first) as done', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      t.endpoints.refuseUndeploy.set(CANDIDATE, new PortError('not-found', 'not deployed'));
      const next = await rollBack(t.deps, t.run, 'rejected at 10 %');
      expect(next.state).toBe('rejected');
    });

    it('lets a transient refusal throw, so the stage is retried with the split already restored', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 90, [CANDIDATE]: 10 });
      t.endpoints.refuseUndeploy.set(CANDIDATE, new PortError('busy', 'busy'));
      await expect(rollBack(t.deps, t.run, 'rejected at 10 %')).rejects.toMatchObject({ kind: 'busy' });
      expect((await t.endpoints.get(ENDPOINT)).trafficSplit).toEqual({ [INCUMBENT]: 100 });
    });

    it('refuses a run with no deployment to act on, naming the run', async () => {
      const t = setUp({ [INCUMBENT]: 100 }, { [INCUMBENT]: 100 });
      await expect(rollBack(t.deps, { ...t.run, deployment: undefined }, 'x')).rejects.toThrow(
        'run flowers-7-abc has no deployment to act on',
      );
    });
  });
});
