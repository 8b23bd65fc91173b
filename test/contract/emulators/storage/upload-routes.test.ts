import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '@google-cloud/storage';
import { CRC32C } from '@google-cloud/storage';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { fixture } from '../../../helpers/fixtures';
import { raw, startWithClient } from './start-client';

/** Deterministic pseudo-random bytes, so the payload is not trivially compressible or periodic. */
function payload(size: number, seed: number): Buffer {
  const out = Buffer.alloc(Math.ceil(size / 4) * 4);
  let state = seed >>> 0;
  for (let i = 0; i < out.length; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.writeUInt32LE(state, i);
  }
  return out.subarray(0, size);
}

function crc32c(data: Buffer): string {
  const crc = new CRC32C();
  crc.update(data);
  return crc.toString();
}

describe('uploads through @google-cloud/storage', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    emulator.createBucket('uploads');
  });
  afterAll(() => emulator.stop());

  it('takes a 50 MB resumable upload in 8 MiB chunks (308 + Range between them) with matching md5/crc32c', async () => {
    const data = payload(50 * 1024 * 1024, 7);
    const file = storage.bucket('uploads').file('models/big/variables/variables.data-00000-of-00001');
    let progressEvents = 0;
    const stream = file.createWriteStream({ resumable: true, chunkSize: 8 * 1024 * 1024, validation: 'crc32c' });
    stream.on('progress', () => (progressEvents += 1));
    const chunks = Array.from({ length: 50 }, (_, i) => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024));
    await pipeline(Readable.from(chunks), stream);
    const [meta] = await file.getMetadata();
    expect(meta.size).toBe(String(data.length));
    expect(meta.md5Hash).toBe(createHash('md5').update(data).digest('base64'));
    expect(meta.crc32c).toBe(crc32c(data));
    expect(progressEvents).toBeGreaterThan(1);
    const [back] = await file.download({ validation: 'crc32c' });
    expect(back.equals(data)).toBe(true);
  }, 60_000);

  it('takes a single-request resumable upload of unknown length ("bytes 0-*/*")', async () => {
    const data = payload(3 * 1024 * 1024 + 5, 11);
    const file = storage.bucket('uploads').file('single-request.bin');
    await pipeline(
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
      file.createWriteStream({ resumable: true }),
    );
    const [meta] = await file.getMetadata();
    expect(meta.md5Hash).toBe(createHash('md5').update(data).digest('base64'));
  });

  it('stores zero-byte folder placeholders through every upload type', async () => {
    for (const resumable of [false, true]) {
      const file = storage.bucket('uploads').file(`folder-${resumable}/`);
      await file.save('', { resumable });
      const [meta] = await file.getMetadata();
      expect(meta.size).toBe('0');
      expect(meta.md5Hash).toBe('1B2M2Y8AsgTpgAmY7PhCfg==');
      expect(meta.crc32c).toBe('AAAAAA==');
    }
  });

  it('takes uploadType=media with the Content-Type header as the object type', async () => {
    const response = await raw(
      emulator.url,
      'POST',
      '/upload/storage/v1/b/uploads/o?uploadType=media&name=media%2Fa.txt',
      'hello',
      { 'content-type': 'text/plain' },
    );
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ name: 'media/a.txt', contentType: 'text/plain', size: '5' });
  });

  it('refuses a final chunk whose X-Goog-Hash does not match the data (400) and keeps the session usable', async () => {
    const start = await raw(
      emulator.url,
      'POST',
      '/upload/storage/v1/b/uploads/o?uploadType=resumable&name=hash.bin',
      '{}',
      { 'content-type': 'application/json' },
    );
    const location = String(start.headers.location);
    const path = location.slice(emulator.url.length);
    const bad = await raw(emulator.url, 'PUT', path, 'abc', {
      'content-range': 'bytes 0-2/3',
      'x-goog-hash': `md5=${createHash('md5').update('xyz').digest('base64')}`,
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error?.message).toMatch(/MD5/);
    const good = await raw(emulator.url, 'PUT', path, 'abc', {
      'content-range': 'bytes 0-2/3',
      'x-goog-hash': `md5=${createHash('md5').update('abc').digest('base64')}`,
    });
    expect(good.status).toBe(200);
    const again = await raw(emulator.url, 'PUT', path, '', { 'content-range': 'bytes */3' });
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ name: 'hash.bin', size: '3' });
  });
});

