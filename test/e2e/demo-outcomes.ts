import { Storage } from '@google-cloud/storage';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { getRemoteConfig } from 'firebase-admin/remote-config';
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
    const expected = [
      ['models/flowers/1/', undefined, 'promoted'],
      ['models/flowers/2/', undefined, 'rejected'],
      ['models/flowers/3/', undefined, 'promoted'],
      ['models/flowers-reviewed/1/', undefined, 'promoted'],
      ['models/flowers-staged/1/', 'staging', 'promoted'],
      ['models/flowers-staged/1/', 'production', 'promoted'],
      ['mobile/flowers/1/model.tflite', undefined, 'published'],
      ['mobile/flowers/2/model.tflite', undefined, 'rejected'],
      ['mobile/flowers-staged/1/model.tflite', undefined, 'published'],
    ];
    // A run that ended otherwise shows its reason in the diff: the one line CI keeps of a failure.
    const ended = get().result.runs.map(({ scenario, run }, i) => [
      scenario.bucketPath,
      run.environment?.name,
      run.state === expected[i]?.[2] ? run.state : `${run.state}: ${run.reason}`,
    ]);
    expect(ended).toEqual(expected);
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

  it('promotes flowers-staged v1 in staging, then the same Model Registry version in production', () => {
    const [staging, production] = get()
      .result.runs.filter((r) => r.scenario.bucketPath === 'models/flowers-staged/1/')
      .map((r) => r.run);
    expect(production.promotedFrom).toBe(staging.runId);
    expect(production.model?.versionName).toBe(staging.model?.versionName);
    const state = get().result.stack.cloud.vertex.state();
    const splits = Object.fromEntries(
      state.endpoints
        .filter((e: { displayName: string }) => e.displayName.startsWith('flowers-staged-'))
        .map((e: { displayName: string; trafficSplit: Record<string, number> }) => [e.displayName, e.trafficSplit]),
    );
    expect(splits).toEqual({
      'flowers-staged-staging': { [staging.deployment?.deployedModelId as string]: 100 },
      'flowers-staged-production': { [production.deployment?.deployedModelId as string]: 100 },
    });
    const version = state.models
      .flatMap(
        (m: { versions: Array<{ versionId: string; versionAliases: string[]; labels: Record<string, string> }> }) =>
          m.versions.map((v) => ({ ...v, model: m })),
      )
      .find((v: { labels: Record<string, string> }) => v.labels.ferry_workflow?.startsWith('flowers-staged'));
    expect([...(version?.versionAliases ?? [])].sort()).toEqual(['default', 'production', 'staging', 'v1']);
    expect(get().stdout.join('\n')).toContain(
      `promoted in staging: the same version goes on in production (run ${production.runId})`,
    );
  });

  it('rolls the staged mobile model out 5 → 25 → 100 % through Remote Config, keeping the console edit', async () => {
    const staged = run('mobile/flowers-staged/1/model.tflite');
    expect(staged.timeline.filter((t) => t.state === 'rolling-out')).toHaveLength(2);
    expect(staged.mobile?.rollout?.templateVersions).toHaveLength(3);
    const app = firebaseMlEmulatorApp({ ...process.env, ...get().result.stack.cloud.env });
    const template = await getRemoteConfig(app).getTemplate();
    expect(template.conditions.map((c) => c.name)).not.toContain('ferry_flowers_model_rollout');
    expect(template.parameters.flowers_model.defaultValue).toEqual({ value: 'flowers_staged_v1' });
    expect(template.parameters.welcome_text.defaultValue).toEqual({ value: 'Spring flowers are in!' });
    const text = get().stdout.join('\n');
    expect(text).toMatch(/rolling-out at 5 %: .*between 0 and 5 → flowers_model = "flowers_staged_v1"/);
    expect(text).toMatch(/rolling-out at 25 %: .*between 0 and 25/);
  });

  it('prints a timeline per run', () => {
    const text = get().stdout.join('\n');
    expect(text).toMatch(/flowers-2-\w+ {2}savedmodel models\/flowers\/2\/ \(workflow flowers\) {2}✘ rejected/);
    expect(text).toMatch(/decision at 50 %: pass/);
  });
}
