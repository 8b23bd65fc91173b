import type { Method, Service } from 'protobufjs';

/** The HTTP verbs `google.api.http` binds. */
export type Verb = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One REST binding of an RPC, as a `google.api.http` rule writes it: `GET /v1/{name=projects/*}`.
 * @see https://github.com/googleapis/googleapis/blob/master/google/api/http.proto
 */
export interface RestRoute {
  verb: Verb;
  /** Which service implementation answers it (a key of the handler's `services`). */
  service: string;
  rpc: string;
  /** Full request and response message names (`google.pubsub.v1.Topic`). */
  request: string;
  response: string;
  /** `"*"`: the JSON body is the request; a field name: the body is that field; absent: no body. */
  body?: string;
  /** The request fields the path variables fill, in order (`endpoint.name` for a nested one). */
  fields: string[];
  pattern: RegExp;
  /** The template as written, for messages. */
  template: string;
}

/**
 * `/v1/{parent=projects/*\/locations/*}/models:upload` as a RegExp with one group per variable.
 * `*` is one path segment, `**` any number; `{field}` alone is `{field=*}`.
 */
export function compileTemplate(template: string): { fields: string[]; pattern: RegExp } {
  if (!template.startsWith('/')) throw new Error(`bad REST template ${template}`);
  const fields: string[] = [];
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\:]/g, (c) => `\\${c}`);
  const segments = (s: string) =>
    s
      .split('/')
      .map((part) => (part === '**' ? '.+' : part === '*' ? '[^/]+' : escape(part)))
      .join('/');
  let source = '';
  let rest = template;
  for (
    let m = /\{([A-Za-z_][\w.]*)(?:=([^}]+))?\}/.exec(rest);
    m;
    m = /\{([A-Za-z_][\w.]*)(?:=([^}]+))?\}/.exec(rest)
  ) {
    source += escape(rest.slice(0, m.index));
    fields.push(m[1]);
    source += `(${segments(m[2] ?? '*')})`;
    rest = rest.slice(m.index + m[0].length);
  }
  source += escape(rest);
  return { fields, pattern: new RegExp(`^${source}$`) };
}

/** A route from a template, for tables written by hand (rules that live in a service's yaml, not its protos). */
export function restRoute(
  verb: Verb,
  template: string,
  target: { service: string; rpc: string; request: string; response: string; body?: string },
): RestRoute {
  return { verb, template, ...target, ...compileTemplate(template) };
}

interface HttpRule {
  get?: string;
  put?: string;
  post?: string;
  patch?: string;
  delete?: string;
  body?: string;
  additional_bindings?: HttpRule | HttpRule[];
}

/**
 * Every `google.api.http` binding of `service`'s unary methods (additional bindings included),
 * read from the loaded protos so the table cannot drift from the client's.
 */
export function routesFromService(service: Service, key: string): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const method of service.methodsArray) {
    if (method.requestStream || method.responseStream) continue;
    const rule = httpRule(method);
    if (!rule) continue;
    const target = {
      service: key,
      rpc: method.name,
      request: (method.resolvedRequestType ?? service.lookupType(method.requestType)).fullName.slice(1),
      response: (method.resolvedResponseType ?? service.lookupType(method.responseType)).fullName.slice(1),
    };
    const bindings = [rule, ...[rule.additional_bindings ?? []].flat()];
    for (const b of bindings) {
      for (const verb of ['get', 'put', 'post', 'patch', 'delete'] as const) {
        const template = b[verb];
        if (template) routes.push(restRoute(verb.toUpperCase() as Verb, template, { ...target, body: b.body }));
      }
    }
  }
  return routes;
}

function httpRule(method: Method): HttpRule | undefined {
  const found = method.parsedOptions?.find((o: Record<string, unknown>) => o['(google.api.http)']) as
    Record<string, HttpRule> | undefined;
  return found?.['(google.api.http)'];
}

/** What a request line matched: the route and its path variables, decoded; or the verbs the path takes. */
export type RouteMatch = { route: RestRoute; values: string[] } | { route?: undefined; verbs: Verb[] };

/** Templates ending in a custom method (`...}:listVersions`). */
const CUSTOM_METHOD = /\}:[A-Za-z]+$/;

/**
 * The route for `verb path`, with its path variables decoded; when none, the verbs the path takes
 * (for the error). A path that fits a custom method (`models/1:listVersions`) is only ever that
 * method: `*` matches a segment with a colon in it (Pub/Sub's `projects/example.com:p`), so
 * without this rule `GET endpoints/1:predict` would be read as GetEndpoint of `1:predict`.
 */
export function matchRoute(routes: RestRoute[], verb: string, path: string): RouteMatch {
  const fits = routes.filter((r) => r.pattern.test(path));
  const custom = fits.filter((r) => CUSTOM_METHOD.test(r.template));
  const candidates = custom.length > 0 ? custom : fits;
  const route = candidates.find((r) => r.verb === verb);
  if (route)
    return {
      route,
      values: route.pattern
        .exec(path)!
        .slice(1)
        .map((v) => decodeURIComponent(v)),
    };
  return { verbs: [...new Set(candidates.map((r) => r.verb))] };
}
