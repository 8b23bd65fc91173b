import { startVertexEmulator, type VertexEmulator } from '../../../../../emulators/vertex/vertex-emulator';
import {
  closeVertexClients,
  endpointClient,
  modelClient,
  predictionClient,
  vertex,
} from '../../../../../functions/adapters/vertex/vertex-clients';
import { classifyError } from '../../../../../functions/core/errors';
import { VertexEndpoints } from '../../../../../functions/adapters/vertex/vertex-endpoints';
import { VertexModelRegistry } from '../../../../../functions/adapters/vertex/vertex-model-registry';
import { VertexPredictor } from '../../../../../functions/adapters/vertex/vertex-predictor';
import { timesBackend } from '../../../emulators/vertex/fake-backend';
import { deployRequest } from './deploy-request';
import { settled } from './settled';

/** ferry's Vertex adapters through the official aiplatform v1 clients against the Vertex emulator. */
describe('Vertex adapters', () => {
  let emulator: VertexEmulator;
  let registry: VertexModelRegistry;
  let endpoints: VertexEndpoints;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), project: 'p', deployDurationMs: 0 });
    process.env.FERRY_PROJECT = 'p';
    process.env.FERRY_VERTEX_EMULATOR = `127.0.0.1:${emulator.port}`;
    registry = new VertexModelRegistry(modelClient, () => vertex().parent);
    endpoints = new VertexEndpoints(endpointClient, () => vertex().parent);
  });
  afterAll(async () => {
    await closeVertexClients();
    await emulator.stop();
  });

  const upload = (uri: string, runId: string, parentModel?: string) =>
    settled(
      registry.upload({
        displayName: 'flowers',
        artifactUri: uri,
        servingImage: 'img',
        labels: { ferry_run: runId, ferry_workflow: 'flowers' },
        aliases: [`v${runId}`],
        parentModel,
      }),
    );

  it('registers versions under one parent, finds them by run, and moves aliases', async () => {
    expect(await registry.findModel('flowers', 'flowers')).toBeUndefined();
    const v1 = await upload('gs://a/times-2/', '1');
    const parent = await registry.findModel('flowers', 'flowers');
    expect(parent).toBe(v1.name);
    const v2 = await upload('gs://a/times-3/', '2', parent);
    expect(v2).toMatchObject({ name: v1.name, versionId: '2', versionName: `${v1.name}@2` });
    expect(await registry.findVersionByRun(v1.name, '2')).toMatchObject({ versionId: '2' });
    expect(await registry.findVersionByRun(v1.name, 'nope')).toBeUndefined();
    await registry.mergeAliases(v1.versionName, ['candidate']);
    await registry.mergeAliases(v2.versionName, ['candidate']);
    const [current] = await modelClient().getModel({ name: `${v1.name}@candidate` });
    expect(current.versionId).toBe('2');
    expect(await registry.aliasesOf(v2.versionName)).toEqual(expect.arrayContaining(['candidate', 'v2']));
    // The first version of a model holds `default` from its upload on, as on Vertex.
    expect((await registry.aliasesOf(v1.versionName)).sort()).toEqual(['default', 'v1']);
  });

  it('creates one endpoint per workflow even when two first runs race', async () => {
    expect(await endpoints.find('flowers', 'flowers')).toBeUndefined();
    const [a, b] = await Promise.all([
      settled(endpoints.getOrCreate('flowers', 'flowers')),
      settled(endpoints.getOrCreate('flowers', 'flowers')),
    ]);
    expect(a.name).toBe(b.name);
    expect(a.name).toMatch(/\/endpoints\/ferry-flowers$/);
    expect(emulator.state().endpoints).toHaveLength(1);
  });

  it('deploys, follows the operation, predicts with attribution, changes the split and undeploys', async () => {
    const endpoint = await settled(endpoints.getOrCreate('flowers', 'flowers'));
    const parent = (await registry.findModel('flowers', 'flowers')) as string;
    const deploy = (id: string, version: string, split: Record<string, number>) =>
      endpoints.deploy(deployRequest(endpoint.name, `${parent}@${version}`, id, split));
    const first = await deploy('1111111111', '1', { '0': 100 });
    await waitDone(first);
    const second = await deploy('2222222222', '2', { '0': 10, '1111111111': 90 });
    await waitDone(second);
    expect((await endpoints.get(endpoint.name)).trafficSplit).toEqual({ '1111111111': 90, '2222222222': 10 });
    await expect(deploy('2222222222', '2', { '0': 10, '1111111111': 90 })).rejects.toMatchObject({
      name: 'PortError',
      kind: 'already-exists',
      message: expect.stringContaining(endpoint.name),
    });
    const predictor = new VertexPredictor(predictionClient);
    const answers = await Promise.all(Array.from({ length: 60 }, () => predictor.predict(endpoint.name, [{ x: 1 }])));
    for (const answer of answers) expect(answer.predictions).toEqual([answer.deployedModelId === '1111111111' ? 2 : 3]);
    await endpoints.setSplit(endpoint.name, { '1111111111': 100 });
    await waitDone(await endpoints.undeploy(endpoint.name, '2222222222', { '1111111111': 100 }));
    expect((await endpoints.get(endpoint.name)).deployedModels.map((d) => d.id)).toEqual(['1111111111']);
  });

  it("reports Vertex's refusals in the ports' terms, naming the resource", async () => {
    const endpoint = await settled(endpoints.getOrCreate('flowers', 'flowers'));
    const parent = (await registry.findModel('flowers', 'flowers')) as string;
    const missing = `${vertex().parent}/endpoints/424242`;
    await expect(endpoints.get(missing)).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringMatching(/^.*endpoints\/424242: 5 NOT_FOUND/),
    });
    await expect(endpoints.undeploy(endpoint.name, '9999999999', { '1111111111': 100 })).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('9999999999'),
    });
    await expect(endpoints.setSplit(endpoint.name, { '1111111111': 60 })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(registry.mergeAliases(`${parent}@9`, ['candidate'])).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining(`${parent}@9`),
    });
  });

  it('reports a DeployModel refused while another runs on the endpoint as busy (transient)', async () => {
    emulator.setOperationDuration('DeployModel', 400);
    try {
      const endpoint = await settled(endpoints.getOrCreate('busy', 'busy'));
      const parent = (await registry.findModel('flowers', 'flowers')) as string;
      const deploy = (id: string, split: Record<string, number>) =>
        endpoints.deploy(deployRequest(endpoint.name, `${parent}@2`, id, split));
      const first = await deploy('3333333333', { '0': 100 });
      const busy = await deploy('4444444444', { '0': 100 }).catch((e: unknown) => e);
      expect(busy).toMatchObject({ name: 'PortError', kind: 'busy', message: expect.stringContaining(endpoint.name) });
      expect(classifyError(busy)).toBe('transient');
      await waitDone(first);
    } finally {
      emulator.setOperationDuration('DeployModel', 0);
    }
  });

  it('gives up a failing operation poll within the time it is given (the library alone retries for 10 minutes)', async () => {
    const name = 'projects/p/locations/us-central1/operations/424242';
    const outage = emulator.faults.outage('GetOperation', 14, 'Vertex AI is unavailable');
    try {
      for (const poll of [() => endpoints.operation(name, 800), () => registry.operation(name, 800)]) {
        const before = emulator.state().calls.GetOperation ?? 0;
        const failed = await poll().catch((e: unknown) => e);
        expect(classifyError(failed)).toBe('transient');
        // The library's own retries still ride out a blip: the poll was tried more than once.
        expect((emulator.state().calls.GetOperation ?? 0) - before).toBeGreaterThan(1);
      }
    } finally {
      outage.end();
    }
  });

  async function waitDone(operation: string): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      const status = await endpoints.operation(operation);
      if (status.done) {
        expect(status.error).toBeUndefined();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${operation} did not finish`);
  }
});
