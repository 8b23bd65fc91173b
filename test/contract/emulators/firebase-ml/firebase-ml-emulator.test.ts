import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { deleteApp } from 'firebase-admin/app';
import { getMachineLearning, type MachineLearning } from 'firebase-admin/machine-learning';
import { firebaseMlEmulatorApp } from '../../../../emulators/firebase-ml/sdk-app';
import {
  startFirebaseMlEmulator,
  type FirebaseMlEmulator,
} from '../../../../emulators/firebase-ml/firebase-ml-emulator';
import { fixture } from '../../../helpers/fixtures';
import { versionTagProblem } from '../../../../functions/core/mobile/firebase-ml-names';
import { versionAlias } from '../../../../functions/core/run/run-id';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';

const PROJECT = 'ferry-contract';
const BUCKET = 'ferry-mobile-artifacts';
const WAIT_MS = 20_000;

/** The SDK's error code, e.g. `machine-learning/invalid-argument`, and its message. */
async function sdkError(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error('expected the SDK call to fail');
}

function corrupt(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy.set([0x58, 0x58, 0x58, 0x58], 4); // identifier XXXX instead of TFL3
  return copy;
}

interface Stack {
  emulator: FirebaseMlEmulator;
  ml: MachineLearning;
  objects: Map<string, Uint8Array>;
  stop(): Promise<void>;
}

async function startStack(options: { validationDelayMs: number; maxModelBytes?: number }): Promise<Stack> {
  const objects = new Map<string, Uint8Array>();
  const emulator = await startFirebaseMlEmulator({
    projectId: PROJECT,
    ...options,
    readObject: async (uri) => {
      const bytes = objects.get(uri);
      if (!bytes) throw new Error(`No such object: ${uri}`);
      return bytes;
    },
  });
  const app = firebaseMlEmulatorApp({ ...emulator.env });
  return {
    emulator,
    ml: getMachineLearning(app),
    objects,
    stop: async () => {
      await deleteApp(app);
      await emulator.stop();
    },
  };
}

