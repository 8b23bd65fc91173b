import { Storage } from '@google-cloud/storage';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import type { DemoResult } from '../../cli/demo/run-demo';
import { firebaseMlEmulatorApp } from '../../emulators/firebase-ml/sdk-app';

/**
 * The demo's outcomes, checked from the outside through the official clients: one set of tests
 * for every Pub/Sub the demo runs on (ferry's emulator, Google's), so both must end the same way.
 * Call inside a describe whose beforeAll ran the demo; `get` reads its result and printed lines.
 */
export function demoOutcomeTests(get: () => { result: DemoResult; stdout: string[] }): void {
  const run = (bucketPath: string) => {
    const found = get().result.runs.find((r) => r.scenario.bucketPath === bucketPath);
    if (!found) throw new Error(`no run for ${bucketPath}`);
    return found.run;
  };

  it('ends every run as expected and leaves no dead letters', () => {
    expect(get().result.runs.map((r) => [r.scenario.bucketPath, r.run.state])).toEqual([
      ['models/flowers/1/', 'promoted'],
      ['models/flowers/2/', 'rejected'],
      ['models/flowers/3/', 'promoted'],
      ['models/flowers-reviewed/1/', 'promoted'],
      ['mobile/flowers/1/model.tflite', 'published'],
      ['mobile/flowers/2/model.tflite', 'rejected'],
    ]);
    expect(get().result.stack.deadLetters()).toEqual([]);
  });

  it('rejects v2 at the canary with the numbers behind it, and restores the v1 split exactly', () => {
    const v1 = run('models/flowers/1/');
    const v2 = run('models/flowers/2/');
    expect(v2.deployment?.previousSplit).toEqual({ [v1.deployment?.deployedModelId as string]: 100 });
    expect(v2.decisions?.[0]).toMatchObject({ passed: false, trafficPercent: 10 });
    expect(v2.decisions?.[0].candidate.matchRate).toBe(0);
    expect(v2.reason).toMatch(/match rate 0\.0 % is below 99\.0 %/);
    expect(v2.timeline.map((t) => t.state)).toEqual([
      'checked',
      'registered',
      'deploying',
      'deployed',
      'rolling-back',
      'rejected',
    ]);
  });

  it('promotes v3 through every traffic step and moves the default alias', () => {
    const v3 = run('models/flowers/3/');
    expect(v3.decisions?.map((d) => [d.trafficPercent, d.passed])).toEqual([
      [10, true],
      [50, true],
      [100, true],
    ]);
    const state = get().result.stack.cloud.vertex.state();
    const endpoint = state.endpoints.find((e) => e.displayName === 'flowers')!;
    expect(endpoint.trafficSplit).toEqual({ [v3.deployment?.deployedModelId as string]: 100 });
    const deployed = endpoint.deployedModels.map((d: { id: string }) => d.id).sort();
    const v1 = run('models/flowers/1/');
    // keepPrevious: 1 — v1 stays deployed without traffic; the rejected v2 is gone.
    expect(deployed).toEqual([v1.deployment?.deployedModelId, v3.deployment?.deployedModelId].sort());
    const versions = state.models.flatMap((m) => m.versions).filter((v) => v.labels.ferry_workflow === 'flowers');
    const aliases = Object.fromEntries(
      versions.map((v: { versionId: string; versionAliases: string[] }) => [v.versionId, [...v.versionAliases].sort()]),
    );
    expect(aliases).toEqual({ '1': ['v1'], '2': ['rejected', 'v2'], '3': ['default', 'v3'] });
  });

  it('holds flowers-reviewed v1 for a person, and promotes it once approved', () => {
    const reviewed = run('models/flowers-reviewed/1/');
    const states = reviewed.timeline.map((t) => t.state);
    expect(states.slice(0, 6)).toEqual([
      'checked',
      'registered',
      'deploying',
      'deployed',
      'awaiting-approval',
      'promoting',
    ]);
    expect(states.at(-1)).toBe('promoted');
    expect(reviewed.operatorActions).toEqual([
      expect.objectContaining({ verb: 'approve', reason: 'the demo approves, as a person would' }),
    ]);
    expect(get().stdout.join('\n')).toContain(`ferry approve ${reviewed.runId} --reason`);
    expect(get().stdout.join('\n')).toMatch(new RegExp(`run ${reviewed.runId} approved by .*: promoting it`));
  });

  it('publishes the validated TFLite model on both channels, and the corrupted one nowhere', async () => {
    const mobile = run('mobile/flowers/1/model.tflite');
    expect(Object.keys(mobile.mobile?.channels ?? {}).sort()).toEqual(['firebaseMl', 'firebaseStorage']);
    const ml = getMachineLearning(firebaseMlEmulatorApp({ ...process.env, ...get().result.stack.cloud.env }));
    const { models } = await ml.listModels({ filter: 'display_name = flowers_mobile' });
    expect(models).toHaveLength(1);
    expect(models[0].published).toBe(true);
    expect(models[0].tags).toEqual(expect.arrayContaining(['v1']));
    expect(models[0].tags).not.toContain('v2');
    const storage = new Storage({
      apiEndpoint: get().result.stack.cloud.storage.url,
      projectId: get().result.stack.cloud.projectId,
    });
    const [manifest] = await storage
      .bucket(get().result.stack.buckets.mobile)
      .file('models/flowers_mobile/manifest.json')
      .download();
    expect(JSON.parse(manifest.toString())).toMatchObject({
      version: '1',
      sha256: mobile.mobile?.sha256,
      object: 'models/flowers_mobile/1/model.tflite',
    });
    const [files] = await storage
      .bucket(get().result.stack.buckets.mobile)
      .getFiles({ prefix: 'models/flowers_mobile/2/' });
    expect(files).toHaveLength(0);
    expect(run('mobile/flowers/2/model.tflite').reason).toMatch(/not "TFL3"/);
  });

  it('prints a timeline per run', () => {
    const text = get().stdout.join('\n');
    expect(text).toMatch(/flowers-2-\w+ {2}savedmodel models\/flowers\/2\/ \(workflow flowers\) {2}✘ rejected/);
    expect(text).toMatch(/decision at 50 %: pass/);
  });
}
