import { classifyError, isPortError, PortError } from '../../../../../functions/core/errors';
import { FirebaseRemoteConfigTemplates } from '../../../../../functions/adapters/firebase/remote-config-templates';
import type { RemoteConfigTemplate } from '../../../../../functions/pipeline/ports';
import { useEmulatorAsDefaultApp } from '../../../../../emulators/firebase-ml/sdk-app';
import { remoteConfigTemplates } from '../../../../../functions/entry/wiring';
import { startRemoteConfig, type RemoteConfigFixture } from '../../../../helpers/remote-config-emulator';

/** ferry's 5 % step: a seeded percent condition pointing flowers_model at the candidate. */
function withRollout(template: RemoteConfigTemplate, percent = 5): RemoteConfigTemplate {
  return {
    ...template,
    conditions: [
      ...template.conditions,
      { name: 'ferry_rollout', expression: `percent('run-1') between 0 and ${percent}` },
    ],
    parameters: {
      ...template.parameters,
      flowers_model: {
        defaultValue: { value: 'flowers_v1' },
        conditionalValues: { ferry_rollout: { value: 'flowers_v2' } },
      },
    },
  };
}

async function portError(promise: Promise<unknown>): Promise<PortError> {
  const error = await promise.catch((e: unknown) => e);
  if (!isPortError(error)) throw new Error(`expected a PortError, got ${String(error)}`);
  return error;
}

describe('FirebaseRemoteConfigTemplates (firebase-admin against the Remote Config emulator)', () => {
  let fx: RemoteConfigFixture;
  let templates: FirebaseRemoteConfigTemplates;
  beforeEach(async () => {
    fx = await startRemoteConfig();
    templates = new FirebaseRemoteConfigTemplates(() => fx.app);
  });
  afterEach(() => fx.stop());

  test('get: a JSON-safe template with its ETag (empty lists and maps for a project that never published)', async () => {
    const template = await templates.get();
    expect(template).toEqual({
      conditions: [],
      parameters: {},
      parameterGroups: {},
      etag: `etag-${fx.remoteConfig.projectNumber}-0`,
    });
    expect(JSON.parse(JSON.stringify(template))).toEqual(template);
  });

  test('publish validates, then publishes with the read ETag as If-Match (never *), with the description', async () => {
    const read = await templates.get();
    const published = await templates.publish(withRollout(read), 'ferry run-1: flowers 5%');
    expect(published.etag).toBe(`etag-${fx.remoteConfig.projectNumber}-1`);
    expect(published.version).toMatchObject({ versionNumber: '1', description: 'ferry run-1: flowers 5%' });
    expect(published.parameters.flowers_model.conditionalValues).toEqual({ ferry_rollout: { value: 'flowers_v2' } });
    const writes = fx.remoteConfig.calls().filter((c) => c.method !== 'remoteConfig.get');
    expect(writes.map((c) => [c.method, c.ifMatch])).toEqual([
      ['remoteConfig.validate', read.etag],
      ['remoteConfig.update', read.etag],
    ]);
    const widened = await templates.publish({ ...published, conditions: withRollout(read, 25).conditions });
    expect(widened.conditions[0].expression).toBe("percent('run-1') between 0 and 25");
  });

  test('a console edit since the read: PortError conflict (permanent), and the edit is not overwritten', async () => {
    const read = await templates.get();
    fx.remoteConfig.editAsConsole((content) => ({
      ...content,
      parameters: { welcome: { defaultValue: { value: 'hello' } } },
    }));
    const error = await portError(templates.publish(withRollout(read)));
    expect(error.kind).toBe('conflict');
    expect(error.message).toMatch(/VERSION_MISMATCH.*read it again and reapply/);
    expect(classifyError(error)).toBe('permanent');
    const now = await templates.get();
    expect(Object.keys(now.parameters)).toEqual(['welcome']);
    // Re-read and reapply keeps the console's parameter and adds ferry's.
    const reapplied = await templates.publish(withRollout(now));
    expect(Object.keys(reapplied.parameters).sort()).toEqual(['flowers_model', 'welcome']);
  });

  test("a template the service refuses: PortError invalid with the service's message; nothing published", async () => {
    const read = await templates.get();
    const broken = withRollout(read);
    broken.conditions = [];
    const error = await portError(templates.publish(broken));
    expect(error.kind).toBe('invalid');
    expect(error.message).toMatch(
      /\[VALIDATION_ERROR\]: parameter 'flowers_model' has a conditional value for condition 'ferry_rollout'/,
    );
    expect(fx.remoteConfig.versions()).toEqual([]);
  });

  test('429 and 5xx: PortError busy (transient); 503s firebase-admin retries itself first', async () => {
    fx.remoteConfig.faults.failNext('remoteConfig.get', 1, 429);
    const quota = await portError(templates.get());
    expect(quota.kind).toBe('busy');
    expect(classifyError(quota)).toBe('transient');
    const read = await templates.get();
    fx.remoteConfig.faults.failNext('remoteConfig.update', 1, 500);
    expect((await portError(templates.publish(withRollout(read)))).kind).toBe('busy');
    fx.remoteConfig.faults.failNext('remoteConfig.update', 1, 503);
    await expect(templates.publish(withRollout(read))).resolves.toMatchObject({ version: { versionNumber: '1' } });
  });

  test("a publish whose response was lost: firebase-admin's own retry meets the new ETag, so conflict; the template holds ferry's change", async () => {
    // The caller re-reads on conflict and finds its change already there: nothing is applied twice.
    const read = await templates.get();
    fx.remoteConfig.faults.duplicateNext('remoteConfig.update', 1);
    const error = await portError(templates.publish(withRollout(read)));
    expect(error.kind).toBe('conflict');
    const now = await templates.get();
    expect(now.version?.versionNumber).toBe('1');
    expect(now.parameters.flowers_model.conditionalValues).toEqual({ ferry_rollout: { value: 'flowers_v2' } });
  });

  test('the service unreachable: PortError busy', async () => {
    await templates.get();
    await fx.emulator.stop();
    const error = await portError(templates.get());
    expect(error.kind).toBe('busy');
  });

  test("the wiring's remoteConfigTemplates() works on the process's default Firebase app, as a stack sets it", async () => {
    const release = await useEmulatorAsDefaultApp({ ...fx.emulator.env });
    try {
      fx.remoteConfig.editAsConsole((content) => ({
        ...content,
        parameters: { welcome: { defaultValue: { value: 'hi' } } },
      }));
      const template = await remoteConfigTemplates().get();
      expect(template.etag).toBe(`etag-${fx.remoteConfig.projectNumber}-1`);
      expect(Object.keys(template.parameters)).toEqual(['welcome']);
    } finally {
      await release();
    }
  });
});
