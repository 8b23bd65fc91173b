import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  refusal,
  TRANSPORTS,
  closeClients,
  createEndpoint,
  DEDICATED,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

/**
 * Vertex runs one mutation of an endpoint at a time: while a DeployModel or UndeployModel
 * operation on it runs, another deploy, undeploy or traffic-split update is refused with
 * FAILED_PRECONDITION ("retry when it is done"). ferry must serialize its endpoint mutations.
 * @see https://cloud.google.com/vertex-ai/docs/reference/rpc/google.cloud.aiplatform.v1#endpointservice
 */
const OPERATION_MS = 400;

describe.each(TRANSPORTS)('over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let model: string;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend() });
    clients = clientsFor(emulator, ['models', 'endpoints'], transport);
    ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/'));
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  /** An endpoint with two deployed models, the first at 100 %. */
  async function endpointWithTwo(name: string): Promise<{ endpoint: string; ids: string[] }> {
    const endpoint = await createEndpoint(clients, emulator, name);
    for (const id of ['1111111111', '2222222222']) {
      const [op] = await clients.endpoints.deployModel({
        endpoint,
        deployedModel: { id, model, dedicatedResources: DEDICATED },
        trafficSplit: id === '1111111111' ? { '0': 100 } : { '1111111111': 100, '0': 0 },
      });
      await op.promise();
    }
    return { endpoint, ids: ['1111111111', '2222222222'] };
  }

  describe('one mutation of an endpoint at a time', () => {
    it('refuses UpdateEndpoint (traffic_split) and UndeployModel while an undeploy runs, then accepts them', async () => {
      const { endpoint, ids } = await endpointWithTwo('busy-undeploy');
      emulator.setOperationDuration('UndeployModel', OPERATION_MS);
      try {
        const [running] = await clients.endpoints.undeployModel({
          endpoint,
          deployedModelId: ids[1],
          trafficSplit: { [ids[0]]: 100 },
        });
        expect(running.done).toBe(false);
        const update = await refusal(
          clients.endpoints.updateEndpoint({
            endpoint: { name: endpoint, trafficSplit: { [ids[0]]: 100 } },
            updateMask: { paths: ['traffic_split'] },
          }),
        );
        expect(update.code).toBe(status.FAILED_PRECONDITION);
        expect(update.message).toContain(running.name as string);
        const undeploy = await refusal(
          clients.endpoints.undeployModel({ endpoint, deployedModelId: ids[0], trafficSplit: {} }),
        );
        expect(undeploy.code).toBe(status.FAILED_PRECONDITION);
        expect(undeploy.message).toMatch(/operation in progress.*retry when it is done/);
        await running.promise();
      } finally {
        emulator.setOperationDuration('UndeployModel', 0);
      }
      const [updated] = await clients.endpoints.updateEndpoint({
        endpoint: { name: endpoint, trafficSplit: { [ids[0]]: 100 } },
        updateMask: { paths: ['traffic_split'] },
      });
      expect(updated.trafficSplit).toEqual({ [ids[0]]: 100 });
    });

    it('refuses a traffic-split update while a deployment runs', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'busy-deploy');
      emulator.setOperationDuration('DeployModel', OPERATION_MS);
      try {
        const [running] = await clients.endpoints.deployModel({
          endpoint,
          deployedModel: { model, dedicatedResources: DEDICATED },
          trafficSplit: { '0': 100 },
        });
        const update = await refusal(
          clients.endpoints.updateEndpoint({
            endpoint: { name: endpoint, trafficSplit: {} },
            updateMask: { paths: ['traffic_split'] },
          }),
        );
        expect(update.code).toBe(status.FAILED_PRECONDITION);
        expect(update.message).toContain(running.name as string);
        await running.promise();
      } finally {
        emulator.setOperationDuration('DeployModel', 0);
      }
    });
  });
});
