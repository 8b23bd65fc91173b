import type { Endpoints, ModelRegistry } from '../../functions/pipeline/ports';

/** The Vertex ports over clients of the caller's own, and how to close them. */
export interface VertexPorts {
  endpoints: Endpoints;
  registry: ModelRegistry;
  close(): Promise<void>;
}

/**
 * The functions' Vertex adapters over clients the CLI opens for itself (the operator's verbs,
 * `ferry ui`), not the functions' shared ones: a test or the demo runs the stack's functions in
 * the same process, and closing a client they are using would fail their calls.
 */
export async function openVertexPorts(): Promise<VertexPorts> {
  const [
    { EndpointServiceClient },
    { ModelServiceClient },
    { vertexConfig },
    { RegionalClients },
    { VertexEndpoints },
    { VertexModelRegistry },
  ] = await Promise.all([
    import('@google-cloud/aiplatform/build/src/v1/endpoint_service_client'),
    import('@google-cloud/aiplatform/build/src/v1/model_service_client'),
    import('../../functions/adapters/vertex/vertex-config'),
    import('../../functions/adapters/vertex/regional-clients'),
    import('../../functions/adapters/vertex/vertex-endpoints'),
    import('../../functions/adapters/vertex/vertex-model-registry'),
  ]);
  const vertex = vertexConfig();
  const endpointClients = new RegionalClients(
    (options) => new EndpointServiceClient(options),
    vertex.optionsFor,
    () => vertex.location,
  );
  const modelClients = new RegionalClients(
    (options) => new ModelServiceClient(options),
    vertex.optionsFor,
    () => vertex.location,
  );
  return {
    endpoints: new VertexEndpoints(
      (location) => endpointClients.get(location),
      () => vertex.parent,
    ),
    registry: new VertexModelRegistry(
      (location) => modelClients.get(location),
      () => vertex.parent,
    ),
    close: async () => {
      await Promise.all([endpointClients.close(), modelClients.close()]);
    },
  };
}
