import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Root, Type } from 'protobufjs';
import { pubsubProtoDirs } from './proto';

let root: Root | undefined;

/**
 * The google.pubsub.v1 protos, the same files the gRPC server loads, field names as written, for
 * the REST surface's proto3 JSON mapping (`../rest/proto-json.ts`).
 */
export function pubsubType(name: string): Type {
  if (!root) {
    const dirs = pubsubProtoDirs();
    root = new Root();
    root.resolvePath = (_origin, target) => dirs.map((d) => join(d, target)).find((p) => existsSync(p)) ?? target;
    root.loadSync('google/pubsub/v1/pubsub.proto', { keepCase: true });
    root.resolveAll();
  }
  return root.lookupType(name);
}
