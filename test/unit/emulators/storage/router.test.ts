import { route } from '../../../../emulators/storage/router';

describe('route', () => {
  it.each([
    ['GET', '/storage/v1/b', 'buckets.list'],
    ['GET', '/b', 'buckets.list'],
    ['POST', '/storage/v1/b', 'buckets.insert'],
    ['GET', '/storage/v1/b/bkt', 'buckets.get'],
    ['DELETE', '/b/bkt', 'buckets.delete'],
    ['GET', '/storage/v1/b/bkt/o', 'objects.list'],
    ['GET', '/b/bkt/o/a%2Fb', 'objects.get'],
    ['PATCH', '/storage/v1/b/bkt/o/a%2Fb', 'objects.patch'],
    ['PUT', '/storage/v1/b/bkt/o/a', 'objects.patch'],
    ['DELETE', '/storage/v1/b/bkt/o/a', 'objects.delete'],
    ['POST', '/storage/v1/b/bkt/o/a%2Fb/rewriteTo/b/other/o/c', 'objects.copy'],
    ['POST', '/b/bkt/o/a/copyTo/b/other/o/c', 'objects.copy'],
    ['POST', '/storage/v1/b/bkt/o/a%2Fb/compose', 'objects.compose'],
    ['GET', '/storage/v1/b/bkt/o/a/compose', 'objects.get'],
    ['POST', '/upload/storage/v1/b/bkt/o', 'objects.insert'],
    ['PUT', '/upload/storage/v1/b/bkt/o', 'objects.insert'],
    ['POST', '/resumable/upload/storage/v1/b/bkt/o', 'objects.insert'],
    ['PUT', '/resumable/upload/storage/v1/b/bkt/o', 'objects.insert'],
    ['GET', '/storage/v1/b/bkt/storageLayout', 'buckets.getStorageLayout'],
    ['GET', '/b/bkt/storageLayout', 'buckets.getStorageLayout'],
    ['GET', '/storage/v1/b/bkt/managedFolders', 'managedFolders.list'],
    ['GET', '/storage/v1/b/bkt/managedFolders/a%2F', 'managedFolders.get'],
    ['GET', '/storage/v1/b/bkt/o/storageLayout', 'objects.get'],
    ['GET', '/download/storage/v1/b/bkt/o/a', 'objects.get'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(route(method, path)?.method).toBe(expected);
  });

  it.each([
    ['GET', '/'],
    ['GET', '/storage/v2/b'],
    ['PUT', '/storage/v1/b'],
    ['GET', '/upload/storage/v1/b/bkt/o/extra'],
    ['POST', '/download/storage/v1/b/bkt/o/a'],
    ['POST', '/resumable/upload/storage/v1/b/bkt/o/extra'],
    ['GET', '/resumable/storage/v1/b/bkt/o'],
  ])('does not route %s %s', (method, path) => {
    expect(route(method, path)).toBeUndefined();
  });

  it('answers unsupported methods on objects with 405 instead of guessing', () => {
    const matched = route('POST', '/storage/v1/b/bkt/o');
    expect(matched).toBeDefined();
    expect(() => matched!.run({} as never)).toThrow(
      expect.objectContaining({ status: 405, message: expect.stringMatching(/upload/) }),
    );
  });
});
