import { ApiError } from '@google-cloud/storage';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { raw, startWithClient } from './start-client';

describe('injected faults as the storage client sees them', () => {
  let emulator: StorageEmulator;

  beforeEach(async () => {
    ({ emulator } = await startWithClient());
    emulator.createBucket('faulty');
  });
  afterEach(() => emulator.stop());

  it('answers an injected 503 with a GCS-shaped body; with autoRetry off the client raises ApiError 503', async () => {
    const { storage } = await startClientOnly(emulator, { autoRetry: false });
    await storage.bucket('faulty').file('a.txt').save('a', { resumable: false });
    emulator.faults.failNext('objects.get', 1, 503, 'Backend Error');
    const error = await storage
      .bucket('faulty')
      .file('a.txt')
      .getMetadata()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 503, message: 'Backend Error', errors: [{ reason: 'backendError' }] });
  });

  it('lets the default retry policy absorb transient 503/429 on idempotent reads', async () => {
    const { storage } = await startClientOnly(emulator, { maxRetryDelay: 1, maxRetries: 3 });
    await storage
      .bucket('faulty')
      .file('b.txt')
      .save('b', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    emulator.faults.failNext('objects.get', 1, 503);
    emulator.faults.failNext('objects.get', 1, 429);
    const [meta] = await storage.bucket('faulty').file('b.txt').getMetadata();
    expect(meta.size).toBe('1');
    emulator.faults.failNext('objects.get', 1, 503);
    const [bytes] = await storage.bucket('faulty').file('b.txt').download();
    expect(bytes.toString()).toBe('b');
  }, 20_000);

  it('retries a create-only save (ifGenerationMatch: 0) but not a save without precondition (RetryConditional)', async () => {
    const { storage } = await startClientOnly(emulator, { maxRetryDelay: 1, maxRetries: 3 });
    emulator.faults.failNext('objects.insert', 1, 503);
    await storage
      .bucket('faulty')
      .file('c.txt')
      .save('c', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    expect((await storage.bucket('faulty').file('c.txt').download())[0].toString()).toBe('c');
    emulator.faults.failNext('objects.insert', 1, 503);
    await expect(storage.bucket('faulty').file('d.txt').save('d', { resumable: false })).rejects.toMatchObject({
      code: 503,
    });
  }, 20_000);

  it('documents a client 7.22 quirk: a simple save() without precondition switches autoRetry off for the whole Storage instance', async () => {
    const { storage } = await startClientOnly(emulator, { maxRetryDelay: 1, maxRetries: 3 });
    await storage.bucket('faulty').file('e.txt').save('e', { resumable: false });
    expect(storage.retryOptions.autoRetry).toBe(false);
    emulator.faults.failNext('objects.get', 1, 503);
    await expect(storage.bucket('faulty').file('e.txt').getMetadata()).rejects.toMatchObject({ code: 503 });
  });

  it('gives up after maxRetries and surfaces the last error', async () => {
    const { storage } = await startClientOnly(emulator, { maxRetryDelay: 1, maxRetries: 2 });
    emulator.faults.failNext('objects.list', 5, 503);
    await expect(storage.bucket('faulty').getFiles()).rejects.toMatchObject({ code: 503 });
    const leftover = emulator.faults.take('objects.list');
    expect(leftover.fail?.code).toBe(503);
  }, 20_000);

  it.each([
    ['objects.insert', 'POST', '/upload/storage/v1/b/faulty/o?uploadType=media&name=x'],
    ['objects.list', 'GET', '/storage/v1/b/faulty/o'],
    ['objects.delete', 'DELETE', '/storage/v1/b/faulty/o/x'],
    ['objects.patch', 'PATCH', '/storage/v1/b/faulty/o/x'],
    ['objects.copy', 'POST', '/storage/v1/b/faulty/o/x/rewriteTo/b/faulty/o/y'],
    ['buckets.get', 'GET', '/storage/v1/b/faulty'],
    ['buckets.list', 'GET', '/storage/v1/b'],
    ['buckets.insert', 'POST', '/storage/v1/b'],
    ['buckets.delete', 'DELETE', '/storage/v1/b/faulty'],
  ])('routes %s faults to %s %s', async (method, httpMethod, path) => {
    emulator.faults.failNext(method, 1, 429);
    const response = await raw(emulator.url, httpMethod, path, '{}', { 'content-type': 'application/json' });
    expect(response.status).toBe(429);
    expect(response.json().error?.errors[0].reason).toBe('rateLimitExceeded');
  });

  it('delays calls with injected latency', async () => {
    emulator.faults.addLatency('buckets.get', 150);
    const started = process.hrtime.bigint();
    expect((await raw(emulator.url, 'GET', '/storage/v1/b/faulty')).status).toBe(200);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThanOrEqual(140);
  });
});

async function startClientOnly(emulator: StorageEmulator, retryOptions: Record<string, unknown>) {
  const { Storage } = await import('@google-cloud/storage');
  return { storage: new Storage({ apiEndpoint: emulator.url, projectId: 'local', retryOptions }) };
}
