import * as protobuf from 'protobufjs';

/** A protobufjs JSON descriptor (`protos.json` as shipped by the Google client libraries). */
export interface ProtoJson {
  options?: Record<string, unknown>;
  nested?: Record<string, ProtoJson & Record<string, unknown>>;
  [key: string]: unknown;
}

/** What a pruned bundle kept, for the packaging report. */
export interface PruneResult {
  json: ProtoJson;
  services: string[];
  types: number;
}

/** LRO types are named in a method option, not in its signature. */
const LRO_OPTIONS = [
  '(google.longrunning.operation_info).response_type',
  '(google.longrunning.operation_info).metadata_type',
];

/**
 * Keeps only the given services of a client library's `protos.json` and every type they reach
 * (request, response, LRO response/metadata, fields, map values, nested types). Why: each
 * `@google-cloud/aiplatform` client constructor hands the whole 4 MB bundle to
 * `@grpc/proto-loader`, which builds descriptors for all ~100 services; that is most of its
 * cold-start cost. Hand-written because no published tool prunes a protobufjs JSON by service.
 * @see https://github.com/protobufjs/protobuf.js#using-json-descriptors
 */
export function pruneProtos(full: ProtoJson, serviceNames: string[]): PruneResult {
  if (serviceNames.length === 0)
    throw new Error('pruneProtos: name at least one service, e.g. google.cloud.aiplatform.v1.ModelService');
  let root: protobuf.Root;
  try {
    root = protobuf.Root.fromJSON(full as protobuf.INamespace);
    root.resolveAll();
  } catch (error) {
    throw new Error(
      `pruneProtos: the proto bundle does not load (${(error as Error).message}); is it a protobufjs JSON descriptor?`,
    );
  }
  const keep = new Set<string>();
  const visit = (type: protobuf.ReflectionObject | null): void => {
    if (!type || keep.has(type.fullName)) return;
    keep.add(type.fullName);
    if (type instanceof protobuf.Type) {
      for (const field of type.fieldsArray) visit(field.resolvedType);
      for (const nested of type.nestedArray) visit(nested);
    }
  };
  for (const name of serviceNames) {
    const service = root.lookup(name);
    if (!(service instanceof protobuf.Service))
      throw new Error(
        `pruneProtos: ${name} is not a service in the proto bundle; check the spelling (package.Service)`,
      );
    keep.add(service.fullName);
    for (const method of service.methodsArray) {
      method.resolve();
      visit(method.resolvedRequestType);
      visit(method.resolvedResponseType);
      for (const option of LRO_OPTIONS) {
        const typeName = method.options?.[option];
        if (typeof typeName === 'string')
          visit(lookupFrom(service, typeName, `${service.fullName}.${method.name} ${option}`));
      }
    }
  }
  return { json: copyKept(full, '', keep), services: [...serviceNames], types: keep.size };
}

function lookupFrom(scope: protobuf.ReflectionObject, name: string, where: string): protobuf.ReflectionObject {
  const found = scope.parent?.lookup(name) ?? null;
  if (!found) throw new Error(`pruneProtos: ${where} names ${name}, which is not in the proto bundle`);
  return found;
}

/** Copies the namespaces on the way to a kept definition, and kept definitions whole. */
function copyKept(node: ProtoJson, path: string, keep: Set<string>): ProtoJson {
  const out: ProtoJson = {};
  for (const [key, value] of Object.entries(node)) if (key !== 'nested') out[key] = value;
  const nested: Record<string, ProtoJson & Record<string, unknown>> = {};
  for (const [name, child] of Object.entries(node.nested ?? {})) {
    const full = `${path}.${name}`;
    if (keep.has(full)) nested[name] = child;
    else if (isNamespace(child) && [...keep].some((kept) => kept.startsWith(`${full}.`)))
      nested[name] = copyKept(child, full, keep) as ProtoJson & Record<string, unknown>;
  }
  if (Object.keys(nested).length > 0) out.nested = nested;
  return out;
}

function isNamespace(node: ProtoJson): boolean {
  return !('fields' in node) && !('values' in node) && !('methods' in node);
}
