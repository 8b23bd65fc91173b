import { handleBucket, handleBucketInsert, handleBucketList } from './bucket-routes';
import type { RouteContext } from './context';
import { handleCompose } from './compose-route';
import { GcsHttpError } from './errors';
import { handleManagedFolderGet, handleManagedFolderList, handleStorageLayout } from './layout-routes';
import { decodeSegment } from './names';
import { handleCopy, handleDelete, handleGet, handleList, handlePatch } from './object-routes';
import { handleUpload } from './upload-routes';

/** A matched call: the API method name (as used by the fault injector) and what runs it. */
export interface Route {
  method: string;
  run(ctx: RouteContext): Promise<void> | void;
}

const COPY = /^\/b\/([^/]+)\/o\/(.+?)\/(copyTo|rewriteTo)\/b\/([^/]+)\/o\/(.+)$/;
const COMPOSE = /^\/b\/([^/]+)\/o\/(.+)\/compose$/;
const OBJECT = /^\/b\/([^/]+)\/o\/(.+)$/;
const OBJECTS = /^\/b\/([^/]+)\/o\/?$/;
const BUCKET = /^\/b\/([^/]+)\/?$/;
const STORAGE_LAYOUT = /^\/b\/([^/]+)\/storageLayout\/?$/;
const MANAGED_FOLDERS = /^\/b\/([^/]+)\/managedFolders\/?$/;
const MANAGED_FOLDER = /^\/b\/([^/]+)\/managedFolders\/(.+)$/;
/**
 * Upload endpoints: the Node client and `simple_path` of apitools use the first; apitools (gcloud,
 * gsutil) starts resumable uploads on its `resumable_path`, the second. Both take every uploadType.
 */
const UPLOAD_PREFIXES = ['/upload/storage/v1', '/resumable/upload/storage/v1'];

/**
 * Maps a request onto a JSON API call. Paths are matched on the raw, still-encoded path (never a
 * normalized URL: `%2E%2E` must stay part of an object name). JSON calls are served both under
 * `/storage/v1` (`apiEndpoint`) and at the root (`STORAGE_EMULATOR_HOST` is used as the base URL
 * as given); uploads under `/upload/storage/v1` and `/resumable/upload/storage/v1`, media links
 * under `/download/storage/v1`.
 * @see https://cloud.google.com/storage/docs/json_api
 */
export function route(httpMethod: string, rawPath: string): Route | undefined {
  const uploadPrefix = UPLOAD_PREFIXES.find((prefix) => rawPath.startsWith(`${prefix}/b/`));
  if (uploadPrefix) {
    const match = OBJECTS.exec(rawPath.slice(uploadPrefix.length));
    if (!match) return undefined;
    return { method: 'objects.insert', run: (ctx) => handleUpload(ctx, bucket(match[1])) };
  }
  if (rawPath.startsWith('/download/storage/v1/b/')) {
    const match = OBJECT.exec(rawPath.slice('/download/storage/v1'.length));
    if (!match || httpMethod !== 'GET') return undefined;
    return { method: 'objects.get', run: (ctx) => handleGet(ctx, bucket(match[1]), objectName(match[2]), true) };
  }
  const path =
    rawPath.startsWith('/storage/v1/') || rawPath === '/storage/v1' ? rawPath.slice('/storage/v1'.length) : rawPath;
  if (path === '/b' || path === '/b/') {
    if (httpMethod === 'GET') return { method: 'buckets.list', run: handleBucketList };
    if (httpMethod === 'POST') return { method: 'buckets.insert', run: handleBucketInsert };
    return undefined;
  }
  let match = BUCKET.exec(path);
  if (match) {
    const name = match[1];
    return {
      method: httpMethod === 'DELETE' ? 'buckets.delete' : 'buckets.get',
      run: (ctx) => handleBucket(ctx, bucket(name)),
    };
  }
  const layout = bucketLayoutRoute(httpMethod, path);
  if (layout) return layout;
  match = OBJECTS.exec(path);
  if (match) {
    const name = match[1];
    if (httpMethod !== 'GET')
      return notAllowed(
        'objects.insert',
        `${httpMethod} on /b/${name}/o: upload through /upload/storage/v1/b/${name}/o instead.`,
      );
    return { method: 'objects.list', run: (ctx) => handleList(ctx, bucket(name)) };
  }
  match = COPY.exec(path);
  if (match && httpMethod === 'POST') {
    const [, sb, sn, verb, db, dn] = match;
    return {
      method: 'objects.copy',
      run: (ctx) =>
        handleCopy(
          ctx,
          { bucket: bucket(sb), name: objectName(sn) },
          { bucket: bucket(db), name: objectName(dn) },
          verb === 'rewriteTo',
        ),
    };
  }
  match = COMPOSE.exec(path);
  if (match && httpMethod === 'POST') {
    const [, b, n] = match;
    return { method: 'objects.compose', run: (ctx) => handleCompose(ctx, bucket(b), objectName(n)) };
  }
  match = OBJECT.exec(path);
  if (!match) return undefined;
  const [, b, n] = match;
  switch (httpMethod) {
    case 'GET':
      return { method: 'objects.get', run: (ctx) => handleGet(ctx, bucket(b), objectName(n)) };
    case 'PATCH':
    case 'PUT':
      return { method: 'objects.patch', run: (ctx) => handlePatch(ctx, bucket(b), objectName(n)) };
    case 'DELETE':
      return { method: 'objects.delete', run: (ctx) => handleDelete(ctx, bucket(b), objectName(n)) };
    default:
      return notAllowed('objects.get', `${httpMethod} is not supported on an object.`);
  }
}

/** `storageLayout` and `managedFolders` of a bucket (see layout-routes.ts); GET only. */
function bucketLayoutRoute(httpMethod: string, path: string): Route | undefined {
  let match = STORAGE_LAYOUT.exec(path);
  if (match) {
    const name = match[1];
    if (httpMethod !== 'GET') return notAllowed('buckets.getStorageLayout', `${httpMethod} on a storage layout.`);
    return { method: 'buckets.getStorageLayout', run: (ctx) => handleStorageLayout(ctx, bucket(name)) };
  }
  match = MANAGED_FOLDERS.exec(path);
  if (match) {
    const name = match[1];
    if (httpMethod !== 'GET')
      return notAllowed('managedFolders.insert', 'Managed folders are not emulated; only listing them (none) is.');
    return { method: 'managedFolders.list', run: (ctx) => handleManagedFolderList(ctx, bucket(name)) };
  }
  match = MANAGED_FOLDER.exec(path);
  if (match) {
    const [, name, folder] = match;
    if (httpMethod !== 'GET')
      return notAllowed('managedFolders.get', 'Managed folders are not emulated; only listing them (none) is.');
    return {
      method: 'managedFolders.get',
      run: (ctx) => handleManagedFolderGet(ctx, bucket(name), decodeSegment(folder, 'managed folder name')),
    };
  }
  return undefined;
}

function notAllowed(method: string, message: string): Route {
  return {
    method,
    run: () => {
      throw new GcsHttpError(405, 'methodNotAllowed', message);
    },
  };
}

function bucket(segment: string): string {
  return decodeSegment(segment, 'bucket name');
}

function objectName(segment: string): string {
  return decodeSegment(segment, 'object name');
}
