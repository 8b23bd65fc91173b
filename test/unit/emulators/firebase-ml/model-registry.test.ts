import { createHash } from 'node:crypto';
import { validateTflite } from '../../../../emulators/firebase-ml/check-model-file';
import { ModelRegistry, type RegistryOptions } from '../../../../emulators/firebase-ml/model-registry';
import { RestError } from '../../../../emulators/firebase-ml/rest-error';
import { MODEL_OPERATION_METADATA_TYPE, MODEL_TYPE } from '../../../../emulators/firebase-ml/wire-types';
import { writeExampleTflite } from '../../../../functions/artifacts/tflite/write-example-tflite';

const GOOD = 'gs://bucket/good.tflite';
const OTHER = 'gs://bucket/other.tflite';
const BAD = 'gs://bucket/bad.tflite';

function registry(overrides: Partial<RegistryOptions> = {}): { registry: ModelRegistry; clock: { now: number } } {
  const clock = { now: Date.UTC(2026, 10, 23, 9, 0, 0) };
  const files = new Map<string, Uint8Array>([
    [GOOD, writeExampleTflite({ a: 0.5, b: 2 })],
    [OTHER, writeExampleTflite({ a: 0.5, b: 3 })],
    [BAD, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])],
  ]);
  const r = new ModelRegistry({
    projectId: 'p',
    readObject: async (uri) => {
      const bytes = files.get(uri);
      if (!bytes) throw new Error(`No such object: ${uri}`);
      return bytes;
    },
    validate: validateTflite,
    maxModelBytes: 1 << 20,
    validationDelayMs: 0,
    signer: { clientEmail: 'x@p.iam.gserviceaccount.com', publicKeyPem: '' },
    now: () => clock.now,
    ...overrides,
  });
  return { registry: r, clock };
}

async function status(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof RestError) return error.status;
    throw error;
  }
  return 'OK';
}

