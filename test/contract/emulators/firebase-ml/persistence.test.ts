import selfsigned from 'selfsigned';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp, type App } from 'firebase-admin/app';
import { getMachineLearning, type MachineLearning } from 'firebase-admin/machine-learning';
import { firebaseMlEmulatorApp } from '../../../../emulators/firebase-ml/sdk-app';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../emulators/firebase-ml/firebase-ml-emulator';
import { STATE_FILE } from '../../../../emulators/firebase-ml/persistence';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';

const PROJECT = 'ferry-persist';
const WAIT_MS = 20_000;
const uri = (name: string): string => `gs://ferry-mobile/mobile/${name}/model.tflite`;

/** Model files the emulator reads, shared by every emulator life in a test (the bucket outlives them). */
const objects = new Map<string, Uint8Array>([
  [uri('flowers'), writeExampleTflite({ a: 0.5, b: 2 })],
  [uri('birds'), writeExampleTflite({ a: 1, b: 1 })],
  [uri('slow'), writeExampleTflite({ a: 2, b: 0 })],
  [uri('broken'), new Uint8Array([1, 2, 3, 4])],
]);

function start(
  dataDir: string | undefined,
  extra: { port?: number; validationDelayMs?: number; projectId?: string; holdValidation?: boolean } = {},
): Promise<FirebaseMlEmulator> {
  return startFirebaseMlEmulator({
    projectId: PROJECT,
    validationDelayMs: 0,
    ...extra,
    dataDir,
    readObject: async (gsUri) => {
      const bytes = objects.get(gsUri);
      if (!bytes) throw new Error(`No such object: ${gsUri}`);
      return bytes;
    },
  });
}

describe('Firebase ML emulator state in dataDir', () => {
  let dataDir: string;
  const apps: App[] = [];
  const sdk = (emulator: FirebaseMlEmulator): MachineLearning => {
    const app = firebaseMlEmulatorApp({ ...emulator.env });
    if (!apps.includes(app)) apps.push(app);
    return getMachineLearning(app);
  };
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ferry-fbml-'));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => deleteApp(app)));
    await rm(dataDir, { recursive: true, force: true });
  });

  test('models come back listed and published; a client holding the old CA, key and token keeps working', async () => {
    const first = await start(dataDir);
    const ml = sdk(first);
    const flowers = await ml.createModel({
      displayName: 'flowers',
      tags: ['ferry', 'flowers'],
      tfliteModel: { gcsTfliteUri: uri('flowers') },
    });
    await ml.publishModel(flowers.modelId);
    const birds = await ml.createModel({
      displayName: 'birds',
      tags: ['ferry'],
      tfliteModel: { gcsTfliteUri: uri('birds') },
    });
    const broken = await ml.createModel({ displayName: 'broken', tfliteModel: { gcsTfliteUri: uri('broken') } });
    expect(broken.validationError).toMatch(/broken/);
    const before = (await ml.listModels({ pageSize: 100 })).models;
    const { caPem, caPath, serviceAccountPath, port } = first;
    const keyFile = await readFile(serviceAccountPath, 'utf8');
    await first.stop();

    const second = await start(dataDir, { port });
    try {
      expect([second.caPem, second.caPath, second.serviceAccountPath]).toEqual([caPem, caPath, serviceAccountPath]);
      expect(await readFile(serviceAccountPath, 'utf8')).toBe(keyFile);
      // The same SDK app: its agent trusts the CA it read before the restart, and it reuses its cached token.
      expect(sdk(second)).toBe(ml);
      const after = (await ml.listModels({ pageSize: 100 })).models;
      expect(after.map((m) => m.toJSON())).toEqual(before.map((m) => m.toJSON()));
      expect(after.map((m) => [m.displayName, m.published, m.tags])).toEqual([
        ['flowers', true, ['ferry', 'flowers']],
        ['birds', false, ['ferry']],
        ['broken', false, []],
      ]);
      expect((await ml.listModels({ filter: 'state.published = true' })).models.map((m) => m.modelId)).toEqual([
        flowers.modelId,
      ]);
      const restored = await ml.getModel(birds.modelId);
      expect(restored.modelHash).toBe(
        createHash('sha256')
          .update(objects.get(uri('birds')) as Uint8Array)
          .digest('hex'),
      );
      expect((await ml.publishModel(birds.modelId)).published).toBe(true);
      const fresh = await ml.createModel({ displayName: 'fresh' });
      expect(Number(fresh.modelId)).toBeGreaterThan(Number(broken.modelId));
      await ml.deleteModel(broken.modelId);
    } finally {
      await second.stop();
    }

    const third = await start(dataDir);
    try {
      const models = third.models();
      expect(models.map((m) => [m.displayName, m.state?.published ?? false])).toEqual([
        ['flowers', true],
        ['birds', true],
        ['fresh', false],
      ]);
      expect(third.caPem).toBe(caPem);
    } finally {
      await third.stop();
    }
  });

  test('a validation running at shutdown finishes after the restart, not before its time; the model stays locked until then', async () => {
    // Both lives hold validation, so the model is still locked whenever the test looks, however
    // slow the machine; once released, the resumed validation still waits for its original time.
    const startedAt = Date.now();
    const first = await start(dataDir, { validationDelayMs: 1200, holdValidation: true });
    const created = await sdk(first).createModel({ displayName: 'slow', tfliteModel: { gcsTfliteUri: uri('slow') } });
    expect(created.locked).toBe(true);
    await first.stop();

    const second = await start(dataDir, { port: first.port, validationDelayMs: 60_000, holdValidation: true });
    try {
      const ml = sdk(second);
      const locked = await ml.getModel(created.modelId);
      expect(locked.locked).toBe(true);
      expect((await ml.publishModel(created.modelId).catch((e: Error) => e)) as Error).toHaveProperty(
        'message',
        expect.stringMatching(/locked/),
      );
      await second.validation.release();
      await locked.waitForUnlocked(WAIT_MS);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1100);
      expect(locked.modelHash).toBe(
        createHash('sha256')
          .update(objects.get(uri('slow')) as Uint8Array)
          .digest('hex'),
      );
      expect((await ml.publishModel(created.modelId)).published).toBe(true);
    } finally {
      await second.stop();
    }
    const third = await start(dataDir);
    try {
      expect(third.models()[0]).toMatchObject({ displayName: 'slow', state: { published: true } });
      expect(third.models()[0].activeOperations).toBeUndefined();
    } finally {
      await third.stop();
    }
  });
});