describe('resumable session protocol and broken uploads (raw HTTP)', () => {
  let emulator: StorageEmulator;
  const Q = 256 * 1024;

  beforeAll(async () => {
    ({ emulator } = await startWithClient());
    emulator.createBucket('raw-uploads');
  });
  afterAll(() => emulator.stop());

  async function session(name: string, headers: Record<string, string> = {}): Promise<string> {
    const response = await raw(
      emulator.url,
      'POST',
      `/upload/storage/v1/b/raw-uploads/o?uploadType=resumable&name=${encodeURIComponent(name)}`,
      '{}',
      {
        'content-type': 'application/json',
        ...headers,
      },
    );
    expect(response.status).toBe(200);
    return String(response.headers.location).slice(emulator.url.length);
  }

  it('answers 308 with the committed Range, accepts a retransmitted overlap, and finalizes on the last chunk', async () => {
    const data = payload(2 * Q + 10, 3);
    const path = await session('chunks.bin');
    const status0 = await raw(emulator.url, 'PUT', path, '', { 'content-range': 'bytes */*' });
    expect(status0.status).toBe(308);
    expect(status0.headers.range).toBeUndefined();
    const first = await raw(emulator.url, 'PUT', path, data.subarray(0, Q), { 'content-range': `bytes 0-${Q - 1}/*` });
    expect(first.status).toBe(308);
    expect(first.headers.range).toBe(`bytes=0-${Q - 1}`);
    const overlap = await raw(emulator.url, 'PUT', path, data.subarray(0, 2 * Q), {
      'content-range': `bytes 0-${2 * Q - 1}/*`,
    });
    expect(overlap.headers.range).toBe(`bytes=0-${2 * Q - 1}`);
    const last = await raw(emulator.url, 'PUT', path, data.subarray(2 * Q), {
      'content-range': `bytes ${2 * Q}-${data.length - 1}/${data.length}`,
    });
    expect(last.status).toBe(200);
    expect(last.json()).toMatchObject({
      size: String(data.length),
      md5Hash: createHash('md5').update(data).digest('base64'),
    });
  });

  it.each([
    ['garbage', 'bytes=0-10/20', 400],
    ['end before start', 'bytes 5-2/10', 400],
    ['end beyond total', 'bytes 0-10/5', 400],
    ['huge total', 'bytes 0-0/999999999999999', 413],
    ['gap after received bytes', `bytes ${Q}-${2 * Q - 1}/*`, 400],
  ])('rejects a bad Content-Range (%s) with a clear error', async (_label, contentRange, status) => {
    const path = await session(`bad-range-${status}-${contentRange.length}.bin`);
    const body = Buffer.alloc(Q);
    const response = await raw(emulator.url, 'PUT', path, body, { 'content-range': contentRange });
    expect(response.status).toBe(status);
    expect(response.json().error?.message).toMatch(/Content-Range|limit/);
    const query = await raw(emulator.url, 'PUT', path, '', { 'content-range': 'bytes */*' });
    expect(query.status).toBe(308);
    expect(query.headers.range).toBeUndefined();
  });

  it('rejects a body that does not match its Content-Range length, and a non-final chunk off the 256 KiB grid', async () => {
    const path = await session('lengths.bin');
    expect((await raw(emulator.url, 'PUT', path, Buffer.alloc(10), { 'content-range': 'bytes 0-19/40' })).status).toBe(
      400,
    );
    const offGrid = await raw(emulator.url, 'PUT', path, Buffer.alloc(1000), { 'content-range': 'bytes 0-999/*' });
    expect(offGrid.status).toBe(400);
    expect(offGrid.json().error?.message).toMatch(/262144/);
  });

  it('answers 404 for an unknown upload id and 499 when a session is cancelled', async () => {
    const unknown = await raw(
      emulator.url,
      'PUT',
      '/upload/storage/v1/b/raw-uploads/o?uploadType=resumable&upload_id=nope',
      'x',
      { 'content-range': 'bytes 0-0/1' },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json().error?.message).toMatch(/upload_id "nope"/);
    const path = await session('cancel.bin');
    expect((await raw(emulator.url, 'DELETE', path)).status).toBe(499);
    expect((await raw(emulator.url, 'PUT', path, '', { 'content-range': 'bytes */*' })).status).toBe(404);
  });

  it('refuses a declared X-Upload-Content-Length over the limit before any data is sent', async () => {
    const small = await startWithClient({ maxObjectBytes: 1024 });
    try {
      small.emulator.createBucket('tiny');
      const response = await raw(
        small.emulator.url,
        'POST',
        '/upload/storage/v1/b/tiny/o?uploadType=resumable&name=x',
        '{}',
        {
          'content-type': 'application/json',
          'x-upload-content-length': '4096',
        },
      );
      expect(response.status).toBe(413);
      const media = await raw(
        small.emulator.url,
        'POST',
        '/upload/storage/v1/b/tiny/o?uploadType=media&name=x',
        Buffer.alloc(4096),
      );
      expect(media.status).toBe(413);
      const [files] = await small.storage.bucket('tiny').getFiles();
      expect(files).toEqual([]);
    } finally {
      await small.emulator.stop();
    }
  });
});

describe('a real SavedModel folder uploaded the way a training job drops it', () => {
  it('stores every file of tf2_half_plus_two byte for byte, announcing each finalize', async () => {
    const { emulator, storage } = await startWithClient();
    try {
      emulator.createBucket('training-output');
      const finalized: string[] = [];
      emulator.onEvent((event) => finalized.push(`${event.data.name} ${event.data.size}`));
      const files = ['saved_model.pb', 'variables/variables.index', 'variables/variables.data-00000-of-00001'];
      for (const [i, path] of files.entries()) {
        await storage.bucket('training-output').upload(fixture(`savedmodel/tf2_half_plus_two/${path}`), {
          destination: `models/hpt/1/${path}`,
          resumable: i % 2 === 0,
        });
      }
      for (const path of files) {
        const local = await readFile(fixture(`savedmodel/tf2_half_plus_two/${path}`));
        const [meta] = await storage.bucket('training-output').file(`models/hpt/1/${path}`).getMetadata();
        expect(meta.md5Hash).toBe(createHash('md5').update(local).digest('base64'));
        expect(finalized).toContain(`models/hpt/1/${path} ${local.length}`);
      }
    } finally {
      await emulator.stop();
    }
  });
});
