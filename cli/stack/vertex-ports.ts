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
    { VertexEndpoints },
    { VertexModelRegistry },
  ] = await Promise.all([
    import('@google-cloud/aiplatform/build/src/v1/endpoint_service_client'),
    import('@google-cloud/aiplatform/build/src/v1/model_service_client'),
    import('../../functions/adapters/vertex/vertex-config'),
    import('../../functions/adapters/vertex/vertex-endpoints'),
    import('../../functions/adapters/vertex/vertex-model-registry'),
  ]);
  const vertex = vertexConfig();
  const endpointClient = new EndpointServiceClient(vertex.clientOptions);
  const modelClient = new ModelServiceClient(vertex.clientOptions);
  return {
    endpoints: new VertexEndpoints(
      () => endpointClient,
      () => vertex.parent,
    ),
    registry: new VertexModelRegistry(
      () => modelClient,
      () => vertex.parent,
    ),
    close: async () => {
      await Promise.all([endpointClient.close(), modelClient.close()]);
    },
  };
}
