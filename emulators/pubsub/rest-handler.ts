import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { status, type ServerUnaryCall, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { readBodyWithin } from '../http-body';
import { RestErrorBody, restError } from './rest-error';
import { camel, messageFromJson, messageToJson, pubsubType } from './rest-json';
import { matchRoute, RestRoute } from './rest-routes';
import { RpcError } from './rpc-error';

/** Above the 10 MB publish limit plus base64's growth, so an oversize publish reaches the handler's own error. */
export const MAX_REST_BODY_BYTES = 32 * 1024 * 1024;

/** Query parameters every Google REST API accepts and this emulator ignores (`alt=json`, `prettyPrint`, ...). */
const SYSTEM_PARAMS = new Set(['alt', 'prettyPrint', 'fields', 'key', 'access_token', 'quotaUser', 'callback']);

const typeOf = (name: string) => pubsubType(name.startsWith('google.') ? name : `google.pubsub.v1.${name}`);

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

function setPath(request: Record<string, unknown>, field: string, value: string): void {
  const parts = field.split('.').map(camel);
  let target = request;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    target = (target[part] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  target[parts[parts.length - 1]] = value;
}

/** GET and DELETE carry their other request fields (page_size, page_token) as query parameters. */
function fromQuery(route: RestRoute, query: URLSearchParams): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [key, value] of query) {
    if (SYSTEM_PARAMS.has(key) || key.startsWith('$')) continue;
    const field = typeOf(route.request).fieldsArray.find((f) => f.name === key || camel(f.name) === key);
    if (!field) {
      throw new RpcError(
        status.INVALID_ARGUMENT,
        `Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`,
      );
    }
    json[key] = /int/.test(field.type) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return messageFromJson(typeOf(route.request), json);
}

async function buildRequest(route: RestRoute, req: http.IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  if (!route.body) return fromQuery(route, url.searchParams);
  const raw = await readBodyWithin(req, MAX_REST_BODY_BYTES);
  if (raw === undefined) {
    throw new RpcError(
      status.INVALID_ARGUMENT,
      `Request payload size exceeds the limit: ${MAX_REST_BODY_BYTES} bytes.`,
    );
  }
  let json: unknown = {};
  if (raw.length > 0) {
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new RpcError(
        status.INVALID_ARGUMENT,
        `Invalid JSON payload received. ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  return messageFromJson(typeOf(route.request), json);
}

/** Runs a gRPC unary handler (faults, validation and all) on a request object; resolves its result. */
function callUnary(
  impl: UntypedServiceImplementation,
  rpc: string,
  request: Record<string, unknown>,
  res: http.ServerResponse,
): Promise<Record<string, unknown>> {
  const handler = impl[rpc] as
    | ((call: ServerUnaryCall<unknown, unknown>, cb: (err: ServiceError | null, value?: unknown) => void) => void)
    | undefined;
  if (!handler) {
    return Promise.reject(
      new RpcError(
        status.UNIMPLEMENTED,
        `Method google.pubsub.v1.${rpc} is not implemented by ferry's Pub/Sub emulator.`,
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
      else resolve((value ?? {}) as Record<string, unknown>);
    });
  });
}

/**
 * The google.pubsub.v1 REST surface (HTTP/1.1 JSON, what `gcloud pubsub` speaks) over the same
 * service implementations the gRPC server runs: one broker, one set of rules and faults.
 * @see https://cloud.google.com/pubsub/docs/reference/rest
 */
export function restHandler(
  services: Record<RestRoute['service'], UntypedServiceImplementation>,
): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (!match) {
      req.resume();
      sendError(res, status.NOT_FOUND, `No google.pubsub.v1 REST method at ${req.method ?? ''} ${url.pathname}.`);
      return;
    }
    const { route, value } = match;
    buildRequest(route, req, url)
      .then((request) => {
        setPath(request, route.pathField, value);
        return callUnary(services[route.service], route.rpc, request, res);
      })
      .then(
        (result) => send(res, 200, messageToJson(typeOf(route.response), result)),
        (err: unknown) => {
          if (err instanceof RpcError) sendError(res, err.code, err.message);
          else sendError(res, status.INTERNAL, `pubsub emulator: ${err instanceof Error ? err.message : String(err)}`);
          // A body left unread (over the limit) would stall a keep-alive connection.
          if (!req.complete) res.on('finish', () => req.destroy());
        },
      );
  };
}
