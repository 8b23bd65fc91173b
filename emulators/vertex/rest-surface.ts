import type http from 'node:http';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { restHandler } from '../rest/rest-handler';
import { restRoute, routesFromService, type RestRoute, type Verb } from '../rest/route-template';
import { SERVICES, requestBytes, type Msg, type VertexProtos } from './protos';

/** Same shape as the gRPC deserializer's output, so a handler cannot tell REST from gRPC. */
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: false, oneofs: true };

const OPERATION_PARENTS = [
  'projects/*/locations/*',
  'projects/*/locations/*/models/*',
  'projects/*/locations/*/endpoints/*',
];

/**
 * google.longrunning.Operations under Vertex resources. Their bindings are not in the protos (the
 * service's yaml declares them; the client carries them as `httpRules` for its `fallback` mode),
 * so they are listed here for the resources the emulator names operations under, under `/v1/` and
 * under `/ui/`, which the client's rules list first (so its `operation.promise()` polls there).
 */
function operationRoutes(): RestRoute[] {
  // No `body`: the client's rules have none (its `:cancel` sends `""`, `:wait` its timeout as a query parameter).
  const op = (verb: Verb, template: string, rpc: string, response: string) =>
    restRoute(verb, template, { service: 'operations', rpc, request: `google.longrunning.${rpc}Request`, response });
  return ['v1', 'ui'].flatMap((v) =>
    OPERATION_PARENTS.flatMap((parent) => [
      op('GET', `/${v}/{name=${parent}/operations/*}`, 'GetOperation', 'google.longrunning.Operation'),
      op('DELETE', `/${v}/{name=${parent}/operations/*}`, 'DeleteOperation', 'google.protobuf.Empty'),
      op('POST', `/${v}/{name=${parent}/operations/*}:cancel`, 'CancelOperation', 'google.protobuf.Empty'),
      op('POST', `/${v}/{name=${parent}/operations/*}:wait`, 'WaitOperation', 'google.longrunning.Operation'),
      op('GET', `/${v}/{name=${parent}}/operations`, 'ListOperations', 'google.longrunning.ListOperationsResponse'),
    ]),
  );
}

/** Every REST route of the services the emulator serves: those in the protos, then the operations'. */
export function vertexRestRoutes(protos: VertexProtos): RestRoute[] {
  return [
    ...routesFromService(protos.root.lookupService(SERVICES.model), 'model'),
    ...routesFromService(protos.root.lookupService(SERVICES.endpoint), 'endpoint'),
    ...routesFromService(protos.root.lookupService(SERVICES.prediction), 'prediction'),
    ...operationRoutes(),
  ];
}

/**
 * The google.cloud.aiplatform.v1 REST surface (what `gcloud ai`, curl and the client's
 * `fallback: true` speak) over the gRPC service implementations, so both transports share state,
 * rules and faults. A JSON body counts against Predict's 1.5 MB limit as the wire bytes do over gRPC.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest
 */
export function vertexRestHandler(
  protos: VertexProtos,
  services: Record<'model' | 'endpoint' | 'prediction' | 'operations', UntypedServiceImplementation>,
  maxBodyBytes: number,
): http.RequestListener {
  return restHandler({
    api: 'google.cloud.aiplatform.v1',
    emulator: "ferry's Vertex AI emulator",
    routes: vertexRestRoutes(protos),
    services,
    typeOf: (name) => protos.root.lookupType(name),
    maxBodyBytes,
    prepare(type, request, bodyBytes) {
      const obj: Msg = type.toObject(type.fromObject(request), TO_OBJECT);
      requestBytes.set(obj, bodyBytes);
      return obj;
    },
  });
}