describe('Firebase ML emulator through the unmodified firebase-admin SDK (validation held by the test)', () => {
  // Validation is due at once but held: a model stays locked until the test releases it, so
  // "locked" is asserted however slow the machine (a delay window could run out first).
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ validationDelayMs: 0 });
  });
  beforeEach(() => stack.emulator.validation.hold());
  afterEach(() => stack.emulator.validation.release());
  afterAll(() => stack.stop());

  test('create → locked → unlocked → publish → list → update file and tags → unpublish → delete', async () => {
    const { ml, objects } = stack;
    const v1 = writeExampleTflite({ a: 0.5, b: 2 });
    const v2 = writeExampleTflite({ a: 0.5, b: 3 });
    objects.set(`gs://${BUCKET}/mobile/flowers/7/model.tflite`, v1);
    objects.set(`gs://${BUCKET}/mobile/flowers/8/model.tflite`, v2);

    const created = await ml.createModel({
      displayName: 'flowers',
      tags: ['ferry', 'flowers'],
      tfliteModel: { gcsTfliteUri: `gs://${BUCKET}/mobile/flowers/7/model.tflite` },
    });
    expect(created.locked).toBe(true);
    expect(created.published).toBe(false);
    // The SDK does not send the gs:// uri: it signs a V2 read URL with the app's service account.
    const sent = JSON.parse(stack.emulator.calls().find((call) => call.method === 'models.create')?.body ?? '{}')
      .tfliteModel.gcsTfliteUri as string;
    expect(sent).toMatch(
      new RegExp(`^https://storage\\.googleapis\\.com/${BUCKET}/mobile/flowers/7/model\\.tflite\\?`),
    );
    expect(new URL(sent).searchParams.get('GoogleAccessId')).toBe(`ferry-local@${PROJECT}.iam.gserviceaccount.com`);
    expect((await ml.getModel(created.modelId)).locked).toBe(true);
    await stack.emulator.validation.release();
    await created.waitForUnlocked(WAIT_MS);
    expect(created.locked).toBe(false);
    expect(created.validationError).toBeUndefined();
    expect(created.modelHash).toBe(createHash('sha256').update(v1).digest('hex'));
    expect(created.tfliteModel).toEqual({
      gcsTfliteUri: `gs://${BUCKET}/mobile/flowers/7/model.tflite`,
      sizeBytes: String(v1.byteLength),
    });

    const published = await ml.publishModel(created.modelId);
    expect(published.published).toBe(true);
    expect(published.etag).not.toBe(created.etag);

    const byName = await ml.listModels({ filter: 'display_name = flowers' });
    expect(byName.models.map((m) => m.modelId)).toEqual([created.modelId]);
    expect((await ml.listModels({ filter: 'tags: ferry AND tags: flowers' })).models).toHaveLength(1);
    expect((await ml.listModels({ filter: 'tags: ferry AND tags: birds' })).models).toHaveLength(0);
    expect((await ml.listModels({ filter: 'state.published = true' })).models.map((m) => m.modelId)).toEqual([
      created.modelId,
    ]);

    stack.emulator.validation.hold();
    const updating = await ml.updateModel(created.modelId, {
      tags: ['ferry', 'flowers', 'v8'],
      tfliteModel: { gcsTfliteUri: `gs://${BUCKET}/mobile/flowers/8/model.tflite` },
    });
    expect(updating.locked).toBe(true);
    await stack.emulator.validation.release();
    await updating.waitForUnlocked(WAIT_MS);
    expect(updating.modelHash).toBe(createHash('sha256').update(v2).digest('hex'));
    expect(updating.tags).toEqual(['ferry', 'flowers', 'v8']);
    expect(updating.published).toBe(true);

    const unpublished = await ml.unpublishModel(created.modelId);
    expect(unpublished.published).toBe(false);
    await ml.deleteModel(created.modelId);
    expect((await sdkError(ml.getModel(created.modelId))).code).toBe('machine-learning/not-found');
  });

  test('a locked model refuses publishing until validation has finished', async () => {
    const { ml, objects } = stack;
    objects.set(`gs://${BUCKET}/mobile/locked/model.tflite`, writeExampleTflite({ a: 0.5, b: 2 }));
    const model = await ml.createModel({
      displayName: 'locked_model',
      tfliteModel: { gcsTfliteUri: `gs://${BUCKET}/mobile/locked/model.tflite` },
    });
    expect(model.locked).toBe(true);
    const refused = await sdkError(ml.publishModel(model.modelId));
    expect(refused.message).toMatch(/locked/);
    expect((await ml.getModel(model.modelId)).locked).toBe(true);
    await stack.emulator.validation.release();
    await model.waitForUnlocked(WAIT_MS);
    expect((await ml.publishModel(model.modelId)).published).toBe(true);
  });
});

