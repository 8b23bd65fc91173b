import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Storage } from '@google-cloud/storage';
import { STORAGE_EVENT_TYPES } from '../../../../emulators/storage/cloud-events';
import type { StorageCloudEvent } from '../../../../emulators/storage/cloud-events';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import type { ObjectResource } from '../../../../emulators/storage/types';
import { startWithClient } from './start-client';

interface Received {
  headers: IncomingHttpHeaders;
  body: ObjectResource;
}

/** A local HTTP target standing in for a Cloud Run / gen2 function behind an Eventarc trigger. */
async function startTarget(
  answer: (n: number) => number = () => 204,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ObjectResource,
      });
      res.writeHead(answer(received.length)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received, server };
}

const FAST = { minBackoffMs: 10, maxBackoffMs: 40, maxAttempts: 4 };

describe('finalize/delete CloudEvents pushed in binary content mode', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  const servers: Server[] = [];

  beforeEach(async () => {
    ({ emulator, storage } = await startWithClient());
    emulator.createBucket('artifacts');
    emulator.createBucket('other-bucket');
  });
  afterEach(async () => {
    await emulator.stop();
    for (const server of servers.splice(0)) server.close();
  });

  it('delivers a finalized event whose headers and body match the object resource the JSON API returns', async () => {
    const target = await startTarget();
    servers.push(target.server);
    emulator.subscribe({ url: target.url, eventTypes: [STORAGE_EVENT_TYPES.finalized], retry: FAST });
    const file = storage.bucket('artifacts').file('models/flowers/7/saved_model.pb');
    await file.save(Buffer.from('pb bytes'), { resumable: false, contentType: 'application/octet-stream' });
    await emulator.idle();
    expect(target.received).toHaveLength(1);
    const [{ headers, body }] = target.received;
    expect(headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.storage.object.v1.finalized',
      'ce-source': '//storage.googleapis.com/projects/_/buckets/artifacts',
      'ce-subject': 'objects/models/flowers/7/saved_model.pb',
      'content-type': 'application/json',
    });
    expect(headers['ce-id']).toMatch(/\S/);
    expect(Number.isNaN(Date.parse(String(headers['ce-time'])))).toBe(false);
    const [meta] = await file.getMetadata();
    expect(body).toEqual(JSON.parse(JSON.stringify(meta)));
    for (const key of ['generation', 'metageneration', 'size'] as const) expect(typeof body[key]).toBe('string');
    expect(body).toMatchObject({
      bucket: 'artifacts',
      name: 'models/flowers/7/saved_model.pb',
      size: '8',
      storageClass: 'STANDARD',
    });
    expect(body.md5Hash).toBe(meta.md5Hash);
    expect(body.crc32c).toBe(meta.crc32c);
  });

  it('fires for zero-byte folder placeholders, filters by bucket and type, and gives each event its own id', async () => {
    const target = await startTarget();
    servers.push(target.server);
    emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized, STORAGE_EVENT_TYPES.deleted],
      bucket: 'artifacts',
      retry: FAST,
    });
    await storage.bucket('artifacts').file('models/flowers/').save('', { resumable: false });
    await storage.bucket('other-bucket').file('ignored.txt').save('x', { resumable: false });
    await storage
      .bucket('artifacts')
      .file('models/flowers/')
      .setMetadata({ metadata: { a: 'b' } });
    await storage.bucket('artifacts').file('models/flowers/').delete();
    await emulator.idle();
    expect(target.received.map((r) => [r.headers['ce-type'], r.headers['ce-subject'], r.body.size])).toEqual([
      ['google.cloud.storage.object.v1.finalized', 'objects/models/flowers/', '0'],
      ['google.cloud.storage.object.v1.deleted', 'objects/models/flowers/', '0'],
    ]);
    expect(new Set(target.received.map((r) => r.headers['ce-id'])).size).toBe(2);
  });

  it('announces an overwritten generation as deleted and the new one as finalized (onEvent)', async () => {
    const events: StorageCloudEvent[] = [];
    const off = emulator.onEvent((event) => events.push(event));
    const file = storage.bucket('artifacts').file('twice.txt');
    await file.save('one', { resumable: false });
    await file.save('two!', { resumable: true });
    off();
    await file.delete();
    expect(events.map((e) => [e.type.split('.').pop(), e.data.size])).toEqual([
      ['finalized', '3'],
      ['deleted', '3'],
      ['finalized', '4'],
    ]);
    expect(BigInt(events[2].data.generation)).toBeGreaterThan(BigInt(events[0].data.generation));
  });

  it('keeps serving when an onEvent listener throws, and reports the listener failure', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      emulator.onEvent(() => {
        throw new Error('listener bug');
      });
      await storage.bucket('artifacts').file('still-works.txt').save('x', { resumable: false });
      expect((await storage.bucket('artifacts').file('still-works.txt').download())[0].toString()).toBe('x');
      expect(logged).toHaveBeenCalledWith(
        expect.stringMatching(
          /onEvent listener threw on google\.cloud\.storage\.object\.v1\.finalized objects\/still-works\.txt/,
        ),
        expect.any(Error),
      );
    } finally {
      logged.mockRestore();
    }
  });

  it('redelivers after non-2xx answers with growing backoff, then counts the event delivered', async () => {
    const target = await startTarget((n) => (n < 3 ? 500 : 200));
    servers.push(target.server);
    const subscription = emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized],
      retry: FAST,
    });
    await storage.bucket('artifacts').file('flaky.txt').save('x', { resumable: false });
    await emulator.idle();
    expect(target.received).toHaveLength(3);
    expect(new Set(target.received.map((r) => r.headers['ce-id'])).size).toBe(1);
    expect(subscription.deliveryStats()).toMatchObject({ delivered: 1, redelivered: 2, dropped: 0 });
  });

  it('drops an event after maxAttempts against a failing target, and records it', async () => {
    const target = await startTarget(() => 503);
    servers.push(target.server);
    emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized],
      retry: { minBackoffMs: 1000, maxBackoffMs: 8000, maxAttempts: 3 },
      timeScale: 0.001,
    });
    await storage.bucket('artifacts').file('poison.txt').save('x', { resumable: false });
    await emulator.idle();
    expect(target.received).toHaveLength(3);
    const stats = emulator.deliveryStats();
    expect(stats).toMatchObject({ delivered: 0, redelivered: 2, dropped: 1 });
    expect(stats.droppedEvents[0]).toMatchObject({ attempts: 3, lastError: 'HTTP 503' });
    expect(stats.droppedEvents[0].event.subject).toBe('objects/poison.txt');
  });

  it('treats a refused connection as a failed attempt', async () => {
    const target = await startTarget();
    await new Promise<void>((resolve) => target.server.close(() => resolve()));
    emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized],
      retry: { minBackoffMs: 1, maxBackoffMs: 2, maxAttempts: 2 },
    });
    await storage.bucket('artifacts').file('nobody-home.txt').save('x', { resumable: false });
    await emulator.idle();
    expect(emulator.deliveryStats()).toMatchObject({ dropped: 1, redelivered: 1 });
    expect(emulator.deliveryStats().droppedEvents[0].lastError).toMatch(/connection error/);
  });

  it('delivers twice when a duplicate is injected on push, and retries an injected push failure', async () => {
    const target = await startTarget();
    servers.push(target.server);
    emulator.subscribe({ url: target.url, eventTypes: [STORAGE_EVENT_TYPES.finalized], retry: FAST });
    emulator.faults.duplicateNext('push', 1);
    await storage.bucket('artifacts').file('dup.txt').save('x', { resumable: false });
    await emulator.idle();
    expect(target.received.map((r) => r.headers['ce-id'])).toEqual([
      target.received[0].headers['ce-id'],
      target.received[0].headers['ce-id'],
    ]);
    emulator.faults.failNext('push', 1, 503);
    await storage.bucket('artifacts').file('after-fault.txt').save('x', { resumable: false });
    await emulator.idle();
    expect(target.received).toHaveLength(3);
    expect(emulator.deliveryStats()).toMatchObject({ delivered: 2, redelivered: 1, duplicated: 1, dropped: 0 });
  });

  it('stops retrying when the emulator stops', async () => {
    const target = await startTarget(() => 500);
    servers.push(target.server);
    emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized],
      retry: { minBackoffMs: 60_000, maxBackoffMs: 60_000, maxAttempts: 10 },
    });
    await storage.bucket('artifacts').file('slow.txt').save('x', { resumable: false });
    // The first attempt has been answered (500): the delivery is now waiting out its 60 s backoff.
    for (const end = Date.now() + 20_000; target.received.length < 1 && Date.now() < end;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await emulator.stop();
    expect(Date.now() - started).toBeLessThan(30_000); // far below the 60 s backoff it would otherwise wait
    expect(target.received).toHaveLength(1);
    ({ emulator } = await startWithClient());
  });

  it('stops at once when stopped while an attempt is in flight (no backoff starts after stop)', async () => {
    let stopping: Promise<void> | undefined;
    // The target stops the emulator while the attempt is still open: the attempt fails after
    // stop() began, and must not wait out its 60 s backoff before stop() can finish.
    const target = await startTarget(() => {
      stopping ??= emulator.stop();
      return 500;
    });
    servers.push(target.server);
    emulator.subscribe({
      url: target.url,
      eventTypes: [STORAGE_EVENT_TYPES.finalized],
      retry: { minBackoffMs: 60_000, maxBackoffMs: 60_000, maxAttempts: 10 },
    });
    await storage.bucket('artifacts').file('stopped.txt').save('x', { resumable: false });
    for (const end = Date.now() + 20_000; !stopping && Date.now() < end;)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await stopping;
    expect(target.received).toHaveLength(1);
    ({ emulator, storage } = await startWithClient());
  });

  it('rejects a subscription with an impossible retry policy or URL', () => {
    expect(() =>
      emulator.subscribe({
        url: 'http://127.0.0.1:1/',
        eventTypes: [],
        retry: { minBackoffMs: 10, maxBackoffMs: 1, maxAttempts: 1 },
      }),
    ).toThrow(/retry/);
    expect(() => emulator.subscribe({ url: 'not a url', eventTypes: [], retry: FAST })).toThrow();
  });
});
