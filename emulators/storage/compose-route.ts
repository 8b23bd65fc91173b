import { badRequest } from './errors';
import type { RouteContext } from './context';
import { MAX_JSON_BYTES } from './context';
import { readBody, sendJson } from './http-io';
import { checkObjectName } from './names';
import { checkPreconditions, readPreconditions } from './preconditions';
import { objectResource, parseJsonBody, readObjectFields } from './resources';

/** GCS composes at most 32 source objects per call. */
export const MAX_COMPOSE_SOURCES = 32;

/**
 * `objects.compose`: concatenates objects of one bucket into a new generation of the destination.
 * gcloud needs it for parallel composite uploads, which it turns on by itself for files of 150 MiB
 * and more. The destination's fields come from the request's `destination` resource only, as in
 * GCS. Composite objects in GCS carry no md5Hash; here they keep one (computed over the bytes),
 * which no client checks against anything but the same bytes.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/compose
 */
export async function handleCompose(ctx: RouteContext, bucket: string, name: string): Promise<void> {
  checkObjectName(name, 'destination object name');
  const body = parseJsonBody(await readBody(ctx.req, MAX_JSON_BYTES), 'the compose request');
  const sources = readSources(body.sourceObjects);
  const destination = body.destination ?? {};
  if (typeof destination !== 'object' || destination === null || Array.isArray(destination))
    throw badRequest('Invalid compose request: destination must be an object resource.');
  const fields = readObjectFields(destination as Record<string, unknown>, 'the compose destination');
  ctx.store.getBucket(bucket);
  const parts = sources.map((source) => {
    const object = ctx.store.getObject(bucket, source.name, source.generation);
    checkPreconditions({ ifGenerationMatch: source.ifGenerationMatch }, object);
    return object.data;
  });
  const object = ctx.store.putObject(
    bucket,
    name,
    Buffer.concat(parts),
    fields,
    readPreconditions(ctx.url.searchParams),
  );
  await ctx.store.flush();
  sendJson(ctx.res, 200, { ...objectResource(object, ctx.baseUrl), componentCount: sources.length });
}

interface ComposeSource {
  name: string;
  generation?: number;
  ifGenerationMatch?: number;
}

/** `sourceObjects`: 1 to 32 entries, each `{name, generation?, objectPreconditions?: {ifGenerationMatch}}`. */
function readSources(raw: unknown): ComposeSource[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw badRequest('Invalid compose request: sourceObjects must list at least one source object.');
  if (raw.length > MAX_COMPOSE_SOURCES)
    throw badRequest(
      `Invalid compose request: ${raw.length} source objects; at most ${MAX_COMPOSE_SOURCES} may be composed at once.`,
    );
  return raw.map((entry: unknown, i) => {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof item.name !== 'string' || item.name === '')
      throw badRequest(`Invalid compose request: sourceObjects[${i}].name must be a non-empty string.`);
    const conditions = (item.objectPreconditions ?? {}) as Record<string, unknown>;
    return {
      name: item.name,
      generation: generation(item.generation, `sourceObjects[${i}].generation`),
      ifGenerationMatch: generation(
        conditions.ifGenerationMatch,
        `sourceObjects[${i}].objectPreconditions.ifGenerationMatch`,
      ),
    };
  });
}

/** Generations are int64, so JSON carries them as strings or numbers. */
function generation(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if ((typeof value !== 'string' && typeof value !== 'number') || !/^\d{1,16}$/.test(text))
    throw badRequest(`Invalid compose request: ${field} must be a generation number, got ${JSON.stringify(value)}.`);
  return Number(text);
}
