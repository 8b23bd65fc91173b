import type { Storage } from '@google-cloud/storage';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { raw, startWithClient } from './start-client';

/**
 * `objects.compose` through the client's `bucket.combine()`, and the refusals GCS documents
 * (1 to 32 sources, a missing source is a 404, a source precondition a 412).
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/compose
 */
describe('objects.compose', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    emulator.createBucket('parts');
    const bucket = storage.bucket('parts');
    await Promise.all(
      ['a', 'b', 'c'].map((name, i) => bucket.file(`part-${name}`).save(Buffer.from(`${name}\r\n`.repeat(i + 1)))),
    );
  });
  afterAll(() => emulator.stop());

  it('concatenates the sources in order into the destination, with its contentType', async () => {
    const bucket = storage.bucket('parts');
    const [whole, response] = await bucket.combine(['part-a', 'part-b', 'part-c'], bucket.file('whole.txt'), {
      ifGenerationMatch: 0,
    });
    const [data] = await whole.download();
    expect(data.toString()).toBe('a\r\nb\r\nb\r\nc\r\nc\r\nc\r\n');
    expect(response).toMatchObject({ name: 'whole.txt', size: String(data.length), componentCount: 3 });
    const [meta] = await whole.getMetadata();
    expect(meta.contentType).toBe('text/plain');
  });

  it.each([
    ['no sources', { sourceObjects: [] }, 400, /at least one source/],
    ['33 sources', { sourceObjects: Array.from({ length: 33 }, () => ({ name: 'part-a' })) }, 400, /at most 32/],
    ['a missing source', { sourceObjects: [{ name: 'part-a' }, { name: 'nope' }] }, 404, /No such object: parts\/nope/],
    [
      'a source precondition that fails',
      { sourceObjects: [{ name: 'part-a', objectPreconditions: { ifGenerationMatch: '1' } }] },
      412,
      /pre-conditions/,
    ],
    ['a bad generation', { sourceObjects: [{ name: 'part-a', generation: 'x' }] }, 400, /generation number/],
  ])('refuses %s', async (_label, body, code, message) => {
    const res = await raw(emulator.url, 'POST', '/storage/v1/b/parts/o/refused/compose', JSON.stringify(body), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(code);
    expect(res.json().error).toMatchObject({ code, message: expect.stringMatching(message) });
    const [exists] = await storage.bucket('parts').file('refused').exists();
    expect(exists).toBe(false);
  });
});
