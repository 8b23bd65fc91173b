import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { percentExpression, rolloutSeed } from '../../../../../functions/core/mobile/rollout-template';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import { abortRun } from '../../../../../functions/pipeline/operator/abort-run';
import { rollbackMobileRollout } from '../../../../../functions/pipeline/operator/rollback-mobile';
import type { MobileChannel, MobileRelease } from '../../../../../functions/pipeline/ports';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { publishMobileStage } from '../../../../../functions/pipeline/stages/publish-mobile';
import { reconcile, type ReconcileDeps } from '../../../../../functions/pipeline/stages/reconcile';
import {
  fixedClock,
  MemoryDocuments,
  MemoryObjects,
  MemoryPublisher,
  MemoryRuns,
  silentLogger,
} from '../../../../helpers/memory-ports';
import { MemoryRemoteConfig, MemoryRolloutManifest } from '../../../../helpers/memory-remote-config';
import { sampleRun } from '../../../../helpers/sample-run';

const file = join(__dirname, '..', '..', '..', '..', '..', 'workflows', 'flowers-mobile-staged.yaml');
const workflows = new WorkflowSet([parseWorkflow(readFileSync(file, 'utf8'), 'flowers-mobile-staged.yaml')]);
const DAY = 86_400_000;
const CONDITION = 'ferry_flowers_model_rollout';

function initialTemplate() {
  return {
    conditions: [{ name: 'android', expression: "device.os == 'android'" }],
    parameters: {
      flowers_model: { defaultValue: { value: 'flowers_staged_v7' } },
      welcome_text: { defaultValue: { value: 'hello' } },
    },
    parameterGroups: {},
  };
}

function setUp() {
  const clock = fixedClock('2026-11-30T10:00:00Z');
  const runs = new MemoryRuns();
  const templates = new MemoryRemoteConfig(initialTemplate());
  const manifest = new MemoryRolloutManifest();
  const mlReleases: MobileRelease[] = [];
  const ml: MobileChannel = {
    name: 'firebaseMl',
    publish: async (release) => (mlReleases.push(release), `Firebase ML model "${release.modelName}" published`),
  };
  const objects = new MemoryObjects({
    'mobile/flowers-staged/8/model.tflite': 'tflite bytes',
    'golden/flowers-mobile.jsonl': '{"instance": [1], "expected": [2.5]}\n',
  });
  const mobileRollout = { templates, manifest, clock };
  const deps: ReconcileDeps = {
    runs,
    publisher: new MemoryPublisher(),
    clock,
    log: silentLogger(),
    leases: new MemoryDocuments(),
    workflows,
    mobileRollout,
  };
  const publish = publishMobileStage({
    objects,
    runner: { predict: async () => [[2.5]] },
    channels: [ml],
    workflows,
    clock,
    elapsedMs: () => 0,
    mobileRollout,
  });
  const run: RunRecord = sampleRun({
    runId: 'flowers-mobile-staged.8.1',
    workflow: 'flowers-mobile-staged',
    kind: 'tflite',
    root: 'mobile/flowers-staged/8/model.tflite',
    version: '8',
    state: 'checked',
  });
  const state = async () => (await runs.get(run.runId))!.value;
  const start = async () => {
    await runs.create(run);
    await runStage(deps, run.runId, publish);
  };
  return { clock, runs, templates, manifest, mlReleases, deps, run, state, start, publish };
}

