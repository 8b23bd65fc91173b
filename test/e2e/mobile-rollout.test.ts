import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { deleteApp, type App } from 'firebase-admin/app';
import { getRemoteConfig, type RemoteConfigTemplate } from 'firebase-admin/remote-config';
import { dropArtifact } from '../../cli/stack/drop-artifact';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { percentExpression, rolloutSeed } from '../../functions/core/mobile/rollout-template';
import { runIdFor } from '../../functions/core/run/run-id';
import type { RunState } from '../../functions/core/run/run-record';
import { ferryCli } from '../helpers/ferry-cli';
import { fixture } from '../helpers/fixtures';
import { putArtifact, readRun, stackStorage, writeWorkflows } from '../helpers/stack-io';
import { until } from '../helpers/until';

const staged = (name: string, every: string) =>
  [
    `name: ${name}`,
    `match: mobile/${name}/{version}/model.tflite`,
    'artifact: tflite',
    'validation: { goldenSet: golden/hpt.jsonl }',
    `mobile: { modelName: hpt_${name}, rollout: { parameter: hpt_model, steps: [5, 25, 100], every: ${every} } }`,
    '',
  ].join('\n');

/**
 * A staged mobile rollout on the local stack, Remote Config on its emulator through firebase-admin
 * (the functions' and a "console" app of this test's own): 5 → 25 → 100 with the reconciler
 * ticking, a console edit of another parameter made mid-rollout kept, and `ferry abort` putting
 * ferry's part of the template back exactly.
 */
describe('staged mobile rollout through Remote Config on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;
  let console: App;

  beforeAll(async () => {
    const dir = writeWorkflows({ fast: staged('fast', '4s'), slow: staged('slow', '1h') }, 'ferry-mobile-rollout-');
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    process.env.FERRY_OPERATOR = 'ana@ops';
    stack = await startLocalStack({ workflowsDir: dir, reconcileEveryMs: 500 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    await putArtifact(
      storage,
      stack,
      'golden/hpt.jsonl',
      '{"instance": {"x": [1]}, "expected": [2.5]}\n{"instance": {"x": [3]}, "expected": [3.5]}\n',
    );
    console = firebaseMlEmulatorApp(stack.cloud.env, 'e2e-console');
    await edit((template) => {
      template.parameters.hpt_model = { defaultValue: { value: 'hpt_fast_v1' } };
      template.parameters.welcome_text = { defaultValue: { value: 'hello' } };
    });
  }, 60_000);
  afterAll(async () => {
    delete process.env.FERRY_OPERATOR;
    delete process.env.FERRY_ARTIFACTS_BUCKET;
    if (console) await deleteApp(console);
    await stack?.stop();
  });

  /** A person editing the template in the console: read, change, publish with the ETag read. */
  async function edit(change: (template: RemoteConfigTemplate) => void): Promise<void> {
    const rc = getRemoteConfig(console);
    const template = await rc.getTemplate();
    change(template);
    await rc.publishTemplate(template);
  }
  const template = () => getRemoteConfig(console).getTemplate();
  const drop = async (workflow: string, version: string) => {
    const object = `mobile/${workflow}/${version}/model.tflite`;
    await dropArtifact(storage, stack.buckets.artifacts, fixture('tflite/half_plus_two.tflite'), object);
    return runIdFor(workflow, version, stack.buckets.artifacts, object);
  };
  const reach = (runId: string, state: RunState, percent?: number) =>
    until(`${runId} ${state}${percent ? ` at ${percent} %` : ''}`, async () => {
      const run = await readRun(storage, stack, runId);
      if (run?.outcome && run.state !== state) throw new Error(`${runId} ended ${run.state}: ${run.reason}`);
      if (run?.state !== state) return undefined;
      return percent === undefined || run.mobile?.rollout?.percent === percent ? run : undefined;
    });
  const manifest = async (modelName: string) =>
    JSON.parse(
      (await storage.bucket(stack.buckets.mobile).file(`models/${modelName}/manifest.json`).download())[0].toString(),
    );

  it('goes 5 → 25 → 100 %, keeping a console edit made mid-rollout', async () => {
    const runId = await drop('fast', '2');
    const seed = rolloutSeed(runId);
    const at5 = await reach(runId, 'rolling-out', 5);
    expect(at5.mobile?.rollout?.candidateValue).toBe('hpt_fast_v2');
    const first = await template();
    expect(first.conditions[0]).toMatchObject({
      name: 'ferry_hpt_model_rollout',
      expression: percentExpression(seed, 5),
    });
    expect(first.parameters.hpt_model.conditionalValues).toEqual({ ferry_hpt_model_rollout: { value: 'hpt_fast_v2' } });
    expect((await manifest('hpt_fast')).rollout).toMatchObject({ percent: 5, seed, candidate: { version: '2' } });

    await edit((t) => {
      t.parameters.welcome_text = { defaultValue: { value: 'hi from the console' } };
    });
    await reach(runId, 'rolling-out', 25);
    const done = await reach(runId, 'published');
    expect(done.mobile?.rollout?.templateVersions).toHaveLength(3);
    const last = await template();
    expect(last.conditions.map((c) => c.name)).not.toContain('ferry_hpt_model_rollout');
    expect(last.parameters.hpt_model).toEqual({ defaultValue: { value: 'hpt_fast_v2' } });
    expect(last.parameters.welcome_text).toEqual({ defaultValue: { value: 'hi from the console' } });
    expect(await manifest('hpt_fast')).toMatchObject({ version: '2' });

    const status = await ferryCli('status', runId);
    expect(status).toMatchObject({ code: 0, err: '' });
    expect(status.out).toContain('Remote Config "hpt_model": hpt_fast_v2 for 100 % of app instances');
  }, 120_000);

  it('ferry abort puts the parameter back exactly and keeps other edits', async () => {
    const before = (await template()).parameters.hpt_model;
    const runId = await drop('slow', '3');
    await reach(runId, 'rolling-out', 5);
    await edit((t) => {
      t.parameters.new_flag = { defaultValue: { value: 'on' } };
    });
    const aborted = await ferryCli('abort', runId, '--reason', 'crash reports');
    expect(aborted).toMatchObject({ code: 0, err: '' });
    expect(aborted.out).toMatch(/Remote Config "hpt_model" restored as before the rollout/);
    expect(aborted.out).toMatch(/; the next version of slow can roll out\n?$/);
    const after = await template();
    expect(after.parameters.hpt_model).toEqual(before);
    expect(after.conditions.map((c) => c.name)).not.toContain('ferry_hpt_model_rollout');
    expect(after.parameters.new_flag).toEqual({ defaultValue: { value: 'on' } });
    expect((await manifest('hpt_slow')).rollout).toBeUndefined();
    expect((await readRun(storage, stack, runId))?.state).toBe('aborted');
  }, 120_000);
});
