import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { status, type ServerUnaryCall, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Type } from 'protobufjs';
import { readBodyWithin } from '../http-body';
import { RpcError } from '../rpc-error';
import { camel, messageFromJson, messageToJson } from './proto-json';
import { restError, type RestErrorBody } from './rest-error';
import { matchRoute, type RestRoute } from './route-template';

type Obj = Record<string, unknown>;

/** Query parameters every Google REST API accepts and the emulators ignore (`alt=json`, `prettyPrint`, ...). */
const SYSTEM_PARAMS = new Set(['alt', 'prettyPrint', 'fields', 'key', 'access_token', 'quotaUser', 'callback']);

/** What {@link restHandler} serves and how it names itself in errors. */
export interface RestSurface {
  /** The proto package, for "No google.pubsub.v1 REST method at ..." and UNIMPLEMENTED messages. */
  api: string;
  /** The emulator's name in UNIMPLEMENTED and INTERNAL messages ("ferry's Pub/Sub emulator"). */
  emulator: string;
  routes: RestRoute[];
  /** The gRPC service implementations, by `RestRoute.service`; each RPC runs through the same code as over gRPC. */
  services: Record<string, UntypedServiceImplementation>;
  /** A message type by full name. */
  typeOf(name: string): Type;
  maxBodyBytes: number;
  /**
   * Turns the mapped request into the exact object the gRPC deserializer would have produced
   * (`bodyBytes`: the JSON body's size, for limits set on the request size). Identity when absent.
   */
  prepare?(type: Type, request: Obj, bodyBytes: number): Obj;
}

function send(res: http.ServerResponse, httpStatus: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(httpStatus, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, code: number, message: string): void {
  const { httpStatus, body } = restError(code, message);
  send(res, httpStatus, body satisfies RestErrorBody);
}

/** Sets `request[a][b] = value` for the field path `a.b` (proto or JSON names). */
function setPath(request: Obj, field: string, value: unknown): void {
  const parts = field.split('.').map(camel);
  let target = request;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    target = (target[part] = typeof next === 'object' && next !== null ? next : {}) as Obj;
  }
  target[parts[parts.length - 1]] = value;
}

/**
 * The request fields that travel as query parameters (`pageSize=2`, `endpoint.displayName=x`,
 * a repeated field as the parameter given again), as proto3 JSON for {@link messageFromJson}.
 */
function queryJson(type: Type, query: URLSearchParams): Obj {
  const json: Obj = {};
  for (const [key, value] of query) {
    if (SYSTEM_PARAMS.has(key) || key.startsWith('$')) continue;
    let t: Type | undefined = type;
    let field;
    for (const part of key.split('.')) {
      field = t?.fieldsArray.find((f) => f.name === part || camel(f.name) === camel(part));
      t = field?.resolvedType && 'fieldsArray' in field.resolvedType ? (field.resolvedType as Type) : undefined;
      if (!field) break;
    }
    if (!field) {
      throw new RpcError(
        status.INVALID_ARGUMENT,
        `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`,
      );
    }
    const typed = field.type === 'bool' && (value === 'true' || value === 'false') ? value === 'true' : value;
    const target = key.split('.');
    const get = (o: Obj, path: string[]): unknown => path.reduce<unknown>((x, p) => (x as Obj | undefined)?.[p], o);
    if (field.repeated) {
      const existing = get(json, target);
      setPath(json, key, [...((existing as unknown[] | undefined) ?? []), typed]);
    } else {
      setPath(json, key, typed);
    }
  }
  return json;
}