describe('Firebase ML emulator: bad input and faults (validation answered at once)', () => {
  let stack: Stack;
  const MAX = 4096;
  beforeAll(async () => {
    stack = await startStack({ validationDelayMs: 0, maxModelBytes: MAX });
  });
  afterAll(() => stack.stop());

  const good = writeExampleTflite({ a: 0.5, b: 2 });
  test.each([
    ['corrupt identifier', corrupt(good), /TFL3/],
    ['truncated', good.slice(0, 20), /./],
    ['empty', new Uint8Array(0), /empty/],
    ['oversized', new Uint8Array(MAX + 1), /at most 4096 bytes/],
    ['missing object', undefined, /cannot read the model file/],
  ])('%s file → validationError, and publishing is refused', async (label, bytes, expected) => {
    const uri = `gs://${BUCKET}/mobile/bad/${label.replace(/ /g, '-')}.tflite`;
    if (bytes) stack.objects.set(uri, bytes);
    const model = await stack.ml.createModel({
      displayName: `bad_${label.replace(/ /g, '_')}`,
      tfliteModel: { gcsTfliteUri: uri },
    });
    expect(model.locked).toBe(false);
    expect(model.validationError).toMatch(expected);
    expect(model.modelHash).toBeUndefined();
    const refused = await sdkError(stack.ml.publishModel(model.modelId));
    expect(refused.message).toMatch(/failed validation/);
    expect((await stack.ml.getModel(model.modelId)).published).toBe(false);
  });

  test.each([['has a space'], ['9starts_with_digit'], ['with-dash'], ['x'.repeat(33)], ['ünïcode']])(
    'display name %j → INVALID_ARGUMENT',
    async (displayName) => {
      const error = await sdkError(stack.ml.createModel({ displayName }));
      expect(error.code).toBe('machine-learning/invalid-argument');
      expect(error.message).toMatch(/displayName/);
    },
  );

  test('bad tags → INVALID_ARGUMENT naming the tag', async () => {
    const error = await sdkError(stack.ml.createModel({ displayName: 'tagged', tags: ['ok', 'not ok'] }));
    expect(error).toEqual({ code: 'machine-learning/invalid-argument', message: expect.stringMatching(/tags\[1\]/) });
  });

  // The rules of functions/core/mobile/firebase-ml-names.ts (sources cited there): the workflow
  // check and the emulator apply the same ones, so a workflow that passes is one Firebase ML takes.
  test.each([
    ['a 33-character tag', ['t'.repeat(33)], /tags\[0\]/],
    ['a version tag from a 32-character version', [versionAlias('1'.repeat(32))], /tags\[0\]/],
    ['an empty tag', ['ok', ''], /tags\[1\]/],
  ])('%s → INVALID_ARGUMENT on create and on update, naming the tag', async (label, tags, field) => {
    const created = await sdkError(stack.ml.createModel({ displayName: 'tag_rules', tags }));
    expect(created).toEqual({ code: 'machine-learning/invalid-argument', message: expect.stringMatching(field) });
    const model = await stack.ml.createModel({ displayName: `tag_rules_${label.replace(/\W/g, '_')}`.slice(0, 32) });
    const updated = await sdkError(stack.ml.updateModel(model.modelId, { tags }));
    expect(updated).toEqual({ code: 'machine-learning/invalid-argument', message: expect.stringMatching(field) });
  });

  test('a version tag ferry allows (31-character version) is accepted', async () => {
    const tag = versionAlias('1'.repeat(31));
    expect(versionTagProblem('1'.repeat(31))).toBeUndefined();
    expect((await stack.ml.createModel({ displayName: 'long_version', tags: [tag] })).tags).toEqual([tag]);
  });

  test('a second model with the same display name is refused and names the first', async () => {
    const first = await stack.ml.createModel({ displayName: 'twin' });
    const error = await sdkError(stack.ml.createModel({ displayName: 'twin' }));
    expect(error.message).toContain(first.modelId);
  });

  test('one injected 503 is retried by the SDK itself (its default retry covers 503) and creates one model', async () => {
    const before = stack.emulator.models().length;
    stack.emulator.faults.failNext('models.create', 1, 503, 'backend unavailable (injected)');
    expect((await stack.ml.createModel({ displayName: 'flaky_once' })).displayName).toBe('flaky_once');
    expect(stack.emulator.models()).toHaveLength(before + 1);
  });

  test('injected 503 on every attempt reaches the caller as an SDK error and nothing is created', async () => {
    const before = stack.emulator.models().length;
    stack.emulator.faults.failNext('models.create', 5, 503, 'backend unavailable (injected)'); // 1 call + 4 SDK retries
    const error = await sdkError(stack.ml.createModel({ displayName: 'flaky' }));
    expect(error).toEqual({ code: 'machine-learning/unknown-error', message: 'backend unavailable (injected)' });
    expect(stack.emulator.models()).toHaveLength(before);
    expect((await stack.ml.createModel({ displayName: 'flaky' })).displayName).toBe('flaky');
  }, 30_000);

  test('an injected 500 is not retried by the SDK', async () => {
    stack.emulator.faults.failNext('models.get', 1, 500, 'internal (injected)');
    const model = await stack.ml.createModel({ displayName: 'get_fails' });
    expect(await sdkError(stack.ml.getModel(model.modelId))).toEqual({
      code: 'machine-learning/unknown-error',
      message: 'internal (injected)',
    });
    expect((await stack.ml.getModel(model.modelId)).modelId).toBe(model.modelId);
  });

  test('a lost response: the SDK retries the applied create and gets ALREADY_EXISTS; the model is findable by display name', async () => {
    stack.emulator.faults.duplicateNext('models.create', 1);
    const error = await sdkError(stack.ml.createModel({ displayName: 'lost_answer' }));
    expect(error.message).toMatch(/already has this name/);
    const found = await stack.ml.listModels({ filter: 'display_name = lost_answer' });
    expect(found.models).toHaveLength(1);
    expect(error.message).toContain(found.models[0].modelId);
  });

  test('listModels pages through results with pageToken', async () => {
    for (const name of ['page_a', 'page_b', 'page_c'])
      await stack.ml.createModel({ displayName: name, tags: ['paged'] });
    const first = await stack.ml.listModels({ filter: 'tags: paged', pageSize: 2 });
    expect(first.models).toHaveLength(2);
    expect(first.pageToken).toBeDefined();
    const second = await stack.ml.listModels({ filter: 'tags: paged', pageSize: 2, pageToken: first.pageToken });
    expect(second.models.map((m) => m.displayName)).toEqual(['page_c']);
    expect(second.pageToken).toBeUndefined();
    expect((await sdkError(stack.ml.listModels({ pageToken: 'not-a-token' }))).code).toBe(
      'machine-learning/invalid-argument',
    );
  });

  test('a malformed filter is INVALID_ARGUMENT', async () => {
    const error = await sdkError(stack.ml.listModels({ filter: 'owner = me' }));
    expect(error.code).toBe('machine-learning/invalid-argument');
  });

  test('requests without the emulator-issued token are UNAUTHENTICATED', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: stack.emulator.port,
          path: `/v1beta2/projects/${PROJECT}/models`,
          method: 'GET',
          ca: stack.emulator.caPem,
          servername: 'firebaseml.googleapis.com',
          headers: { authorization: 'Bearer forged' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 401, status: 'UNAUTHENTICATED', message: expect.any(String) },
    });
  });

  test('the SDK reaches the emulator only over TLS verified for firebaseml.googleapis.com', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: stack.emulator.port,
            path: '/',
            servername: 'example.com',
            ca: stack.emulator.caPem,
          },
          resolve,
        );
        req.on('error', reject);
        req.end();
      }),
    ).rejects.toThrow(/altnames|does not match/i);
  });
});

describe('Firebase ML emulator with real TFLite files made by TensorFlow', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ validationDelayMs: 0 });
  });
  afterAll(() => stack.stop());

  test.each([['half_plus_two.tflite'], ['selfie_segmentation.tflite'], ['parse_example_custom_op.tflite']])(
    '%s is accepted and publishable',
    async (file) => {
      const bytes = new Uint8Array(readFileSync(fixture(`tflite/${file}`)));
      const uri = `gs://${BUCKET}/fixtures/${file}`;
      stack.objects.set(uri, bytes);
      const model = await stack.ml.createModel({
        displayName: file.replace(/\W/g, '_').slice(0, 32),
        tfliteModel: { gcsTfliteUri: uri },
      });
      expect(model.validationError).toBeUndefined();
      expect(model.tfliteModel?.sizeBytes).toBe(String(bytes.byteLength));
      expect((await stack.ml.publishModel(model.modelId)).published).toBe(true);
    },
  );
});
