import { dirname, join } from 'node:path';
import { loadPackageDefinition, type GrpcObject, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * The google.pubsub.v1 services from the protos shipped inside `@google-cloud/pubsub` (and
 * google-gax's google/api protos), so the emulator speaks exactly what the client was built
 * against. Loaded once, on first use (about 250 ms).
 */
export interface PubSubServices {
  Publisher: ServiceClientConstructor;
  Subscriber: ServiceClientConstructor;
}

let cached: PubSubServices | undefined;

export function pubsubProtoDirs(): string[] {
  const pubsubRoot = dirname(require.resolve('@google-cloud/pubsub/package.json'));
  // google-gax exports no package.json; its entry is build/src/index.js.
  const gaxRoot = join(dirname(require.resolve('google-gax', { paths: [pubsubRoot] })), '..', '..');
  return [join(pubsubRoot, 'build', 'protos'), join(gaxRoot, 'build', 'protos')];
}

export function loadPubSubServices(): PubSubServices {
  if (cached) return cached;
  const definition = loadSync('google/pubsub/v1/pubsub.proto', {
    includeDirs: pubsubProtoDirs(),
    keepCase: false,
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const v1 = ((loadPackageDefinition(definition).google as GrpcObject).pubsub as GrpcObject).v1 as GrpcObject;
  cached = {
    Publisher: v1.Publisher as ServiceClientConstructor,
    Subscriber: v1.Subscriber as ServiceClientConstructor,
  };
  return cached;
}