async function readJsonBody(req: http.IncomingMessage, limit: number): Promise<{ json: unknown; bytes: number }> {
  const raw = await readBodyWithin(req, limit);
  if (raw === undefined) {
    throw new RpcError(status.INVALID_ARGUMENT, `Request payload size exceeds the limit: ${limit} bytes.`);
  }
  if (raw.length === 0) return { json: {}, bytes: 0 };
  try {
    return { json: JSON.parse(raw.toString('utf8')), bytes: raw.length };
  } catch (err) {
    throw new RpcError(
      status.INVALID_ARGUMENT,
      `Invalid JSON payload received. ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * The request of `route` from its query parameters, its body (the whole request for `body: "*"`,
 * one field of it otherwise) and its path variables, which win over the same fields in the body.
 */
async function buildRequest(
  surface: RestSurface,
  route: RestRoute,
  values: string[],
  req: http.IncomingMessage,
  url: URL,
): Promise<Obj> {
  const type = surface.typeOf(route.request);
  const json = queryJson(type, url.searchParams);
  let bytes = 0;
  if (route.body) {
    const body = await readJsonBody(req, surface.maxBodyBytes);
    bytes = body.bytes;
    if (route.body === '*') {
      if (typeof body.json !== 'object' || body.json === null || Array.isArray(body.json)) {
        throw new RpcError(
          status.INVALID_ARGUMENT,
          `Invalid JSON payload received. Expected an object as the request body, got ${JSON.stringify(body.json).slice(0, 100)}.`,
        );
      }
      Object.assign(json, body.json);
    } else {
      setPath(json, route.body, body.json);
    }
  } else {
    req.resume();
  }
  route.fields.forEach((field, i) => setPath(json, field, values[i]));
  const request = messageFromJson(type, json);
  return surface.prepare ? surface.prepare(type, request, bytes) : request;
}

/** Runs a gRPC unary handler (faults, validation and all) on a request object; resolves its result. */
function callUnary(surface: RestSurface, route: RestRoute, request: Obj, res: http.ServerResponse): Promise<Obj> {
  const handler = surface.services[route.service]?.[route.rpc] as
    | ((call: ServerUnaryCall<unknown, unknown>, cb: (err: ServiceError | null, value?: unknown) => void) => void)
    | undefined;
  if (!handler) {
    return Promise.reject(
      new RpcError(
        status.UNIMPLEMENTED,
        `Method ${surface.api}.${route.rpc} is not implemented by ${surface.emulator}.`,
      ),
    );
  }
  // Like a gRPC call, it is 'cancelled' when the client goes away first (a waiting Pull stops).
  const call = Object.assign(new EventEmitter(), { request });
  res.on('close', () => {
    if (!res.writableEnded) call.emit('cancelled');
  });
  return new Promise((resolve, reject) => {
    handler(call as unknown as ServerUnaryCall<unknown, unknown>, (err, value) => {
      if (err) reject(new RpcError(err.code ?? status.UNKNOWN, err.details ?? err.message));
      else resolve((value ?? {}) as Obj);
    });
  });
}

/**
 * A REST surface (HTTP/1.1 JSON, what gcloud and the clients' `fallback` transport speak) over the
 * same service implementations an emulator's gRPC server runs: one state, one set of rules and faults.
 * Errors are Google's JSON error shape with the HTTP status of their gRPC code.
 */
export function restHandler(surface: RestSurface): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const verb = req.method ?? 'GET';
    const match = matchRoute(surface.routes, verb, url.pathname);
    if (!match.route) {
      req.resume();
      const takes = match.verbs.length > 0 ? ` (that path takes ${match.verbs.join(', ')})` : '';
      sendError(res, status.NOT_FOUND, `No ${surface.api} REST method at ${verb} ${url.pathname}${takes}.`);
      return;
    }
    const { route, values } = match;
    buildRequest(surface, route, values, req, url)
      .then((request) => callUnary(surface, route, request, res))
      .then(
        (result) => send(res, 200, messageToJson(surface.typeOf(route.response), result)),
        (err: unknown) => {
          if (err instanceof RpcError) sendError(res, err.code, err.message);
          else
            sendError(res, status.INTERNAL, `${surface.emulator}: ${err instanceof Error ? err.message : String(err)}`);
          // A body left unread (over the limit) would stall a keep-alive connection.
          if (!req.complete) res.on('finish', () => req.destroy());
        },
      );
  };
}
