import { status } from '@grpc/grpc-js';
import { protos } from '@google-cloud/aiplatform';
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

const THIRTY_MINUTES = 30 * 60 * 1000;
const Stage = protos.google.cloud.aiplatform.v1.DeploymentStage;
const DeployMetadata = protos.google.cloud.aiplatform.v1.DeployModelOperationMetadata;

describe.each(TRANSPORTS)('over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let model: string;

  beforeAll(async () => {
    // A 30-minute deployment replayed in 1.8 s.
    emulator = await startVertexEmulator({
      backend: timesBackend(),
      deployDurationMs: THIRTY_MINUTES,
      timeScale: 0.001,
    });
    clients = clientsFor(emulator, ['models', 'endpoints'], transport);
    ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/'));
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  /** gax types its operations requests as protobuf classes; a plain `{ name }` is what it sends. */
  function byName<T>(name: string): T {
    return { name } as unknown as T;
  }

  const startDeploy = async (endpoint: string) => {
    const [op] = await clients.endpoints.deployModel({
      endpoint,
      deployedModel: { model, dedicatedResources: DEDICATED },
    });
    return op;
  };

  describe('long-running operations', () => {
    it('replays a 30-minute deployment in compressed time: the client polls, sees progress, and operation.promise() resolves', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'slow');
      const polls = emulator.state().calls.GetOperation ?? 0;
      const op = await startDeploy(endpoint);
      expect(op.done).toBe(false);
      expect(op.name).toMatch(new RegExp(`^${endpoint}/operations/\\d+$`));
      const stages: number[] = [];
      op.on('progress', (metadata: { deploymentStage?: number }) => stages.push(Number(metadata.deploymentStage)));
      expect((await clients.endpoints.getEndpoint({ name: endpoint }))[0].deployedModels).toEqual([]);
      const [response, metadata] = await op.promise();
      expect(response.deployedModel?.model).toBe(model);
      expect((metadata as { deploymentStage?: number }).deploymentStage).toBe(Stage.SUCCESSFULLY_DEPLOYED);
      expect((emulator.state().calls.GetOperation ?? 0) - polls).toBeGreaterThan(2);
      expect(new Set(stages).size).toBeGreaterThan(1);
      expect(stages[0]).toBe(Stage.STARTING_DEPLOYMENT);
      expect(Object.values((await clients.endpoints.getEndpoint({ name: endpoint }))[0].trafficSplit ?? {})).toEqual([
        100,
      ]);
    });

    it('lets a function hand the operation on and resume it by name (checkDeployModelProgress)', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'handed-on');
      const op = await startDeploy(endpoint);
      const resumed = await clients.endpoints.checkDeployModelProgress(op.name as string);
      expect(resumed.done).toBe(false);
      const [response] = await resumed.promise();
      expect(response.deployedModel?.id).toBeTruthy();
      const [raw] = await clients.endpoints.getOperation(byName(op.name as string));
      expect(raw.done).toBe(true);
      const any = raw.response as { type_url?: string };
      expect(any.type_url).toBe('type.googleapis.com/google.cloud.aiplatform.v1.DeployModelResponse');
    });

    it('surfaces an injected UNAVAILABLE during polling; polling again by name still finishes', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'flaky-poll');
      const op = await startDeploy(endpoint);
      emulator.faults.failNext('GetOperation', 1, status.UNAVAILABLE, 'The service is currently unavailable.');
      expect((await refusal(op.promise())).code).toBe(status.UNAVAILABLE);
      const resumed = await clients.endpoints.checkDeployModelProgress(op.name as string);
      await resumed.promise();
      expect(emulator.state().endpoints.find((e) => e.name === endpoint)?.deployedModels).toHaveLength(1);
    });

    it('cancels a deployment: the operation ends CANCELLED, nothing is deployed, the endpoint is free again', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'cancelled');
      const op = await startDeploy(endpoint);
      await clients.endpoints.cancelOperation(byName(op.name as string));
      const err = await refusal(op.promise());
      expect(err.code).toBe(status.CANCELLED);
      expect(emulator.state().endpoints.find((e) => e.name === endpoint)?.deployedModels).toEqual([]);
      const again = await startDeploy(endpoint);
      await again.promise();
    });

    it('lists the operations of a resource and deletes one', async () => {
      const endpoint = await createEndpoint(clients, emulator, 'listed');
      const op = await startDeploy(endpoint);
      await op.promise();
      const listed: string[] = [];
      for await (const item of clients.endpoints.listOperationsAsync(byName(endpoint)))
        listed.push(item.name as string);
      expect(listed).toContain(op.name);
      await clients.endpoints.deleteOperation(byName(op.name as string));
      expect((await refusal(clients.endpoints.getOperation(byName(op.name as string)))).code).toBe(status.NOT_FOUND);
    });

    it('answers NOT_FOUND for an unknown operation', async () => {
      const err = await refusal(clients.endpoints.getOperation(byName('projects/p/locations/l/operations/1')));
      expect(err.code).toBe(status.NOT_FOUND);
      expect(err.message).toMatch(/Operation projects\/p\/locations\/l\/operations\/1 not found/);
    });

    it('reports FAILED_TO_DEPLOY in the metadata of a deployment that fails', async () => {
      const { model: broken } = await upload(clients, emulator, 'gs://artifacts/models/broken/', {
        displayName: 'broken',
      });
      const endpoint = await createEndpoint(clients, emulator, 'broken');
      const [op] = await clients.endpoints.deployModel({
        endpoint,
        deployedModel: { model: broken, dedicatedResources: DEDICATED },
      });
      expect((await refusal(op.promise())).code).toBe(status.INVALID_ARGUMENT);
      const [raw] = await clients.endpoints.getOperation(byName(op.name as string));
      expect(raw.done).toBe(true);
      expect(raw.error?.message).toMatch(/Model server never became ready/);
      expect((raw.metadata as { type_url?: string }).type_url).toBe(
        'type.googleapis.com/google.cloud.aiplatform.v1.DeployModelOperationMetadata',
      );
      const metadata = DeployMetadata.decode(raw.metadata?.value as Uint8Array);
      expect(metadata.deploymentStage).toBe(Stage.FAILED_TO_DEPLOY);
    });
  });
});
