import type { ClientOptions } from 'google-gax';

/**
 * Where Vertex AI is: the real regional endpoints, or ferry's local emulator when
 * `FERRY_VERTEX_EMULATOR=127.0.0.1:PORT` is set (plain-text gRPC, as the clients allow with
 * `sslCreds: grpc.credentials.createInsecure()`); the emulator serves every location itself.
 */
export interface VertexConfig {
  project: string;
  location: string;
  /** `projects/P/locations/L` */
  parent: string;
  /** Options for the functions' own location. */
  clientOptions: ClientOptions;
  /**
   * Options for a client of `location`. Vertex serves a location's resources only from its
   * regional endpoint `{location}-aiplatform.googleapis.com`.
   * @see https://cloud.google.com/vertex-ai/docs/reference/rest#rest_endpoints
   */
  optionsFor(location: string): ClientOptions;
}

export function vertexConfig(env: NodeJS.ProcessEnv = process.env): VertexConfig {
  const project = env.FERRY_PROJECT ?? env.GOOGLE_CLOUD_PROJECT ?? env.GCLOUD_PROJECT;
  if (!project)
    throw new Error('FERRY_PROJECT is not set: the Google Cloud project that holds the models and endpoints');
  const location = env.FERRY_LOCATION ?? 'us-central1';
  const emulator = env.FERRY_VERTEX_EMULATOR;
  let optionsFor = (where: string): ClientOptions => ({ apiEndpoint: `${where}-aiplatform.googleapis.com` });
  if (emulator) {
    const found = /^([^:]+):(\d+)$/.exec(emulator);
    if (!found) throw new Error(`FERRY_VERTEX_EMULATOR must be host:port, got "${emulator}"`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
    // universeDomain stops google-auth probing the GCE metadata server on the first call.
    const local: ClientOptions = {
      apiEndpoint: found[1],
      port: Number(found[2]),
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    };
    optionsFor = () => local;
  }
  return {
    project,
    location,
    parent: `projects/${project}/locations/${location}`,
    clientOptions: optionsFor(location),
    optionsFor,
  };
}