describe('staged mobile rollout through Remote Config', () => {
  it('starts at 5 %: candidate under its own Firebase ML name, manifest entry, condition first', async () => {
    const t = setUp();
    await t.start();
    const run = await t.state();
    expect(run.state).toBe('rolling-out');
    expect(run.step).toBe(0);
    expect(t.mlReleases.map((r) => r.modelName)).toEqual(['flowers_staged_v8']);
    const seed = rolloutSeed(run.runId);
    const template = t.templates.peek();
    expect(template.conditions).toEqual([
      { name: CONDITION, expression: percentExpression(seed, 5) },
      { name: 'android', expression: "device.os == 'android'" },
    ]);
    expect(template.parameters.flowers_model).toEqual({
      defaultValue: { value: 'flowers_staged_v7' },
      conditionalValues: { [CONDITION]: { value: 'flowers_staged_v8' } },
    });
    expect(t.manifest.manifests.get('flowers_staged')?.rollout).toMatchObject({
      percent: 5,
      seed,
      parameter: 'flowers_model',
      candidate: { version: '8', object: 'models/flowers_staged/8/model.tflite', firebaseMlModel: 'flowers_staged_v8' },
    });
    expect(run.mobile?.rollout).toMatchObject({
      percent: 5,
      seed,
      before: { defaultValue: { value: 'flowers_staged_v7' } },
      nextStepAt: new Date(Date.parse('2026-11-30T10:00:00Z') + DAY).toISOString(),
      templateVersions: ['2'],
    });
  });

  it('widens 5 → 25 → 100 one `every` apart, keeping a console edit, and ends published', async () => {
    const t = setUp();
    await t.start();
    expect((await reconcile(t.deps)).widened).toEqual([]); // not due yet
    t.templates.consoleEdit((template) => {
      template.parameters.welcome_text = { defaultValue: { value: 'hi from the console' } };
    });
    t.clock.advance(DAY);
    expect((await reconcile(t.deps)).widened).toEqual([t.run.runId]);
    expect((await t.state()).mobile?.rollout?.percent).toBe(25);
    expect(t.templates.peek().conditions[0].expression).toBe(percentExpression(rolloutSeed(t.run.runId), 25));
    expect(t.manifest.manifests.get('flowers_staged')?.rollout?.percent).toBe(25);
    expect((await t.state()).mobile?.channels.firebaseStorage.detail).toBe(
      "models/flowers_staged/8/model.tflite: the manifest's rollout entry offers it to 25 % of app instances",
    );
    t.clock.advance(DAY);
    await reconcile(t.deps);
    const done = await t.state();
    expect(done.state).toBe('published');
    expect(done.mobile?.rollout?.templateVersions).toEqual(['2', '4', '5']);
    expect(done.mobile?.channels.firebaseStorage.detail).toBe(
      "models/flowers_staged/8/model.tflite is the manifest's current version (the rollout reached 100 %)",
    );
    const template = t.templates.peek();
    expect(template.conditions).toEqual([{ name: 'android', expression: "device.os == 'android'" }]);
    expect(template.parameters.flowers_model).toEqual({ defaultValue: { value: 'flowers_staged_v8' } });
    expect(template.parameters.welcome_text).toEqual({ defaultValue: { value: 'hi from the console' } });
    expect(t.manifest.manifests.get('flowers_staged')).toEqual({ current: '8', runId: t.run.runId });
    expect((await reconcile(t.deps)).widened).toEqual([]); // nothing left to do
  });

  it('changes nothing on duplicate and late step calls', async () => {
    const t = setUp();
    await t.start();
    t.clock.advance(DAY);
    await Promise.all([reconcile(t.deps), reconcile(t.deps)]);
    expect((await t.state()).step).toBe(1);
    const versions = t.templates.history.length;
    await reconcile(t.deps); // the same step again: not due for another day
    await runStage(t.deps, t.run.runId, t.publish); // a late publishMobile delivery
    expect(t.templates.history.length).toBe(versions);
    expect((await t.state()).mobile?.rollout?.percent).toBe(25);
    expect(t.mlReleases).toHaveLength(1);
  });

  it('re-reads and reapplies when a console edit races the publish (ETag conflict)', async () => {
    const t = setUp();
    t.templates.editAfterNextGet((template) => {
      template.conditions.push({ name: 'beta', expression: "app.userProperty['beta'] == 'yes'" });
    });
    await t.start();
    const template = t.templates.peek();
    expect(template.conditions.map((c) => c.name)).toEqual([CONDITION, 'android', 'beta']);
    expect((await t.state()).state).toBe('rolling-out');
  });

  it('hands the delivery back when Remote Config is busy, and stops with the reason on a hand edit of its condition', async () => {
    const t = setUp();
    await t.runs.create(t.run);
    t.templates.failNext('busy');
    await expect(runStage(t.deps, t.run.runId, t.publish)).rejects.toThrow(/injected busy/);
    expect((await t.state()).state).toBe('checked');
    await runStage(t.deps, t.run.runId, t.publish);
    expect((await t.state()).state).toBe('rolling-out');
    t.templates.consoleEdit((template) => {
      template.conditions[0].expression = percentExpression(rolloutSeed(t.run.runId), 50);
    });
    t.clock.advance(DAY);
    await reconcile(t.deps);
    const stopped = await t.state();
    expect(stopped.state).toBe('failed');
    expect(stopped.reason).toMatch(
      /condition "ferry_flowers_model_rollout" was changed by hand to "percent\('ferry-[0-9a-f]+'\) between 0 and 50" \(ferry set .* between 0 and 5"\); ferry stops rather than overwrite it/,
    );
    expect(t.templates.peek().conditions[0].expression).toMatch(/between 0 and 50$/);
  });

  it('restores ferry’s part and ends failed when Remote Config refuses a step (invalid)', async () => {
    const t = setUp();
    await t.start();
    t.clock.advance(DAY);
    t.templates.failNext('invalid');
    await reconcile(t.deps);
    const ended = await t.state();
    expect(ended.state).toBe('failed');
    expect(ended.reason).toMatch(
      /Remote Config refused the 25 % step: Remote Config: injected invalid; Remote Config "flowers_model" restored as before the rollout/,
    );
    const template = t.templates.peek();
    expect(template.conditions).toEqual(initialTemplate().conditions);
    expect(template.parameters.flowers_model).toEqual(initialTemplate().parameters.flowers_model);
    expect(t.manifest.manifests.get('flowers_staged')?.rollout).toBeUndefined();
  });

  it('ferry abort restores the parameter exactly, keeps concurrent edits, and clears the manifest entry', async () => {
    const t = setUp();
    await t.start();
    t.clock.advance(DAY);
    await reconcile(t.deps);
    t.templates.consoleEdit((template) => {
      template.parameters.new_flag = { defaultValue: { value: 'on' } };
    });
    const result = await abortRun(t.deps, t.run.runId, { by: 'ana', reason: 'crash reports' });
    expect(result.result).toBe('aborted');
    const ended = await t.state();
    expect(ended.reason).toMatch(
      /aborted by ana \(crash reports\); Remote Config "flowers_model" restored as before the rollout \(template version \d+\)/,
    );
    const template = t.templates.peek();
    const expected = initialTemplate();
    expect(template.conditions).toEqual(expected.conditions);
    expect(template.parameters.flowers_model).toEqual(expected.parameters.flowers_model);
    expect(template.parameters.new_flag).toEqual({ defaultValue: { value: 'on' } });
    expect(t.manifest.manifests.get('flowers_staged')?.rollout).toBeUndefined();
    expect((await abortRun(t.deps, t.run.runId, { by: 'ana' })).result).toBe('already-ended');
  });

  it('refuses to abort a rolling-out run without Remote Config access', async () => {
    const t = setUp();
    await t.start();
    const { mobileRollout: _m, ...noRemoteConfig } = t.deps;
    const result = await abortRun(noRemoteConfig, t.run.runId, { by: 'ana' });
    expect(result).toMatchObject({ result: 'refused', why: expect.stringMatching(/no Remote Config access/) });
  });

  it('stops with a clear reason when the parameter does not exist', async () => {
    const t = setUp();
    t.templates.consoleEdit((template) => {
      delete template.parameters.flowers_model;
    });
    await t.start();
    const run = await t.state();
    expect(run.state).toBe('failed');
    expect(run.reason).toMatch(/no parameter "flowers_model": create it/);
    // Nothing was published for it: no candidate model in Firebase ML, no rollout in the manifest.
    expect(t.mlReleases).toEqual([]);
    expect(t.manifest.calls).toEqual([]);
  });

  describe('ferry rollback (after 100 %)', () => {
    const completed = async () => {
      const t = setUp();
      t.manifest.manifests.set('flowers_staged', { current: '7' });
      await t.start();
      t.clock.advance(DAY);
      await reconcile(t.deps);
      t.clock.advance(DAY);
      await reconcile(t.deps);
      expect((await t.state()).state).toBe('published');
      const rollback = () =>
        rollbackMobileRollout({ ...t.deps, mobileRollout: t.deps.mobileRollout! }, 'flowers-mobile-staged', {
          by: 'ana',
          reason: 'battery drain',
        });
      return { t, rollback };
    };

    it('restores the parameter from before the rollout, reverts the manifest, records a rolled-back run once', async () => {
      const { t, rollback } = await completed();
      t.templates.consoleEdit((template) => {
        template.parameters.new_flag = { defaultValue: { value: 'on' } };
      });
      const result = await rollback();
      expect(result.result).toBe('rolled-back');
      const run = result.result === 'rolled-back' ? result.run : undefined;
      expect(run).toMatchObject({ kind: 'rollback', state: 'rolled-back', outcome: 'rolled-back' });
      expect(run?.reason).toMatch(
        /Remote Config "flowers_model" as before v8 \(template version \d+\); manifest back at 7/,
      );
      const template = t.templates.peek();
      expect(template.parameters.flowers_model).toEqual(initialTemplate().parameters.flowers_model);
      expect(template.parameters.new_flag).toEqual({ defaultValue: { value: 'on' } });
      expect(t.manifest.manifests.get('flowers_staged')?.current).toBe('7');
      const versions = t.templates.history.length;
      expect((await rollback()).result).toBe('already-rolled-back');
      expect(t.templates.history.length).toBe(versions);
    });

    it('refuses when the parameter was changed since the rollout finished', async () => {
      const { t, rollback } = await completed();
      t.templates.consoleEdit((template) => {
        template.parameters.flowers_model.defaultValue = { value: 'flowers_hotfix' };
      });
      const result = await rollback();
      expect(result).toEqual({
        result: 'refused',
        why: expect.stringMatching(/"flowers_hotfix", not what the rollout left/),
      });
      expect(t.templates.peek().parameters.flowers_model.defaultValue).toEqual({ value: 'flowers_hotfix' });
    });

    it('refuses a rollout still under way, pointing at ferry abort', async () => {
      const t = setUp();
      await t.start();
      const result = await rollbackMobileRollout(
        { ...t.deps, mobileRollout: t.deps.mobileRollout! },
        'flowers-mobile-staged',
        {
          by: 'ana',
        },
      );
      expect(result).toEqual({
        result: 'refused',
        why: expect.stringMatching(/still rolling out \(5 %\): ferry abort/),
      });
    });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'reaches 100 %% exactly once under Remote Config 429/503, racing console edits and duplicate passes (seed %i)',
    async (seed) => {
      const random = mulberry32(seed);
      const t = setUp();
      await t.runs.create(t.run);
      const edits: string[] = [];
      const chaos = () => {
        if (random() < 0.4) t.templates.failNext('busy', 1 + Math.floor(random() * 2));
        if (random() < 0.4) {
          const name = `console_${edits.length}`;
          edits.push(name);
          t.templates.editAfterNextGet((template) => {
            template.parameters[name] = { defaultValue: { value: String(seed) } };
          });
        }
      };
      // publishMobile: redelivered until it goes through (Pub/Sub retries a thrown delivery).
      for (let delivery = 0; (await t.state()).state === 'checked'; delivery += 1) {
        expect(delivery).toBeLessThan(50);
        chaos();
        await runStage(t.deps, t.run.runId, t.publish).catch(() => undefined);
      }
      for (let tick = 0; (await t.state()).state === 'rolling-out'; tick += 1) {
        expect(tick).toBeLessThan(200);
        t.clock.advance(DAY / 4);
        chaos();
        const passes = random() < 0.5 ? 2 : 1;
        await Promise.all(Array.from({ length: passes }, () => reconcile(t.deps)));
        if (random() < 0.2) await runStage(t.deps, t.run.runId, t.publish); // a late duplicate
      }
      const done = await t.state();
      expect(done.state).toBe('published');
      const template = t.templates.peek();
      expect(template.conditions).toEqual(initialTemplate().conditions);
      expect(template.parameters.flowers_model).toEqual({ defaultValue: { value: 'flowers_staged_v8' } });
      for (const name of edits) expect(template.parameters[name]).toEqual({ defaultValue: { value: String(seed) } });
      // One template version per step, no more: retries and duplicates published nothing twice.
      const ferryVersions = t.templates.published.filter((p) => p.description?.startsWith('ferry '));
      expect(ferryVersions.map((p) => p.versionNumber)).toEqual(done.mobile?.rollout?.templateVersions);
      expect(ferryVersions).toHaveLength(3);
      expect(t.mlReleases.every((r) => r.modelName === 'flowers_staged_v8')).toBe(true);
    },
  );
});

/** A small seeded generator, so a failing seed can be run again. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
