import { getRemoteConfig } from 'firebase-admin/remote-config';
import { seedRolloutParameters } from '../../../../cli/stack/seed-rollout-parameters';
import { parseWorkflow } from '../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../functions/core/workflow/workflow-set';
import { startRemoteConfig, type RemoteConfigFixture } from '../../../helpers/remote-config-emulator';

/** A TFLite workflow, staged through `parameter` when given. */
function mobileWorkflow(name: string, modelName: string, parameter?: string): string {
  return [
    `name: ${name}`,
    `match: mobile/${name}/{version}/model.tflite`,
    'artifact: tflite',
    'validation: { goldenSet: golden/m.jsonl, gates: { minMatchRate: 1 } }',
    `mobile: { modelName: ${modelName}, channels: { firebaseMl: true }${parameter ? `, rollout: { parameter: ${parameter}, steps: [5, 100], every: 1h }` : ''} }`,
    '',
  ].join('\n');
}

const workflows = new WorkflowSet([
  parseWorkflow(mobileWorkflow('phones', 'phones_model', 'phones_model_name'), 'phones.yaml'),
  parseWorkflow(mobileWorkflow('watches', 'watches_model', 'watches_model_name'), 'watches.yaml'),
  parseWorkflow(mobileWorkflow('tablets', 'tablets_model'), 'tablets.yaml'),
]);

describe("seedRolloutParameters (ferry up's local Remote Config, through firebase-admin)", () => {
  let fx: RemoteConfigFixture;
  beforeEach(async () => {
    fx = await startRemoteConfig();
  });
  afterEach(() => fx.stop());

  it("creates each staged workflow's missing parameter, defaulting to its Firebase ML model, in one publish", async () => {
    const seeded = await seedRolloutParameters(fx.app, workflows);
    expect(seeded).toEqual([
      { parameter: 'phones_model_name', value: 'phones_model', workflow: 'phones' },
      { parameter: 'watches_model_name', value: 'watches_model', workflow: 'watches' },
    ]);
    const template = await getRemoteConfig(fx.app).getTemplate();
    expect(template.version?.versionNumber).toBe('1');
    expect(Object.keys(template.parameters).sort()).toEqual(['phones_model_name', 'watches_model_name']);
    expect(template.parameters.phones_model_name).toMatchObject({
      defaultValue: { value: 'phones_model' },
      valueType: 'STRING',
      description: expect.stringContaining('workflow phones'),
    });
  });

  it('leaves parameters that exist (top level or in a group) as they are, and publishes nothing when none is missing', async () => {
    const remoteConfig = getRemoteConfig(fx.app);
    const template = await remoteConfig.getTemplate();
    template.parameters.phones_model_name = { defaultValue: { value: 'phones_v3' }, valueType: 'STRING' };
    template.parameterGroups.wearables = {
      parameters: { watches_model_name: { defaultValue: { value: 'watches_v2' }, valueType: 'STRING' } },
    };
    await remoteConfig.publishTemplate(template);
    expect(await seedRolloutParameters(fx.app, workflows)).toEqual([]);
    const after = await remoteConfig.getTemplate();
    expect(after.version?.versionNumber).toBe('1');
    expect(after.parameters.phones_model_name.defaultValue).toEqual({ value: 'phones_v3' });
    // Twice in a row (a --data-dir stack started again): still nothing new.
    expect(await seedRolloutParameters(fx.app, workflows)).toEqual([]);
  });

  it('does not touch Remote Config when no workflow is staged', async () => {
    const unstaged = new WorkflowSet([parseWorkflow(mobileWorkflow('tablets', 'tablets_model'), 'tablets.yaml')]);
    expect(await seedRolloutParameters(fx.app, unstaged)).toEqual([]);
    expect((await getRemoteConfig(fx.app).getTemplate()).version).toBeUndefined();
  });
});
