import { GcsHttpError, badRequest } from './errors';
import type { RouteContext } from './context';
import { MAX_JSON_BYTES } from './context';
import { readBody, sendEmpty, sendJson } from './http-io';
import { checkBucketName } from './names';
import { bucketResource, parseJsonBody } from './resources';

/**
 * `buckets.insert|get|list|delete`. Location and storage class are recorded, not acted on.
 * @see https://cloud.google.com/storage/docs/json_api/v1/buckets
 */
export async function handleBucketInsert(ctx: RouteContext): Promise<void> {
  const body = parseJsonBody(await readBody(ctx.req, MAX_JSON_BYTES), 'the bucket resource');
  const name = checkBucketName(typeof body.name === 'string' ? body.name : undefined);
  const labels = body.labels;
  if (
    labels !== undefined &&
    (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string'))
  ) {
    throw badRequest('Invalid bucket resource: labels must be an object of string values.');
  }
  const bucket = ctx.store.createBucket(name, {
    location: typeof body.location === 'string' ? body.location : undefined,
    storageClass: typeof body.storageClass === 'string' ? body.storageClass : undefined,
    labels: labels as Record<string, string> | undefined,
  });
  await ctx.store.flush();
  sendJson(ctx.res, 200, bucketResource(bucket, ctx.baseUrl, ctx.projectNumber));
}

export function handleBucketList(ctx: RouteContext): void {
  const prefix = ctx.url.searchParams.get('prefix') ?? '';
  const items = ctx.store
    .listBuckets()
    .filter((bucket) => bucket.name.startsWith(prefix))
    .map((bucket) => bucketResource(bucket, ctx.baseUrl, ctx.projectNumber));
  sendJson(ctx.res, 200, { kind: 'storage#buckets', ...(items.length > 0 ? { items } : {}) });
}

export async function handleBucket(ctx: RouteContext, name: string): Promise<void> {
  switch (ctx.req.method) {
    case 'GET':
      return sendJson(ctx.res, 200, bucketResource(ctx.store.getBucket(name), ctx.baseUrl, ctx.projectNumber));
    case 'DELETE':
      ctx.store.deleteBucket(name);
      await ctx.store.flush();
      return sendEmpty(ctx.res, 204);
    default:
      throw new GcsHttpError(
        405,
        'methodNotAllowed',
        `${ctx.req.method} on a bucket is not supported by this emulator (GET, DELETE).`,
      );
  }
}
