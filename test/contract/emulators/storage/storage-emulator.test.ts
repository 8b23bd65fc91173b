import { ApiError } from '@google-cloud/storage';
import type { Storage } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { raw, startWithClient } from './start-client';

describe('storage emulator through @google-cloud/storage (apiEndpoint)', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    await storage.createBucket('artifacts');
  });
  afterAll(() => emulator.stop());

  it('creates buckets, reports existence and refuses duplicates with 409', async () => {
    expect(await storage.bucket('artifacts').exists()).toEqual([true]);
    expect(await storage.bucket('missing-bucket').exists()).toEqual([false]);
    await expect(storage.createBucket('artifacts')).rejects.toMatchObject({ code: 409 });
    const [buckets] = await storage.getBuckets();
    expect(buckets.map((b) => b.name)).toContain('artifacts');
  });

  it('saves and downloads bytes with md5Hash, crc32c, size and generation as GCS reports them', async () => {
    const data = Buffer.from('half plus two\n');
    const file = storage.bucket('artifacts').file('models/hpt/1/saved_model.pb');
    await file.save(data, {
      resumable: false,
      contentType: 'application/x-protobuf',
      metadata: { metadata: { run: 'r1' } },
    });
    const [meta] = await file.getMetadata();
    expect(meta.size).toBe(String(data.length));
    expect(meta.md5Hash).toBe(createHash('md5').update(data).digest('base64'));
    expect(typeof meta.generation).toBe('string');
    expect(meta.metageneration).toBe('1');
    expect(meta.contentType).toBe('application/x-protobuf');
    expect(meta.metadata).toEqual({ run: 'r1' });
    const [downloaded] = await file.download();
    expect(downloaded.equals(data)).toBe(true);
  });

  it('validates downloads end to end: the client checks crc32c and md5 from x-goog-hash', async () => {
    const file = storage.bucket('artifacts').file('validated.bin');
    const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
    await file.save(data, { resumable: false });
    const [downloaded] = await file.download({ validation: 'md5' });
    expect(downloaded.equals(data)).toBe(true);
    const [crcChecked] = await file.download({ validation: 'crc32c' });
    expect(crcChecked.equals(data)).toBe(true);
  });

  it('serves byte ranges (start/end inclusive)', async () => {
    const file = storage.bucket('artifacts').file('range.txt');
    await file.save('0123456789', { resumable: false });
    const cases: Array<[{ start?: number; end?: number }, string]> = [
      [{ start: 2, end: 5 }, '2345'],
      [{ start: 7 }, '789'],
      [{ start: 0, end: 0 }, '0'],
      [{ start: 8, end: 100 }, '89'],
    ];
    for (const [range, expected] of cases) {
      const [part] = await file.download(range);
      expect(part.toString()).toBe(expected);
    }
    const unsatisfiable = await raw(emulator.url, 'GET', '/storage/v1/b/artifacts/o/range.txt?alt=media', undefined, {
      Range: 'bytes=10-12',
    });
    expect(unsatisfiable.status).toBe(416);
  });

  it('makes ifGenerationMatch: 0 create-only: the second save gets ApiError 412 with the real body', async () => {
    const file = storage.bucket('artifacts').file('runs/run-1.json');
    await file.save('{"state":"new"}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    const second = file.save('{"state":"other"}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(second).rejects.toBeInstanceOf(ApiError);
    const error = await second.catch((e: ApiError) => e);
    expect(error).toMatchObject({
      code: 412,
      message: 'At least one of the pre-conditions you specified did not hold.',
    });
    expect((error as ApiError).errors?.[0]).toMatchObject({
      reason: 'conditionNotMet',
      domain: 'global',
      locationType: 'header',
      location: 'If-Match',
    });
    const [content] = await file.download();
    expect(content.toString()).toBe('{"state":"new"}');
  });

  it('honours ifGenerationMatch/ifGenerationNotMatch on overwrite and resumable create', async () => {
    const file = storage.bucket('artifacts').file('cas.txt');
    await file.save('v1', { resumable: false });
    const [meta] = await file.getMetadata();
    await expect(
      file.save('v2', { resumable: false, preconditionOpts: { ifGenerationMatch: Number(meta.generation) + 1 } }),
    ).rejects.toMatchObject({ code: 412 });
    await expect(
      file.save('v2', { resumable: false, preconditionOpts: { ifGenerationNotMatch: Number(meta.generation) } }),
    ).rejects.toMatchObject({ code: 412 });
    await file.save('v2', { resumable: true, preconditionOpts: { ifGenerationMatch: Number(meta.generation) } });
    const [after] = await file.getMetadata();
    expect(BigInt(after.generation as string)).toBeGreaterThan(BigInt(meta.generation as string));
    // A resumable start refused by a precondition surfaces as a GaxiosError: `.status` 412, `.code` undefined.
    const refused = await file
      .save('v3', { resumable: true, preconditionOpts: { ifGenerationMatch: 0 } })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 412,
      response: { data: { error: { code: 412, errors: [{ reason: 'conditionNotMet' }] } } },
    });
  });

  it('applies read preconditions: 412 for a failed match, 304 for a failed not-match', async () => {
    const file = storage.bucket('artifacts').file('read-cas.txt');
    await file.save('r', { resumable: false });
    const [meta] = await file.getMetadata();
    const path = '/storage/v1/b/artifacts/o/read-cas.txt';
    expect((await raw(emulator.url, 'GET', `${path}?ifGenerationMatch=${meta.generation}`)).status).toBe(200);
    expect((await raw(emulator.url, 'GET', `${path}?ifGenerationMatch=1`)).status).toBe(412);
    expect((await raw(emulator.url, 'GET', `${path}?alt=media&ifMetagenerationMatch=2`)).status).toBe(412);
    expect((await raw(emulator.url, 'GET', `${path}?alt=media&ifGenerationNotMatch=${meta.generation}`)).status).toBe(
      304,
    );
    expect((await raw(emulator.url, 'GET', `${path}?alt=media&ifGenerationNotMatch=1`)).body.toString()).toBe('r');
  });

  it('patches metadata with ifMetagenerationMatch, bumping metageneration and removing null keys', async () => {
    const file = storage.bucket('artifacts').file('meta.txt');
    await file.save('x', { resumable: false, metadata: { metadata: { keep: 'a', drop: 'b' } } });
    const [patched] = await file.setMetadata(
      { metadata: { drop: null, added: 'c' }, contentType: 'text/plain' },
      { ifMetagenerationMatch: 1 },
    );
    expect(patched.metageneration).toBe('2');
    expect(patched.metadata).toEqual({ keep: 'a', added: 'c' });
    expect(patched.contentType).toBe('text/plain');
    await expect(file.setMetadata({ metadata: { late: 'x' } }, { ifMetagenerationMatch: 1 })).rejects.toMatchObject({
      code: 412,
    });
    const [still] = await file.getMetadata();
    expect(still.metadata).toEqual({ keep: 'a', added: 'c' });
  });

  it('copies objects (rewrite), keeping content and metadata, and honours destination preconditions', async () => {
    const source = storage.bucket('artifacts').file('copy/source.bin');
    await source.save(Buffer.from([1, 2, 3]), { resumable: false, metadata: { metadata: { origin: 'src' } } });
    await source.copy(storage.bucket('artifacts').file('copy/dest.bin'));
    const dest = storage.bucket('artifacts').file('copy/dest.bin');
    const [bytes] = await dest.download();
    expect([...bytes]).toEqual([1, 2, 3]);
    expect((await dest.getMetadata())[0].metadata).toEqual({ origin: 'src' });
    await expect(source.copy(dest, { preconditionOpts: { ifGenerationMatch: 0 } })).rejects.toMatchObject({
      code: 412,
    });
    await expect(storage.bucket('artifacts').file('copy/none').copy(dest)).rejects.toMatchObject({ code: 404 });
  });

  it('deletes objects; a second delete and a download of a missing object give 404 No such object', async () => {
    const file = storage.bucket('artifacts').file('gone.txt');
    await file.save('bye', { resumable: false });
    await file.delete();
    expect(await file.exists()).toEqual([false]);
    await expect(file.delete()).rejects.toMatchObject({ code: 404, message: 'No such object: artifacts/gone.txt' });
    await expect(file.download()).rejects.toMatchObject({ code: 404 });
  });

  it('refuses to delete a non-empty bucket (409) and deletes an empty one', async () => {
    await storage.createBucket('scratch-bucket');
    await storage.bucket('scratch-bucket').file('a').save('a', { resumable: false });
    await expect(storage.bucket('scratch-bucket').delete()).rejects.toMatchObject({ code: 409 });
    await storage.bucket('scratch-bucket').file('a').delete();
    await storage.bucket('scratch-bucket').delete();
    expect(await storage.bucket('scratch-bucket').exists()).toEqual([false]);
  });

  it('keeps unicode names intact and orders listings by UTF-8 bytes', async () => {
    const names = [
      'uni/ä.txt',
      'uni/z.txt',
      'uni/日本.txt',
      'uni/😀.txt',
      'uni/\uFF5E.txt',
      'uni/a/../b.txt',
      'uni/%2E%2E',
    ];
    for (const name of names) await storage.bucket('artifacts').file(name).save(name, { resumable: false });
    const [files] = await storage.bucket('artifacts').getFiles({ prefix: 'uni/' });
    const expected = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(files.map((f) => f.name)).toEqual(expected);
    for (const name of names)
      expect((await storage.bucket('artifacts').file(name).download())[0].toString()).toBe(name);
  });
});

