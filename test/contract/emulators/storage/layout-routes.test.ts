import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { raw, startWithClient } from './start-client';

/**
 * `buckets.getStorageLayout` and `managedFolders.list`, which gcloud calls before recursive
 * operations. The Node client has neither method, so these are raw requests; the gcloud contract
 * test (gcloud-cli.test.ts) drives them through gcloud itself.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getStorageLayout
 * @see https://cloud.google.com/storage/docs/json_api/v1/managedFolders/list
 */
describe('bucket layout calls used by gcloud', () => {
  let emulator: StorageEmulator;

  beforeAll(async () => {
    ({ emulator } = await startWithClient());
    emulator.createBucket('flat');
  });
  afterAll(() => emulator.stop());

  it.each(['/storage/v1/b/flat/storageLayout', '/b/flat/storageLayout?prefix=dir%2F'])(
    'GET %s answers a flat (non-HNS) layout',
    async (path) => {
      const res = await raw(emulator.url, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        kind: 'storage#storageLayout',
        bucket: 'flat',
        location: 'US',
        locationType: 'multi-region',
        hierarchicalNamespace: { enabled: false },
      });
    },
  );

  it('lists no managed folders, with items omitted', async () => {
    const res = await raw(emulator.url, 'GET', '/storage/v1/b/flat/managedFolders?pageSize=1000&prefix=a');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ kind: 'storage#managedFolders' });
  });

  it.each([
    ['GET', '/storage/v1/b/nope/storageLayout', 404, 'notFound'],
    ['GET', '/storage/v1/b/nope/managedFolders', 404, 'notFound'],
    ['GET', '/storage/v1/b/flat/managedFolders/a%2F', 404, 'notFound'],
    ['POST', '/storage/v1/b/flat/managedFolders', 405, 'methodNotAllowed'],
  ])('%s %s is a %d in the JSON API error shape', async (method, path, code, reason) => {
    const res = await raw(emulator.url, method, path);
    expect(res.status).toBe(code);
    expect(res.json().error).toMatchObject({ code, errors: [{ domain: 'global', reason }] });
  });
});
