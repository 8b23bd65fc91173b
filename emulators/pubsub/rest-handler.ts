import type http from 'node:http';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { restHandler as serveRest } from '../rest/rest-handler';
import { pubsubType } from './rest-json';
import { REST_ROUTES } from './rest-routes';

/** Above the 10 MB publish limit plus base64's growth, so an oversize publish reaches the handler's own error. */
export const MAX_REST_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The google.pubsub.v1 REST surface (HTTP/1.1 JSON, what `gcloud pubsub` speaks) over the same
 * service implementations the gRPC server runs: one broker, one set of rules and faults.
 * @see https://cloud.google.com/pubsub/docs/reference/rest
 */
export function restHandler(
  services: Record<'Publisher' | 'Subscriber', UntypedServiceImplementation>,
): http.RequestListener {
  return serveRest({
    api: 'google.pubsub.v1',
    emulator: "ferry's Pub/Sub emulator",
    routes: REST_ROUTES,
    services,
    typeOf: pubsubType,
    maxBodyBytes: MAX_REST_BODY_BYTES,
  });
}
