import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp, getApps } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { FIREBASE_ML_EMULATOR_ENV } from '../../../../emulators/firebase-ml/client-config';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../emulators/firebase-ml/firebase-ml-emulator';
import { firebaseMlEmulatorApp, useEmulatorAsDefaultApp } from '../../../../emulators/firebase-ml/sdk-app';
import { getFirebaseApp } from '../../../../functions/adapters/firebase/firebase-app';

const E = FIREBASE_ML_EMULATOR_ENV;
const start = (projectId: string): Promise<FirebaseMlEmulator> =>
  startFirebaseMlEmulator({ projectId, readObject: async () => new Uint8Array(0), validationDelayMs: 0 });

describe('firebaseMlEmulatorApp', () => {
  let emulator: FirebaseMlEmulator;
  beforeAll(async () => {
    emulator = await start('ferry-adapter');
  });
  afterAll(() => emulator.stop());

  test('the unmodified SDK reaches the emulator over TLS, authenticated by its token endpoint', async () => {
    const app = firebaseMlEmulatorApp({ ...emulator.env });
    expect(firebaseMlEmulatorApp({ ...emulator.env })).toBe(app);
    expect(app.options.projectId).toBe('ferry-adapter');
    const created = await getMachineLearning(app).createModel({ displayName: 'adapter_check' });
    expect(emulator.models().map((m) => m.name)).toContain(`projects/ferry-adapter/models/${created.modelId}`);
    expect(emulator.calls().map((c) => c.method)).toContain('models.create');
    await deleteApp(app);
  });

  test('a failing token endpoint surfaces as a credential error naming the exchange', async () => {
    const other = await start('ferry-adapter');
    try {
      other.faults.failNext('token', 1, 503, 'token backend down');
      const app = firebaseMlEmulatorApp({ ...other.env });
      await expect(getMachineLearning(app).listModels()).rejects.toThrow(
        /token exchange at https:\/\/oauth2\.googleapis\.com\/token failed \(HTTP 503\)/,
      );
      await deleteApp(app);
    } finally {
      await other.stop();
    }
  });

  describe('refuses a broken emulator configuration with a message naming the variable and what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-firebase-app-'));
    const notJson = join(dir, 'not-json.json');
    const noKey = join(dir, 'no-key.json');
    writeFileSync(notJson, '{ nope');
    writeFileSync(noKey, JSON.stringify({ project_id: 'p', client_email: 'a@p.iam.gserviceaccount.com' }));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // A host no app has been created for, so each case reaches the configuration checks.
    const good = (): Record<string, string> => ({ ...emulator.env, [E.host]: '127.0.0.1:9' });
    test.each([
      ['host not set', () => ({ ...good(), [E.host]: '' }), new RegExp(`${E.host} is not set: start the`)],
      [
        'host without port',
        () => ({ ...good(), [E.host]: '127.0.0.1' }),
        new RegExp(`${E.host}=.*expected 127.0.0.1:PORT`),
      ],
      ['port out of range', () => ({ ...good(), [E.host]: '127.0.0.1:70000' }), /expected 127.0.0.1:PORT/],
      ['CA not set', () => ({ ...good(), [E.ca]: '' }), new RegExp(`${E.ca} is not set: .*point ${E.ca} at`)],
      [
        'CA missing',
        () => ({ ...good(), [E.ca]: join(dir, 'gone.pem') }),
        new RegExp(`${E.ca}=.*gone.pem: cannot read .*is the emulator still running`),
      ],
      ['key file not set', () => ({ ...good(), [E.credentials]: '' }), new RegExp(`${E.credentials} is not set`)],
      [
        'key file missing',
        () => ({ ...good(), [E.credentials]: join(dir, 'gone.json') }),
        new RegExp(`${E.credentials}=.*gone.json: cannot read`),
      ],
      [
        'key file not JSON',
        () => ({ ...good(), [E.credentials]: notJson }),
        new RegExp(`${E.credentials}=.*not-json.json: not JSON.*use the key file the emulator wrote`),
      ],
      [
        'key file without private_key',
        () => ({ ...good(), [E.credentials]: noKey }),
        new RegExp(`${E.credentials}=.*no-key.json: field private_key is missing`),
      ],
    ])('%s', (_label, env, message) => {
      expect(() => firebaseMlEmulatorApp(env())).toThrow(message);
    });
  });
});

/** Several local stacks run one after another in one process: each must own the default app while it runs. */
describe('useEmulatorAsDefaultApp', () => {
  test("makes the emulator's app the default one that getFirebaseApp() returns, replaced by the next and deleted on release", async () => {
    const [first, second] = [await start('ferry-first'), await start('ferry-second')];
    try {
      const releaseFirst = await useEmulatorAsDefaultApp({ ...first.env });
      const app = getFirebaseApp();
      expect(app.name).toBe('[DEFAULT]');
      await getMachineLearning(app).createModel({ displayName: 'first_model' });
      expect(first.models()).toHaveLength(1);

      const releaseSecond = await useEmulatorAsDefaultApp({ ...second.env });
      expect(getApps()).not.toContain(app);
      await getMachineLearning(getFirebaseApp()).createModel({ displayName: 'second_model' });
      expect(second.models()).toHaveLength(1);
      expect(first.models()).toHaveLength(1);

      await releaseFirst(); // no longer the default: leaves the second one alone
      expect(getFirebaseApp().options.projectId).toBe('ferry-second');
      await releaseSecond();
      expect(getApps().map((a) => a.name)).not.toContain('[DEFAULT]');
      await releaseSecond(); // twice is harmless (the stack may have deleted it already)
    } finally {
      await Promise.all(getApps().map((a) => deleteApp(a)));
      await first.stop();
      await second.stop();
    }
  });
});