describe('damaged Firebase ML state or credentials stop startup with a message naming the file', () => {
  let dataDir: string;
  let state: string;
  const saved: Record<string, string> = {};
  const files = ['credentials/ca.pem', 'credentials/ca-key.pem', 'credentials/service-account.json'];
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ferry-fbml-bad-'));
    state = join(dataDir, STATE_FILE);
    const emulator = await start(dataDir);
    const app = firebaseMlEmulatorApp({ ...emulator.env });
    await getMachineLearning(app).createModel({
      displayName: 'flowers',
      tfliteModel: { gcsTfliteUri: uri('flowers') },
    });
    await deleteApp(app);
    await emulator.stop();
    for (const file of [STATE_FILE, ...files]) saved[file] = await readFile(join(dataDir, file), 'utf8');
  });
  afterEach(async () => {
    for (const [file, content] of Object.entries(saved)) await writeFile(join(dataDir, file), content);
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a saved state edited by hand, as a person would
  const edit = (change: (s: Record<string, any>) => void): string => {
    const value = JSON.parse(saved[STATE_FILE]);
    change(value);
    return JSON.stringify(value);
  };
  const refusal = async (options: { projectId?: string } = {}): Promise<string> => {
    const outcome = await start(dataDir, options).then(
      async (emulator) => {
        await emulator.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    return outcome;
  };

  test.each([
    ['a truncated state file', () => saved[STATE_FILE].slice(0, 40), /not valid JSON.*truncated/],
    ['an empty state file', () => '', /not valid JSON/],
    [
      'a model of the wrong type',
      () => edit((s) => (s.registry.models[0].published = 'yes')),
      /\/registry\/models\/0\/published must be boolean/,
    ],
    [
      'a missing counter',
      () => edit((s) => delete s.registry.nextModelId),
      /must have required property 'nextModelId'/,
    ],
    [
      'a hostile model id',
      () => edit((s) => (s.registry.models[0].id = '../../etc')),
      /\/registry\/models\/0\/id must match pattern/,
    ],
    ['a model listed twice', () => edit((s) => s.registry.models.push(s.registry.models[0])), /\d+ appears twice/],
    [
      'a model id counter set back',
      () => edit((s) => (s.registry.nextModelId = 1)),
      /nextModelId 1 is not past model \d+, which is in use/,
    ],
    [
      'an operation counter set back',
      () => edit((s) => (s.registry.nextOperationId = 1)),
      /nextOperationId 1 is not past projects\/ferry-persist\/operations\/1/,
    ],
    [
      'a locked model without its validation',
      () => edit((s) => (s.registry.models[0].activeOperation = 'projects/p/operations/9')),
      /model \d+ is locked by projects\/p\/operations\/9, whose validation is not in the file/,
    ],
  ])('refuses %s and leaves it in place', async (_name, content, message) => {
    const text = content();
    await writeFile(state, text);
    const error = await refusal();
    expect(error.startsWith(`${state}: `)).toBe(true);
    expect(error).toMatch(message);
    expect(error).toMatch(/Restore it from a backup, or delete it/);
    expect(await readFile(state, 'utf8')).toBe(text);
  });

  test('refuses the state of another project', async () => {
    await rm(join(dataDir, 'credentials'), { recursive: true });
    try {
      expect(await refusal({ projectId: 'someone-else' })).toMatch(
        new RegExp(`^${state}: holds project "${PROJECT}", but this emulator serves someone-else`),
      );
    } finally {
      await mkdir(join(dataDir, 'credentials'));
    }
  });

  test.each([
    ['a corrupt CA', 'credentials/ca.pem', 'not a certificate', /ca\.pem: not a PEM certificate/],
    [
      "a TLS key that is not the CA's",
      'credentials/ca-key.pem',
      'SERVICE_KEY',
      /ca-key\.pem: not the private key of ca\.pem/,
    ],
    [
      'a truncated service-account key',
      'credentials/service-account.json',
      '{"type": "service_acc',
      /service-account\.json: not a service-account key written by this emulator/,
    ],
  ])('refuses %s, naming the file and how to make new credentials', async (_name, file, content, message) => {
    const text =
      content === 'SERVICE_KEY'
        ? (JSON.parse(saved['credentials/service-account.json']) as { private_key: string }).private_key
        : content;
    await writeFile(join(dataDir, file), text);
    const error = await refusal();
    expect(error.startsWith(join(dataDir, file))).toBe(true);
    expect(error).toMatch(message);
    expect(error).toMatch(
      /delete ca\.pem, ca-key\.pem, service-account\.json in .* to make new ones \(clients must then trust the new ca\.pem\)/,
    );
  });

  test('refuses a CA an older ferry made, which does not cover the Remote Config host', async () => {
    const old = selfsigned.generate([{ name: 'commonName', value: 'ferry firebase-ml emulator' }], {
      days: 30,
      keySize: 2048,
      extensions: [
        { name: 'basicConstraints', cA: true },
        {
          name: 'subjectAltName',
          altNames: ['firebaseml.googleapis.com', 'oauth2.googleapis.com'].map((value) => ({ type: 2, value })),
        },
      ],
    });
    await writeFile(join(dataDir, 'credentials/ca.pem'), old.cert);
    await writeFile(join(dataDir, 'credentials/ca-key.pem'), old.private);
    expect(await refusal()).toMatch(
      /ca\.pem: the certificate does not cover firebaseremoteconfig\.googleapis\.com \(an older ferry made it\); .*delete ca\.pem, ca-key\.pem, service-account\.json/,
    );
  });

  test('refuses credentials with one file missing', async () => {
    await unlink(join(dataDir, 'credentials/ca-key.pem'));
    expect(await refusal()).toMatch(/ca-key\.pem: is missing while the other emulator credentials are there/);
  });

  test('starts again once the files are restored', async () => {
    const emulator = await start(dataDir);
    try {
      expect(emulator.models().map((m) => m.displayName)).toEqual(['flowers']);
      expect(emulator.caPem).toBe(saved['credentials/ca.pem']);
    } finally {
      await emulator.stop();
    }
  });
});

describe('without dataDir', () => {
  /** One session with the working and temp directories pointed at empty folders; what is left in them. */
  const session = async (dataDir: string | undefined): Promise<string[]> => {
    const root = await mkdtemp(join(tmpdir(), 'ferry-fbml-cwd-'));
    const [cwd, tmp] = [join(root, 'cwd'), join(root, 'tmp')];
    await Promise.all([mkdir(cwd), mkdir(tmp)]);
    const before = { cwd: process.cwd(), tmpdir: process.env.TMPDIR };
    process.chdir(cwd);
    process.env.TMPDIR = tmp;
    try {
      const emulator = await start(dataDir);
      const app = firebaseMlEmulatorApp({ ...emulator.env });
      await getMachineLearning(app).createModel({
        displayName: 'flowers',
        tfliteModel: { gcsTfliteUri: uri('flowers') },
      });
      await deleteApp(app);
      await emulator.stop();
      return [...(await readdir(cwd)), ...(await readdir(tmp))];
    } finally {
      process.chdir(before.cwd);
      if (before.tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before.tmpdir;
      await rm(root, { recursive: true, force: true });
    }
  };

  test('leaves nothing behind (the same session with a relative dataDir does)', async () => {
    expect(await session('state')).toEqual(['state']);
    expect(await session(undefined)).toEqual([]);
  });
});
