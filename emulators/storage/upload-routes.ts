import { badRequest, GcsHttpError } from './errors';
import type { RouteContext } from './context';
import { MAX_JSON_BYTES } from './context';
import { hashBytes, parseGoogHash } from './hashes';
import type { ObjectHashes } from './hashes';
import { readBody, sendEmpty, sendJson } from './http-io';
import { parseMultipart } from './multipart';
import { checkObjectName } from './names';
import { checkPreconditions, readPreconditions } from './preconditions';
import { parseContentRange } from './ranges';
import { objectResource, parseJsonBody, readObjectFields } from './resources';
import type { WritableObjectFields } from './types';

/**
 * `POST /upload/storage/v1/b/{bucket}/o?uploadType=media|multipart|resumable` and the PUTs of a
 * resumable session (`...&upload_id=`).
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/insert
 */
export async function handleUpload(ctx: RouteContext, bucket: string): Promise<void> {
  const { req, url } = ctx;
  const uploadId = url.searchParams.get('upload_id');
  if (uploadId !== null) return handleSessionRequest(ctx, uploadId);
  if (req.method !== 'POST')
    throw new GcsHttpError(
      405,
      'methodNotAllowed',
      `${req.method} is not allowed on an upload URL without upload_id; POST to start an upload.`,
    );
  ctx.store.getBucket(bucket);
  const uploadType = url.searchParams.get('uploadType');
  const conditions = readPreconditions(url.searchParams);
  if (uploadType === 'media') {
    const name = checkObjectName(url.searchParams.get('name') ?? undefined);
    const data = await readBody(req, ctx.maxObjectBytes);
    const contentType = req.headers['content-type'];
    return finalize(
      ctx,
      bucket,
      name,
      data,
      contentType ? { contentType } : {},
      conditions,
      parseGoogHash(header(req.headers['x-goog-hash'])),
    );
  }
  if (uploadType === 'multipart') {
    const body = await readBody(req, ctx.maxObjectBytes + MAX_JSON_BYTES);
    const parts = parseMultipart(req.headers['content-type'], body);
    if (parts.length !== 2)
      throw badRequest(`Invalid multipart upload: expected 2 parts (metadata JSON, then media), got ${parts.length}.`);
    const metadata = parseJsonBody(parts[0].body, 'the metadata part of the multipart upload');
    const fields = readObjectFields(metadata, 'the metadata part');
    const partType = parts[1].headers['content-type'];
    if (fields.contentType === undefined && partType) fields.contentType = partType;
    const name = checkObjectName((url.searchParams.get('name') ?? stringField(metadata, 'name')) || undefined);
    return finalize(ctx, bucket, name, parts[1].body, fields, conditions, declaredHashes(metadata));
  }
  if (uploadType === 'resumable') {
    const metadata = parseJsonBody(await readBody(req, MAX_JSON_BYTES), 'the resumable upload metadata');
    const name = checkObjectName((url.searchParams.get('name') ?? stringField(metadata, 'name')) || undefined);
    const fields = readObjectFields(metadata, 'the resumable upload metadata');
    const declaredType = header(req.headers['x-upload-content-type']);
    if (fields.contentType === undefined && declaredType) fields.contentType = declaredType;
    const declaredLength = header(req.headers['x-upload-content-length']);
    const total = declaredLength === undefined ? undefined : Number(declaredLength);
    if (total !== undefined && !(Number.isSafeInteger(total) && total >= 0))
      throw badRequest(`Invalid X-Upload-Content-Length ${JSON.stringify(declaredLength)}: expected a byte count.`);
    if (total !== undefined && total > ctx.maxObjectBytes)
      throw new GcsHttpError(
        413,
        'uploadTooLarge',
        `X-Upload-Content-Length ${total} exceeds this emulator's limit of ${ctx.maxObjectBytes} bytes.`,
      );
    checkPreconditions(conditions, ctx.store.findObject(bucket, name));
    const session = ctx.sessions.create(bucket, name, fields, conditions, total);
    const location = `${ctx.baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${session.id}`;
    return sendEmpty(ctx.res, 200, { location });
  }
  throw badRequest(`Invalid uploadType ${JSON.stringify(uploadType ?? '')}: use media, multipart or resumable.`);
}

async function handleSessionRequest(ctx: RouteContext, uploadId: string): Promise<void> {
  const { req, res } = ctx;
  if (req.method === 'DELETE') {
    ctx.sessions.cancel(uploadId);
    return sendEmpty(res, 499);
  }
  if (req.method !== 'PUT' && req.method !== 'POST')
    throw new GcsHttpError(
      405,
      'methodNotAllowed',
      `${req.method} is not allowed on a resumable session; PUT chunks to it.`,
    );
  const session = ctx.sessions.get(uploadId);
  const range = parseContentRange(header(req.headers['content-range']), ctx.maxObjectBytes);
  const body = await readBody(req, ctx.maxObjectBytes);
  if (session.finalized) return sendJson(res, 200, session.finalized);
  const outcome = ctx.sessions.accept(session, range, body);
  if (!outcome.complete) {
    return sendEmpty(res, 308, outcome.received > 0 ? { range: `bytes=0-${outcome.received - 1}` } : {});
  }
  const resource = await store(
    ctx,
    session.bucket,
    session.name,
    outcome.data,
    session.fields,
    session.conditions,
    parseGoogHash(header(req.headers['x-goog-hash'])),
  );
  session.finalized = resource as unknown as Record<string, unknown>;
  return sendJson(res, 200, resource);
}

async function finalize(...args: Parameters<typeof store>): Promise<void> {
  const resource = await store(...args);
  sendJson(args[0].res, 200, resource);
}

/** Verifies client-declared hashes (400 on mismatch, as GCS does) and writes the new generation. */
async function store(
  ctx: RouteContext,
  bucket: string,
  name: string,
  data: Buffer,
  fields: WritableObjectFields,
  conditions: ReturnType<typeof readPreconditions>,
  declared: Partial<ObjectHashes>,
) {
  const actual = hashBytes(data);
  if (declared.md5Hash !== undefined && declared.md5Hash !== actual.md5Hash) {
    throw badRequest(`Provided MD5 hash "${declared.md5Hash}" doesn't match calculated MD5 hash "${actual.md5Hash}".`);
  }
  if (declared.crc32c !== undefined && declared.crc32c !== actual.crc32c) {
    throw badRequest(`Provided CRC32C "${declared.crc32c}" doesn't match calculated CRC32C "${actual.crc32c}".`);
  }
  const object = ctx.store.putObject(bucket, name, data, fields, conditions, actual);
  await ctx.store.flush();
  return objectResource(object, ctx.baseUrl);
}

function declaredHashes(metadata: Record<string, unknown>): Partial<ObjectHashes> {
  const out: Partial<ObjectHashes> = {};
  const md5Hash = stringField(metadata, 'md5Hash');
  const crc32c = stringField(metadata, 'crc32c');
  if (md5Hash) out.md5Hash = md5Hash;
  if (crc32c) out.crc32c = crc32c;
  return out;
}

function stringField(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badRequest(`Invalid ${key}: must be a string, got ${typeof value}.`);
  return value;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