describe('listing with prefix, delimiter and pagination', () => {
  let emulator: StorageEmulator;
  let storage: Storage;
  const names = [
    'models/flowers/7/saved_model.pb',
    'models/flowers/7/variables/variables.index',
    'models/flowers/8/',
    'models/iris/1/saved_model.pb',
    'models/readme.txt',
    'models/z.txt',
    'other/x',
  ];

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    await storage.createBucket('listing');
    for (const name of names)
      await storage
        .bucket('listing')
        .file(name)
        .save(name.endsWith('/') ? '' : name, { resumable: false });
  });
  afterAll(() => emulator.stop());

  async function allPages(maxResults: number, delimiter?: string) {
    const items: string[] = [];
    const prefixes: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [files, next, response] = await storage
        .bucket('listing')
        .getFiles({ prefix: 'models/', delimiter, autoPaginate: false, maxResults, pageToken });
      const body = response as { prefixes?: string[] };
      expect(files.length + (body.prefixes?.length ?? 0)).toBeLessThanOrEqual(maxResults);
      items.push(...files.map((f) => f.name));
      prefixes.push(...(body.prefixes ?? []));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages += 1;
    } while (pageToken && pages < 20);
    return { items, prefixes, pages };
  }

  it.each([1, 2, 3, 100])('pages through everything under a prefix with maxResults %i', async (maxResults) => {
    const { items, pages } = await allPages(maxResults);
    expect(items).toEqual(names.filter((n) => n.startsWith('models/')));
    expect(pages).toBe(Math.max(1, Math.ceil(6 / maxResults)));
  });

  it.each([1, 2, 5])('rolls up prefixes with a delimiter and pages them with maxResults %i', async (maxResults) => {
    const { items, prefixes } = await allPages(maxResults, '/');
    expect(items).toEqual(['models/readme.txt', 'models/z.txt']);
    expect(prefixes).toEqual(['models/flowers/', 'models/iris/']);
  });

  it('rejects a forged page token with 400', async () => {
    await expect(
      storage.bucket('listing').getFiles({ autoPaginate: false, pageToken: 'not-a-token' }),
    ).rejects.toMatchObject({ code: 400 });
  });
});

describe('STORAGE_EMULATOR_HOST', () => {
  const saved = process.env.STORAGE_EMULATOR_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = saved;
  });

  it('serves a client configured only through the environment (JSON calls at the root, uploads under /upload)', async () => {
    const { emulator } = await startWithClient();
    try {
      process.env.STORAGE_EMULATOR_HOST = emulator.host;
      const { Storage } = await import('@google-cloud/storage');
      const storage = new Storage({ projectId: 'local' });
      await storage.createBucket('env-bucket');
      for (const resumable of [false, true]) {
        const file = storage.bucket('env-bucket').file(`env-${resumable}.txt`);
        await file.save(`via env ${resumable}`, { resumable });
        expect((await file.download())[0].toString()).toBe(`via env ${resumable}`);
      }
      const [files] = await storage.bucket('env-bucket').getFiles();
      expect(files.map((f) => f.name)).toEqual(['env-false.txt', 'env-true.txt']);
    } finally {
      await emulator.stop();
    }
  });
});
