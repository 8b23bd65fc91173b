import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { pruneProtos, type ProtoJson } from '../../../../cli/package/prune-protos';

const ROOT = join(__dirname, '..', '..', '..', '..');
const V1 = join(ROOT, 'node_modules/@google-cloud/aiplatform/build/src/v1');
const SERVICES = ['ModelService', 'EndpointService', 'PredictionService'].map((s) => `google.cloud.aiplatform.v1.${s}`);

let full: ProtoJson;
let fullRoot: protobuf.Root;

beforeAll(() => {
  full = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@google-cloud/aiplatform/build/protos/protos.json'), 'utf8'),
  ) as ProtoJson;
  fullRoot = protobuf.Root.fromJSON(full as protobuf.INamespace);
});

/** Every type a client constructor looks up by name (LRO responses and metadata), read from the client's own code. */
function lookedUpByClient(clientFile: string): string[] {
  const text = readFileSync(join(V1, clientFile), 'utf8');
  return [...new Set([...text.matchAll(/protoFilesRoot\.lookup\('\.([\w.]+)'\)/g)].map((m) => m[1]))];
}

describe('pruneProtos on the real @google-cloud/aiplatform bundle', () => {
  const cases: Array<[string, string]> = [
    ['google.cloud.aiplatform.v1.ModelService', 'model_service_client.js'],
    ['google.cloud.aiplatform.v1.EndpointService', 'endpoint_service_client.js'],
    ['google.cloud.aiplatform.v1.PredictionService', 'prediction_service_client.js'],
  ];

  it.each(cases)('keeps %s whole, with every type it reaches resolvable', (service, clientFile) => {
    const { json, types } = pruneProtos(full, [service]);
    const pruned = protobuf.Root.fromJSON(json as protobuf.INamespace);
    expect(() => pruned.resolveAll()).not.toThrow();
    const kept = pruned.lookupService(service);
    expect(kept.methodsArray.map((m) => m.name)).toEqual(
      fullRoot.lookupService(service).methodsArray.map((m) => m.name),
    );
    for (const name of lookedUpByClient(clientFile)) expect([name, pruned.lookup(name) !== null]).toEqual([name, true]);
    expect(types).toBeGreaterThan(10);
    for (const other of SERVICES.filter((s) => s !== service)) expect(pruned.lookup(other)).toBeNull();
  });

  it('gives proto-loader (what google-gax feeds) every method of the three services, in under 15 % of the JSON', () => {
    const { json } = pruneProtos(full, SERVICES);
    const definition = protoLoader.fromJSON(json as protobuf.INamespace, {
      keepCase: false,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    for (const service of SERVICES) {
      const methods = Object.keys(definition[service] as object);
      expect(methods.length).toBe(fullRoot.lookupService(service).methodsArray.length);
    }
    expect(JSON.stringify(json).length).toBeLessThan(0.15 * JSON.stringify(full).length);
  });
});

describe('pruneProtos on a small bundle', () => {
  const bundle: ProtoJson = {
    nested: {
      demo: {
        nested: {
          Svc: {
            methods: {
              Get: { requestType: 'GetRequest', responseType: 'Thing' },
              Slow: {
                requestType: 'GetRequest',
                responseType: 'google.longrunning.Operation',
                options: {
                  '(google.longrunning.operation_info).response_type': 'Thing',
                  '(google.longrunning.operation_info).metadata_type': 'SlowMeta',
                },
              },
            },
          },
          GetRequest: { fields: { name: { type: 'string', id: 1 } } },
          Thing: {
            fields: {
              parts: { keyType: 'string', type: 'Part', id: 1 },
              kind: { type: 'Kind', id: 2 },
              inner: { type: 'Thing.Inner', id: 3 },
            },
            nested: { Inner: { fields: { x: { type: 'Deep', id: 1 } } } },
          },
          Part: { fields: { v: { type: 'int32', id: 1 } } },
          Deep: { fields: { v: { type: 'int32', id: 1 } } },
          Kind: { values: { A: 0, B: 1 } },
          SlowMeta: { fields: { done: { type: 'bool', id: 1 } } },
          Unused: { fields: { v: { type: 'int32', id: 1 } } },
          Other: { methods: { Ping: { requestType: 'Unused', responseType: 'Unused' } } },
        },
      },
      google: { nested: { longrunning: { nested: { Operation: { fields: { name: { type: 'string', id: 1 } } } } } } },
      unrelated: { nested: { Big: { fields: { v: { type: 'string', id: 1 } } } } },
    },
  };

  it('follows requests, responses, LRO options, map values, enums and nested types, and drops the rest', () => {
    const { json } = pruneProtos(bundle, ['demo.Svc']);
    const root = protobuf.Root.fromJSON(json as protobuf.INamespace);
    root.resolveAll();
    for (const kept of [
      'demo.Svc',
      'demo.GetRequest',
      'demo.Thing',
      'demo.Thing.Inner',
      'demo.Part',
      'demo.Deep',
      'demo.Kind',
      'demo.SlowMeta',
      'google.longrunning.Operation',
    ])
      expect([kept, root.lookup(kept) !== null]).toEqual([kept, true]);
    for (const dropped of ['demo.Unused', 'demo.Other', 'unrelated'])
      expect([dropped, root.lookup(dropped)]).toEqual([dropped, null]);
  });

  const bad: Array<[string, () => unknown, RegExp]> = [
    ['no service', () => pruneProtos(bundle, []), /name at least one service/],
    ['an unknown service', () => pruneProtos(bundle, ['demo.Nope']), /demo\.Nope is not a service/],
    ['a message named as a service', () => pruneProtos(bundle, ['demo.Thing']), /demo\.Thing is not a service/],
    [
      'an LRO option naming a missing type',
      () =>
        pruneProtos(
          {
            nested: {
              d: {
                nested: {
                  S: {
                    methods: {
                      M: {
                        requestType: 'R',
                        responseType: 'R',
                        options: { '(google.longrunning.operation_info).metadata_type': 'Gone' },
                      },
                    },
                  },
                  R: { fields: {} },
                },
              },
            },
          },
          ['d.S'],
        ),
      /d\.S\.M .*metadata_type names Gone/,
    ],
    [
      'a field of a missing type',
      () =>
        pruneProtos(
          {
            nested: {
              d: {
                nested: {
                  S: { methods: { M: { requestType: 'R', responseType: 'R' } } },
                  R: { fields: { x: { type: 'Missing', id: 1 } } },
                },
              },
            },
          },
          ['d.S'],
        ),
      /proto bundle does not load \(.*Missing/,
    ],
    [
      'not a descriptor at all',
      () => pruneProtos({ nested: { x: { fields: 'nope' } } } as unknown as ProtoJson, ['x.S']),
      /pruneProtos: /,
    ],
  ];
  it.each(bad)('rejects %s with a message naming it', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
