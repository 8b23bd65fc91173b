import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  expectUnsendable,
  refusal,
  TRANSPORTS,
  closeClients,
  createEndpoint,
  DEDICATED,
  deploy,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

describe.each(TRANSPORTS)('over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let backend: ReturnType<typeof timesBackend>;
  let parent: string;
  let model: string;

  beforeAll(async () => {
    backend = timesBackend();
    emulator = await startVertexEmulator({ backend });
    clients = clientsFor(emulator, ['models', 'endpoints'], transport);
    parent = `projects/${emulator.project}/locations/${emulator.location}`;
    ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/'));
    await upload(clients, emulator, 'gs://artifacts/models/flowers/2/times-3/', {
      parentModel: model,
      versionAliases: ['candidate'],
    });
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  const splitOf = async (endpoint: string): Promise<Record<string, number>> => {
    const [ep] = await clients.endpoints.getEndpoint({ name: endpoint });
    return ep.trafficSplit as Record<string, number>;
  };

  describe('endpoints', () => {
    it('creates, gets and lists with filters', async () => {
      const name = await createEndpoint(clients, emulator, 'listing', { team: 'vision' });
      const [op] = await clients.endpoints.createEndpoint({
        parent,
        endpointId: 'flowers-prod',
        endpoint: { displayName: 'chosen' },
      });
      const [chosen] = await op.promise();
      expect(chosen.name).toBe(`${parent}/endpoints/flowers-prod`);
      const [ep] = await clients.endpoints.getEndpoint({ name });
      expect(ep).toMatchObject({ name, displayName: 'listing', labels: { team: 'vision' } });
      const [byLabel] = await clients.endpoints.listEndpoints({ parent, filter: 'labels.team="vision"' });
      expect(byLabel.map((e) => e.name)).toEqual([name]);
      const [byName] = await clients.endpoints.listEndpoints({ parent, filter: 'display_name="chosen"' });
      expect(byName.map((e) => e.name)).toEqual([chosen.name]);
      expect(
        (
          await refusal(
            clients.endpoints.createEndpoint({
              parent,
              endpointId: 'flowers-prod',
              endpoint: { displayName: 'again' },
            }),
          )
        ).code,
      ).toBe(status.ALREADY_EXISTS);
    });

    it.each([
      ['no endpoint', {}, /Field: endpoint; Message: is required/],
      ['no display name', { endpoint: {} }, /endpoint\.display_name/],
      ['bad endpoint id', { endpointId: '0123', endpoint: { displayName: 'x' } }, /endpoint_id/],
      ['bad labels', { endpoint: { displayName: 'x', labels: { 'a b': 'c' } } }, /endpoint\.labels/],
      ['a malformed parent', { parent: 'projects/p/locations', endpoint: { displayName: 'x' } }, /Field: parent/],
    ])('CreateEndpoint refuses %s', async (name, request, message) => {
      const err = await refusal(clients.endpoints.createEndpoint({ parent, ...request }));
      if (transport === 'rest' && name === 'a malformed parent') return expectUnsendable(err);
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      // Over REST the endpoint is the HTTP body (`body: "endpoint"`); with none, gax sends `""`,
      // which the JSON mapping refuses before the handler's own check.
      if (transport === 'rest' && name === 'no endpoint')
        return expect(err.message).toMatch(/Invalid JSON payload received\. Expected an object at 'endpoint'/);
      expect(err.message).toMatch(message);
    });

    it('NOT_FOUND for an unknown endpoint, INVALID_ARGUMENT for a malformed name', async () => {
      const err = await refusal(clients.endpoints.getEndpoint({ name: `${parent}/endpoints/77` }));
      expect(err.message).toBe(`5 NOT_FOUND: Endpoint ${parent}/endpoints/77 not found.`);
      const malformed = await refusal(clients.endpoints.getEndpoint({ name: 'endpoints/77' }));
      if (transport === 'rest') return expectUnsendable(malformed);
      expect(malformed.code).toBe(status.INVALID_ARGUMENT);
    });
  });

  describe('canary deployment', () => {
    let endpoint: string;
    let first: string;
    let canary: string;

    beforeAll(async () => {
      endpoint = await createEndpoint(clients, emulator, 'canary');
    });

    it('gives the first model 100% and records the deployment on the model', async () => {
      first = await deploy(clients, endpoint, `${model}@1`);
      expect(await splitOf(endpoint)).toEqual({ [first]: 100 });
      const [m] = await clients.models.getModel({ name: `${model}@1` });
      expect(m.deployedModels).toEqual([{ endpoint, deployedModelId: first }]);
    });

    it('deploys a canary with "0": 10', async () => {
      canary = await deploy(clients, endpoint, `${model}@candidate`, { '0': 10, [first]: 90 });
      expect(await splitOf(endpoint)).toEqual({ [canary]: 10, [first]: 90 });
      const [ep] = await clients.endpoints.getEndpoint({ name: endpoint });
      expect(ep.deployedModels?.map((d) => [d.id, d.modelVersionId])).toEqual([
        [first, '1'],
        [canary, '2'],
      ]);
    });

    it.each([
      ['a split not summing to 100', () => ({ '0': 10, [first]: 80 }), /add up to 100, got 90/],
      ['an unknown deployed model id', () => ({ '0': 10, '999': 90 }), /not a deployed model id/],
    ])('refuses %s with INVALID_ARGUMENT and changes nothing', async (_name, split, message) => {
      const before = await splitOf(endpoint);
      const err = await refusal(deploy(clients, endpoint, `${model}@1`, split()));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(message);
      expect(await splitOf(endpoint)).toEqual(before);
    });

    it.each([
      ['no resources', { model: 'M' }, /dedicated_resources; Message: is required/],
      [
        'zero replicas',
        { model: 'M', dedicatedResources: { ...DEDICATED, minReplicaCount: 0 } },
        /min_replica_count; Message: must be at least 1, got 0/,
      ],
      ['no machine type', { model: 'M', dedicatedResources: { minReplicaCount: 1 } }, /machine_type/],
      [
        'max below min',
        { model: 'M', dedicatedResources: { ...DEDICATED, minReplicaCount: 3, maxReplicaCount: 2 } },
        /max_replica_count/,
      ],
      ['a malformed model name', { model: 'flowers', dedicatedResources: DEDICATED }, /deployed_model\.model/],
      ['a bad deployed model id', { model: 'M', id: 'abc', dedicatedResources: DEDICATED }, /deployed_model\.id/],
    ])('DeployModel refuses %s', async (_name, dm, message) => {
      const deployedModel = { ...dm, model: dm.model === 'M' ? model : dm.model };
      const err = await refusal(clients.endpoints.deployModel({ endpoint, deployedModel }));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(message);
    });

    it('DeployModel answers NOT_FOUND for an unknown model version', async () => {
      const err = await refusal(
        clients.endpoints.deployModel({
          endpoint,
          deployedModel: { model: `${model}@7`, dedicatedResources: DEDICATED },
        }),
      );
      expect(err.code).toBe(status.NOT_FOUND);
    });

    it('refuses to undeploy a model that still takes traffic', async () => {
      const err = await refusal(clients.endpoints.undeployModel({ endpoint, deployedModelId: first }));
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      expect(err.message).toMatch(/still receives 90% of traffic/);
    });

    it('refuses to delete the endpoint or the model while deployed', async () => {
      expect((await refusal(clients.endpoints.deleteEndpoint({ name: endpoint }))).code).toBe(
        status.FAILED_PRECONDITION,
      );
      const err = await refusal(clients.models.deleteModel({ name: model }));
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      expect(err.message).toContain(endpoint);
    });

    it('moves traffic with UpdateEndpoint (update_mask traffic_split)', async () => {
      const [ep] = await clients.endpoints.getEndpoint({ name: endpoint });
      const [updated] = await clients.endpoints.updateEndpoint({
        endpoint: { name: endpoint, trafficSplit: { [first]: 50, [canary]: 50 }, etag: ep.etag },
        updateMask: { paths: ['traffic_split'] },
      });
      expect(updated.trafficSplit).toEqual({ [first]: 50, [canary]: 50 });
      expect(updated.etag).not.toBe(ep.etag);
    });

    it.each([
      [
        'a split not summing to 100',
        () => ({
          endpoint: { name: endpoint, trafficSplit: { [first]: 60, [canary]: 50 } },
          updateMask: { paths: ['traffic_split'] },
        }),
        status.INVALID_ARGUMENT,
      ],
      [
        'an unknown id',
        () => ({ endpoint: { name: endpoint, trafficSplit: { '12': 100 } }, updateMask: { paths: ['traffic_split'] } }),
        status.INVALID_ARGUMENT,
      ],
      [
        'no update mask',
        () => ({ endpoint: { name: endpoint, trafficSplit: { [first]: 100 } } }),
        status.INVALID_ARGUMENT,
      ],
      [
        'an unsupported path',
        () => ({ endpoint: { name: endpoint }, updateMask: { paths: ['deployed_models'] } }),
        status.INVALID_ARGUMENT,
      ],
      [
        'a stale etag',
        () => ({
          endpoint: { name: endpoint, trafficSplit: { [first]: 100 }, etag: 'stale' },
          updateMask: { paths: ['traffic_split'] },
        }),
        status.ABORTED,
      ],
    ])('UpdateEndpoint refuses %s and changes nothing', async (_name, request, code) => {
      const before = await splitOf(endpoint);
      expect((await refusal(clients.endpoints.updateEndpoint(request()))).code).toBe(code);
      expect(await splitOf(endpoint)).toEqual(before);
    });

    it('updates display name and labels without touching the split', async () => {
      const [updated] = await clients.endpoints.updateEndpoint({
        endpoint: { name: endpoint, displayName: 'renamed', labels: { stage: 'canary' } },
        updateMask: { paths: ['display_name', 'labels'] },
      });
      expect(updated).toMatchObject({
        displayName: 'renamed',
        labels: { stage: 'canary' },
        trafficSplit: { [first]: 50, [canary]: 50 },
      });
    });

    it('undeploys with a split that moves the traffic away, disposing the model', async () => {
      const [op] = await clients.endpoints.undeployModel({
        endpoint,
        deployedModelId: canary,
        trafficSplit: { [first]: 100 },
      });
      await op.promise();
      expect(await splitOf(endpoint)).toEqual({ [first]: 100 });
      expect(backend.disposed).toContain('gs://artifacts/models/flowers/2/times-3/');
      const [m] = await clients.models.getModel({ name: `${model}@2` });
      expect(m.deployedModels ?? []).toEqual([]);
    });

    it('undeploys the last model, then deletes the endpoint', async () => {
      const [op] = await clients.endpoints.undeployModel({ endpoint, deployedModelId: first });
      await op.promise();
      expect(await splitOf(endpoint)).toEqual({});
      const [del] = await clients.endpoints.deleteEndpoint({ name: endpoint });
      await del.promise();
      expect((await refusal(clients.endpoints.getEndpoint({ name: endpoint }))).code).toBe(status.NOT_FOUND);
    });
  });

  describe('deployment failures and concurrency', () => {
    it('ends the LRO with an error like the real one when the model cannot load, leaving the endpoint as it was', async () => {
      const { model: broken } = await upload(clients, emulator, 'gs://artifacts/models/broken/1/', {
        displayName: 'broken',
      });
      const endpoint = await createEndpoint(clients, emulator, 'failing');
      const [op] = await clients.endpoints.deployModel({
        endpoint,
        deployedModel: { model: broken, dedicatedResources: DEDICATED },
      });
      const err = await refusal(op.promise());
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(
        /Model server never became ready.*no saved_model\.pb under gs:\/\/artifacts\/models\/broken\/1\//,
      );
      expect(await splitOf(endpoint)).toEqual({});
      expect(emulator.state().endpoints.find((e) => e.name === endpoint)?.deployedModels).toEqual([]);
    });

    it('refuses a second mutation while a deployment is in flight', async () => {
      emulator.setOperationDuration('DeployModel', 400);
      try {
        const endpoint = await createEndpoint(clients, emulator, 'busy');
        const [op] = await clients.endpoints.deployModel({
          endpoint,
          deployedModel: { model, dedicatedResources: DEDICATED },
        });
        expect(op.done).toBe(false);
        const err = await refusal(
          clients.endpoints.deployModel({ endpoint, deployedModel: { model, dedicatedResources: DEDICATED } }),
        );
        expect(err.code).toBe(status.FAILED_PRECONDITION);
        expect(err.message).toContain(op.name as string);
        const { model: fresh } = await upload(clients, emulator, 'gs://artifacts/models/fresh/times-2/', {
          displayName: 'fresh',
        });
        const [op2] = await clients.endpoints.deployModel({
          endpoint: await createEndpoint(clients, emulator, 'busy-2'),
          deployedModel: { model: fresh, dedicatedResources: DEDICATED },
        });
        const refused = await refusal(clients.models.deleteModel({ name: fresh }));
        expect(refused.code).toBe(status.FAILED_PRECONDITION);
        expect(refused.message).toMatch(/being deployed/);
        await op2.promise();
        await op.promise();
        expect(Object.values(await splitOf(endpoint))).toEqual([100]);
      } finally {
        emulator.setOperationDuration('DeployModel', 0);
      }
    });
  });
});