describe('ModelRegistry', () => {
  test('create without a file answers a done operation whose response is the typed model', async () => {
    const { registry: r } = registry();
    const op = await r.create({ displayName: 'plain', tags: ['t'] });
    expect(op).toEqual({
      name: 'projects/p/operations/1',
      done: true,
      response: expect.objectContaining({
        '@type': MODEL_TYPE,
        name: 'projects/p/models/10000001',
        displayName: 'plain',
        tags: ['t'],
        state: {},
      }),
    });
    expect(r.getOperation(op.name)).toEqual(op);
  });

  test('create with a valid file records hash, size and the gs:// uri; ids, times and etags are set', async () => {
    const { registry: r } = registry();
    const op = await r.create({ displayName: 'm', tfliteModel: { gcsTfliteUri: GOOD } });
    const model = op.response!;
    expect(model.modelHash).toBe(
      createHash('sha256')
        .update(writeExampleTflite({ a: 0.5, b: 2 }))
        .digest('hex'),
    );
    expect(model.tfliteModel).toEqual({
      gcsTfliteUri: GOOD,
      sizeBytes: String(writeExampleTflite({ a: 0.5, b: 2 }).byteLength),
    });
    expect(model.createTime).toBe('2026-11-23T09:00:00.000Z');
    expect(model.etag).toMatch(/^[\w-]{16}$/);
    expect(model.activeOperations).toBeUndefined();
  });

  test('while validation is held the model is locked by an unfinished operation, then unlocked with the verdict', async () => {
    const { registry: r } = registry();
    r.validation.hold();
    const op = await r.create({ displayName: 'slow', tfliteModel: { gcsTfliteUri: BAD } });
    expect(op).toEqual({
      name: 'projects/p/operations/1',
      done: false,
      metadata: {
        '@type': MODEL_OPERATION_METADATA_TYPE,
        name: 'projects/p/models/10000001',
        basicOperationStatus: 'BASIC_OPERATION_STATUS_VERIFYING',
      },
    });
    expect(r.get('10000001').activeOperations).toEqual([{ name: op.name }]);
    expect(await status(r.patch('10000001', ['tags'], { tags: ['x'] }))).toBe('FAILED_PRECONDITION');
    await r.validation.release();
    const done = r.getOperation(op.name);
    expect(done.done).toBe(true);
    expect(done.response?.state?.validationError).toEqual({ code: 3, message: expect.stringMatching(/TFL3/) });
    expect(r.get('10000001').activeOperations).toBeUndefined();
    r.stop();
  });

  test('publishing: refused without a file, with a validation error, or together with a new file', async () => {
    const { registry: r } = registry();
    await r.create({ displayName: 'nofile' });
    await r.create({ displayName: 'bad', tfliteModel: { gcsTfliteUri: BAD } });
    await r.create({ displayName: 'good', tfliteModel: { gcsTfliteUri: GOOD } });
    const publish = { state: { published: true } };
    expect(await status(r.patch('10000001', ['state.published'], publish))).toBe('FAILED_PRECONDITION');
    expect(await status(r.patch('10000002', ['state.published'], publish))).toBe('FAILED_PRECONDITION');
    expect(
      await status(
        r.patch('10000003', ['state.published', 'tfliteModel.gcsTfliteUri'], {
          ...publish,
          tfliteModel: { gcsTfliteUri: OTHER },
        }),
      ),
    ).toBe('FAILED_PRECONDITION');
    const published = await r.patch('10000003', ['state.published'], publish);
    expect(published.response?.state).toEqual({ published: true });
  });

  test('a new file replaces hash and size and clears an earlier validation error; etag and updateTime move', async () => {
    const { registry: r, clock } = registry();
    const first = (await r.create({ displayName: 'm', tfliteModel: { gcsTfliteUri: BAD } })).response!;
    clock.now += 1000;
    const second = (await r.patch('10000001', ['tfliteModel.gcsTfliteUri'], { tfliteModel: { gcsTfliteUri: OTHER } }))
      .response!;
    expect(second.state?.validationError).toBeUndefined();
    expect(second.modelHash).toBe(
      createHash('sha256')
        .update(writeExampleTflite({ a: 0.5, b: 3 }))
        .digest('hex'),
    );
    expect(second.etag).not.toBe(first.etag);
    expect(second.updateTime).toBe('2026-11-23T09:00:01.000Z');
    expect(second.createTime).toBe(first.createTime);
  });

  test('a failed file check leaves no hash and a NOT_FOUND error when the object is missing', async () => {
    const { registry: r } = registry();
    const model = (await r.create({ displayName: 'm', tfliteModel: { gcsTfliteUri: 'gs://bucket/missing.tflite' } }))
      .response!;
    expect(model.modelHash).toBeUndefined();
    expect(model.state?.validationError).toEqual({
      code: 5,
      message: expect.stringMatching(/missing\.tflite: cannot read/),
    });
  });

  test('display names are unique; renaming to a taken name is refused, to its own name allowed', async () => {
    const { registry: r } = registry();
    await r.create({ displayName: 'a' });
    await r.create({ displayName: 'b' });
    expect(await status(r.create({ displayName: 'a' }))).toBe('ALREADY_EXISTS');
    expect(await status(r.patch('10000002', ['displayName'], { displayName: 'a' }))).toBe('ALREADY_EXISTS');
    expect(await status(r.patch('10000002', ['displayName'], { displayName: 'b' }))).toBe('OK');
  });

  test('unknown models and operations are NOT_FOUND; delete removes the model', async () => {
    const { registry: r } = registry();
    await r.create({ displayName: 'gone' });
    expect(r.delete('10000001')).toEqual({});
    expect(await status(() => r.get('10000001'))).toBe('NOT_FOUND');
    expect(await status(() => r.delete('10000001'))).toBe('NOT_FOUND');
    expect(await status(() => r.getOperation('projects/p/operations/99'))).toBe('NOT_FOUND');
    expect(await status(r.patch('nope', ['tags'], {}))).toBe('NOT_FOUND');
  });

  test('a file named in the mask but missing from the body is INVALID_ARGUMENT', async () => {
    const { registry: r } = registry();
    await r.create({ displayName: 'm' });
    expect(await status(r.patch('10000001', ['tfliteModel.gcsTfliteUri'], {}))).toBe('INVALID_ARGUMENT');
  });

  test('list pages in creation order and refuses foreign page tokens and bad sizes', async () => {
    const { registry: r } = registry();
    for (const name of ['a', 'b', 'c', 'd', 'e']) await r.create({ displayName: name });
    const first = r.list(null, '2', null);
    expect(first.models?.map((m) => m.displayName)).toEqual(['a', 'b']);
    const second = r.list(null, '2', first.nextPageToken ?? null);
    expect(second.models?.map((m) => m.displayName)).toEqual(['c', 'd']);
    const third = r.list(null, '2', second.nextPageToken ?? null);
    expect(third).toEqual({ models: [expect.objectContaining({ displayName: 'e' })] });
    expect(r.list('display_name = zzz', null, null)).toEqual({});
    expect(await status(() => r.list(null, null, 'garbage'))).toBe('INVALID_ARGUMENT');
    expect(await status(() => r.list(null, '-1', null))).toBe('INVALID_ARGUMENT');
    expect(await status(() => r.list(null, 'ten', null))).toBe('INVALID_ARGUMENT');
    expect(r.list(null, '1000', null).models).toHaveLength(5);
  });

  test('a validator that throws becomes a validation error, not a crash', async () => {
    const { registry: r } = registry({
      validate: () => {
        throw new Error('boom');
      },
    });
    const model = (await r.create({ displayName: 'm', tfliteModel: { gcsTfliteUri: GOOD } })).response!;
    expect(model.state?.validationError?.message).toMatch(/validation failed \(boom\)/);
  });
});
