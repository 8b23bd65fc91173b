import { badRequest } from './errors';
import type { RouteContext } from './context';
import { MAX_JSON_BYTES } from './context';
import { readBody, sendEmpty, sendJson } from './http-io';
import { listPage } from './listing';
import { checkObjectName, checkBucketName } from './names';
import { checkPreconditions, readPreconditions } from './preconditions';
import { parseRange } from './ranges';
import { objectResource, parseJsonBody, readObjectFields } from './resources';

/**
 * Object calls of the JSON API other than uploads: get (metadata or `alt=media`), list, patch,
 * delete, copyTo and rewriteTo.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects
 */
export function handleList(ctx: RouteContext, bucket: string): void {
  const q = ctx.url.searchParams;
  if (q.has('matchGlob')) throw badRequest('matchGlob is not supported by this emulator; use prefix and delimiter.');
  const page = listPage(ctx.store.sortedNames(bucket), {
    prefix: q.get('prefix') ?? undefined,
    delimiter: q.get('delimiter') ?? undefined,
    pageToken: q.get('pageToken') ?? undefined,
    maxResults: positiveInt(q.get('maxResults'), 'maxResults'),
    startOffset: q.get('startOffset') ?? undefined,
    endOffset: q.get('endOffset') ?? undefined,
    includeTrailingDelimiter: q.get('includeTrailingDelimiter') === 'true',
  });
  sendJson(ctx.res, 200, {
    kind: 'storage#objects',
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
    ...(page.names.length > 0
      ? { items: page.names.map((name) => objectResource(ctx.store.getObject(bucket, name), ctx.baseUrl)) }
      : {}),
  });
}

export function handleGet(ctx: RouteContext, bucket: string, name: string, forceMedia = false): void {
  const object = ctx.store.getObject(bucket, name, generationParam(ctx));
  const { ifGenerationNotMatch, ifMetagenerationNotMatch, ...matches } = readPreconditions(ctx.url.searchParams);
  checkPreconditions(matches, object);
  if (ifGenerationNotMatch === object.generation || ifMetagenerationNotMatch === object.metageneration) {
    // GCS answers a read whose "not match" condition fails with 304, like an HTTP conditional GET.
    sendEmpty(ctx.res, 304);
    return;
  }
  if (!forceMedia && ctx.url.searchParams.get('alt') !== 'media') {
    sendJson(ctx.res, 200, objectResource(object, ctx.baseUrl));
    return;
  }
  const size = object.data.length;
  const range = parseRange(headerValue(ctx.req.headers.range), size);
  const headers: Record<string, string> = {
    'content-type': object.fields.contentType ?? 'application/octet-stream',
    'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
    'x-goog-generation': String(object.generation),
    'x-goog-metageneration': String(object.metageneration),
    'x-goog-stored-content-length': String(size),
    'x-goog-stored-content-encoding': object.fields.contentEncoding ?? 'identity',
    'x-goog-storage-class': 'STANDARD',
    'last-modified': new Date(object.updated).toUTCString(),
    etag: `"${object.md5Hash}"`,
  };
  if (range) {
    ctx.res.writeHead(206, {
      ...headers,
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': String(range.end - range.start + 1),
    });
    ctx.res.end(object.data.subarray(range.start, range.end + 1));
    return;
  }
  ctx.res.writeHead(200, { ...headers, 'content-length': String(size) });
  ctx.res.end(object.data);
}

export async function handlePatch(ctx: RouteContext, bucket: string, name: string): Promise<void> {
  const body = parseJsonBody(
    await readBody(ctx.req, MAX_JSON_BYTES),
    `the ${ctx.req.method} body for ${bucket}/${name}`,
  );
  const fields = readObjectFields(body, 'the object metadata');
  const object = ctx.store.patchObject(bucket, name, fields, readPreconditions(ctx.url.searchParams));
  await ctx.store.flush();
  sendJson(ctx.res, 200, objectResource(object, ctx.baseUrl));
}

export async function handleDelete(ctx: RouteContext, bucket: string, name: string): Promise<void> {
  ctx.store.deleteObject(bucket, name, readPreconditions(ctx.url.searchParams), generationParam(ctx));
  await ctx.store.flush();
  sendEmpty(ctx.res, 204);
}

/** `copyTo` answers the new object; `rewriteTo` wraps it in a one-shot, `done: true` rewrite response. */
export async function handleCopy(
  ctx: RouteContext,
  source: { bucket: string; name: string },
  destination: { bucket: string; name: string },
  rewrite: boolean,
): Promise<void> {
  checkBucketName(destination.bucket);
  checkObjectName(destination.name, 'destination object name');
  const body = parseJsonBody(await readBody(ctx.req, MAX_JSON_BYTES), 'the copy request body');
  const q = ctx.url.searchParams;
  const sourceGeneration = q.get('sourceGeneration');
  const from = ctx.store.getObject(
    source.bucket,
    source.name,
    sourceGeneration === null ? undefined : positiveInt(sourceGeneration, 'sourceGeneration'),
  );
  const sourceConditions = readPreconditions(q, true);
  checkPreconditions(sourceConditions, from);
  const overrides = readObjectFields(body, 'the destination resource');
  const fields = {
    ...from.fields,
    ...overrides,
    metadata: overrides.metadata === undefined ? from.fields.metadata : overrides.metadata,
  };
  ctx.store.getBucket(destination.bucket);
  const object = ctx.store.putObject(
    destination.bucket,
    destination.name,
    from.data,
    fields,
    readPreconditions(q),
    from,
  );
  await ctx.store.flush();
  const resource = objectResource(object, ctx.baseUrl);
  if (!rewrite) return sendJson(ctx.res, 200, resource);
  return sendJson(ctx.res, 200, {
    kind: 'storage#rewriteResponse',
    totalBytesRewritten: resource.size,
    objectSize: resource.size,
    done: true,
    resource,
  });
}

function generationParam(ctx: RouteContext): number | undefined {
  const raw = ctx.url.searchParams.get('generation');
  return raw === null ? undefined : positiveInt(raw, 'generation');
}

function positiveInt(raw: string | null, field: string): number | undefined {
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!/^\d{1,16}$/.test(raw) || value <= 0)
    throw badRequest(`Invalid value for ${field}: ${JSON.stringify(raw)} is not a positive integer.`);
  return value;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
