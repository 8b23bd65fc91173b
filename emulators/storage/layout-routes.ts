import type { RouteContext } from './context';
import { GcsHttpError } from './errors';
import { sendJson } from './http-io';
import { bucketResource } from './resources';
import type { ManagedFolderList, StorageLayoutResource } from './types';

/**
 * `buckets.getStorageLayout`: how a bucket's namespace is laid out. gcloud asks before `cp -r`,
 * `rm -r` and `ls` of a folder to choose between objects and the folders API. Emulated buckets
 * are flat (no hierarchical namespace), so it answers `enabled: false` and gcloud works on objects.
 * The `prefix` parameter only narrows GCS's permission check, which the emulator does not make.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets/getStorageLayout
 */
export function handleStorageLayout(ctx: RouteContext, name: string): void {
  const bucket = bucketResource(ctx.store.getBucket(name), ctx.baseUrl, ctx.projectNumber);
  const layout: StorageLayoutResource = {
    kind: 'storage#storageLayout',
    bucket: bucket.name,
    location: bucket.location,
    locationType: bucket.locationType,
    hierarchicalNamespace: { enabled: false },
  };
  sendJson(ctx.res, 200, layout);
}

/**
 * `managedFolders.list`: managed folders (IAM on a prefix) are not emulated, so every bucket has
 * none; gcloud lists them on recursive operations (`rm -r gs://bucket`). Items are omitted when
 * empty, as GCS does.
 * @see https://cloud.google.com/storage/docs/json_api/v1/managedFolders/list
 */
export function handleManagedFolderList(ctx: RouteContext, name: string): void {
  ctx.store.getBucket(name);
  const list: ManagedFolderList = { kind: 'storage#managedFolders' };
  sendJson(ctx.res, 200, list);
}

/** `managedFolders.get`: none exist, so a 404 once the bucket is known to exist. */
export function handleManagedFolderGet(ctx: RouteContext, name: string, folder: string): void {
  ctx.store.getBucket(name);
  throw new GcsHttpError(404, 'notFound', `The managed folder ${folder} does not exist in bucket ${name}.`);
}
