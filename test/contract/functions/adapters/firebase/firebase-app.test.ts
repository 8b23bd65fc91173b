import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { deleteApp } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import {
  createEmulatorAgent,
  FIREBASE_ML_EMULATOR_ENV,
  getFirebaseApp,
} from '../../../../../functions/adapters/firebase/firebase-app';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../../emulators/firebase-ml/firebase-ml-emulator';

const E = FIREBASE_ML_EMULATOR_ENV;

describe('getFirebaseApp', () => {
  let emulator: FirebaseMlEmulator;
  beforeAll(async () => {
    emulator = await startFirebaseMlEmulator({
      projectId: 'ferry-adapter',
      readObject: async () => new Uint8Array(0),
      validationDelayMs: 0,
    });
  });
  afterAll(() => emulator.stop());

  test('without emulator variables it is the default app with application default credentials, created once', async () => {
    const app = getFirebaseApp({});
    expect(app.name).toBe('[DEFAULT]');
    expect(getFirebaseApp({})).toBe(app);
    await deleteApp(app);
  });

  test('with the emulator variables the unmodified SDK reaches the emulator, authenticated by its token endpoint', async () => {
    const app = getFirebaseApp({ ...emulator.env });
    expect(getFirebaseApp({ ...emulator.env })).toBe(app);
    expect(app.options.projectId).toBe('ferry-adapter');
    const created = await getMachineLearning(app).createModel({ displayName: 'adapter_check' });
    expect(emulator.models().map((m) => m.name)).toContain(`projects/ferry-adapter/models/${created.modelId}`);
    await deleteApp(app);
  });

  test('a failing token endpoint surfaces as a credential error naming the exchange', async () => {
    const other = await startFirebaseMlEmulator({
      projectId: 'ferry-adapter',
      readObject: async () => new Uint8Array(0),
    });
    try {
      other.faults.failNext('token', 1, 503, 'token backend down');
      const app = getFirebaseApp({ ...other.env });
      await expect(getMachineLearning(app).listModels()).rejects.toThrow(
        /token exchange at https:\/\/oauth2\.googleapis\.com\/token failed \(HTTP 503\)/,
      );
      await deleteApp(app);
    } finally {
      await other.stop();
    }
  });

  describe('refuses a broken emulator configuration with a message naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-firebase-app-'));
    const notJson = join(dir, 'not-json.json');
    const noKey = join(dir, 'no-key.json');
    writeFileSync(notJson, '{ nope');
    writeFileSync(noKey, JSON.stringify({ project_id: 'p', client_email: 'a@p.iam.gserviceaccount.com' }));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    // A host no app has been created for, so each case reaches the configuration checks.
    const good = (): Record<string, string> => ({ ...emulator.env, [E.host]: '127.0.0.1:9' });
    test.each([
      [
        'host without port',
        () => ({ ...good(), [E.host]: '127.0.0.1' }),
        new RegExp(`${E.host}=.*expected 127.0.0.1:PORT`),
      ],
      ['port out of range', () => ({ ...good(), [E.host]: '127.0.0.1:70000' }), /expected 127.0.0.1:PORT/],
      ['CA not set', () => ({ ...good(), [E.ca]: '' }), new RegExp(`${E.ca} is not set`)],
      ['CA missing', () => ({ ...good(), [E.ca]: join(dir, 'gone.pem') }), new RegExp(`${E.ca}=.*cannot read`)],
      ['key file not set', () => ({ ...good(), [E.credentials]: '' }), new RegExp(`${E.credentials} is not set`)],
      ['key file not JSON', () => ({ ...good(), [E.credentials]: notJson }), /not JSON/],
      ['key file without private_key', () => ({ ...good(), [E.credentials]: noKey }), /private_key is missing/],
    ])('%s', (_label, env, message) => {
      expect(() => getFirebaseApp(env())).toThrow(message);
    });
  });
});

describe('createEmulatorAgent', () => {
  let emulator: FirebaseMlEmulator;
  beforeAll(async () => {
    emulator = await startFirebaseMlEmulator({ projectId: 'ferry-agent', readObject: async () => new Uint8Array(0) });
  });
  afterAll(() => emulator.stop());

  function get(url: string, caPem: string): Promise<number> {
    const agent = createEmulatorAgent('127.0.0.1', emulator.port, caPem, { keepAlive: false });
    return new Promise<number>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    }).finally(() => agent.destroy());
  }

  test('routes a googleapis.com URL to the emulator, verifying TLS for that host name', async () => {
    expect(await get('https://firebaseml.googleapis.com/v1beta2/projects/ferry-agent/models', emulator.caPem)).toBe(
      401,
    );
  });

  test('a host the certificate does not cover fails TLS verification', async () => {
    await expect(get('https://example.com/', emulator.caPem)).rejects.toThrow(/altnames/i);
  });

  test('another CA fails TLS verification', async () => {
    const other = await startFirebaseMlEmulator({ projectId: 'x', readObject: async () => new Uint8Array(0) });
    try {
      await expect(get('https://firebaseml.googleapis.com/', other.caPem)).rejects.toThrow(/self.signed|certificate/i);
    } finally {
      await other.stop();
    }
  });
});
