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
import { isPending, type ModelVersionRef } from '../../../../../functions/pipeline/ports';
import { timesBackend } from '../../../emulators/vertex/fake-backend';
import { deployRequest } from './deploy-request';
import { settled } from './settled';

const HOME = 'projects/p/locations/us-central1';
const EUROPE = 'projects/p/locations/europe-west4';

/**
 * ferry's Vertex adapters in a second location, through the official clients against the
 * emulator (which serves every location on one address). Each adapter is given the shared
 * per-location client factory wrapped to record the location it asks for, so the test sees
 * which regional client each call would use on real Vertex (`{location}-aiplatform.googleapis.com`).
 */
describe('Vertex adapters in another region', () => {
  let emulator: VertexEmulator;
  let registry: VertexModelRegistry;
  let endpoints: VertexEndpoints;
  let predictor: VertexPredictor;
  let asked: Array<string | undefined>;
  let source: ModelVersionRef;

  const recording =
    <C>(factory: (location?: string) => C) =>
    (location?: string): C => {
      asked.push(location);
      return factory(location);
    };
  /** The locations `call` asked clients for, in order. */
  const locationUsedBy = async (call: () => Promise<unknown>): Promise<Array<string | undefined>> => {
    asked = [];
    await call();
    return asked;
  };

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), project: 'p' });
    process.env.FERRY_PROJECT = 'p';
    process.env.FERRY_LOCATION = 'us-central1';
    process.env.FERRY_VERTEX_EMULATOR = `127.0.0.1:${emulator.port}`;
    asked = [];
    registry = new VertexModelRegistry(recording(modelClient), () => vertex().parent);
    endpoints = new VertexEndpoints(recording(endpointClient), () => vertex().parent);
    predictor = new VertexPredictor(recording(predictionClient));
    source = await settled(
      registry.upload({
        displayName: 'flowers',
        artifactUri: 'gs://a/models/1/times-2/',
        servingImage: 'img',
        labels: { ferry_run: '1', ferry_workflow: 'flowers' },
        aliases: ['v1'],
      }),
    );
  });
  afterAll(async () => {
    await closeVertexClients();
    await emulator.stop();
    delete process.env.FERRY_LOCATION;
  });

  it('copies a version into another region when done at once, on the destination’s client, found there by workflow and run', async () => {
    let copied: ModelVersionRef | undefined;
    expect(
      await locationUsedBy(async () => {
        copied = await settled(registry.copy({ sourceVersionName: source.versionName, parent: EUROPE }));
      }),
    ).toEqual(['europe-west4']);
    expect(copied).toMatchObject({ versionId: '1', aliases: [] });
    expect(copied?.name.startsWith(`${EUROPE}/models/`)).toBe(true);
    expect(copied?.versionName).toBe(`${copied?.name}@1`);
    // Labels travel with the copy, so a retried environment stage finds its copy by run as it finds uploads.
    expect(await registry.findModel('flowers', 'flowers', EUROPE)).toBe(copied?.name);
    expect(await registry.findVersionByRun(copied!.name, '1')).toMatchObject({ versionId: '1' });
    expect(await registry.findModel('flowers', 'flowers')).toBe(source.name);
    expect(await locationUsedBy(() => registry.aliasesOf(copied!.versionName))).toEqual(['europe-west4']);
    expect(await registry.aliasesOf(copied!.versionName)).toEqual(['default']);
  });

  it('copies into the existing model as a new version, following a copy that is not done at once', async () => {
    const europeModel = (await registry.findModel('flowers', 'flowers', EUROPE)) as string;
    const v2 = await settled(
      registry.upload({
        displayName: 'flowers',
        artifactUri: 'gs://a/models/2/times-3/',
        servingImage: 'img',
        labels: { ferry_run: '2', ferry_workflow: 'flowers' },
        aliases: ['v2'],
        parentModel: source.name,
      }),
    );
    emulator.setOperationDuration('CopyModel', 300);
    try {
      const started = await registry.copy({
        sourceVersionName: v2.versionName,
        parent: EUROPE,
        parentModel: europeModel,
      });
      if (!isPending(started)) throw new Error('expected a running CopyModel');
      expect(started.operation.startsWith(`${europeModel}/operations/`)).toBe(true);
      expect(await registry.findVersionByRun(europeModel, '2')).toBeUndefined();
      expect(await locationUsedBy(() => registry.operation(started.operation))).toEqual(['europe-west4']);
      for (let i = 0; i < 100 && !(await registry.operation(started.operation)).done; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await registry.operation(started.operation)).toEqual({ done: true });
    } finally {
      emulator.setOperationDuration('CopyModel', 0);
    }
    const copied = await registry.findVersionByRun(europeModel, '2');
    expect(copied).toMatchObject({ name: europeModel, versionId: '2', aliases: [] });
    // `default` stays on the model's first version, as after an upload.
    expect(await registry.aliasesOf(`${europeModel}@1`)).toEqual(['default']);
  });

  it('reports a source in another project as invalid, and a missing source as not-found (both permanent)', async () => {
    const elsewhere = source.versionName.replace('projects/p/', 'projects/other/');
    const crossProject = await registry.copy({ sourceVersionName: elsewhere, parent: EUROPE }).catch((e: unknown) => e);
    expect(crossProject).toMatchObject({
      name: 'PortError',
      kind: 'invalid',
      message: expect.stringContaining('same project'),
    });
    expect(classifyError(crossProject)).toBe('permanent');
    const missing = await registry
      .copy({ sourceVersionName: `${source.name}@9`, parent: EUROPE })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'PortError', kind: 'not-found' });
    expect(classifyError(missing)).toBe('permanent');
  });

  it('creates and finds the workflow’s endpoint in the other region, deploys the copy there and predicts through that region', async () => {
    expect(await endpoints.find('flowers', 'flowers', EUROPE)).toBeUndefined();
    let endpoint = { name: '' };
    expect(
      await locationUsedBy(async () => {
        endpoint = await settled(endpoints.getOrCreate('flowers', 'flowers', EUROPE));
      }),
    ).toEqual(['europe-west4', 'europe-west4']);
    expect(endpoint.name).toBe(`${EUROPE}/endpoints/ferry-flowers`);
    expect((await endpoints.find('flowers', 'flowers', EUROPE))?.name).toBe(endpoint.name);
    // The functions' own location has no endpoint: each location holds its own.
    expect(await endpoints.find('flowers', 'flowers')).toBeUndefined();
    expect(await endpoints.find('flowers', 'flowers', HOME)).toBeUndefined();

    // A model serves only in its own location: the source version is refused, its copy deploys.
    await expect(
      endpoints.deploy(deployRequest(endpoint.name, source.versionName, '1111111111', { '0': 100 })),
    ).rejects.toMatchObject({ kind: 'invalid' });
    const europeModel = (await registry.findModel('flowers', 'flowers', EUROPE)) as string;
    let operation = '';
    expect(
      await locationUsedBy(async () => {
        operation = await endpoints.deploy(
          deployRequest(endpoint.name, `${europeModel}@1`, '1111111111', { '0': 100 }),
        );
      }),
    ).toEqual(['europe-west4']);
    expect(await locationUsedBy(() => endpoints.operation(operation))).toEqual(['europe-west4']);
    expect(await endpoints.operation(operation)).toEqual({ done: true });

    let answer = { predictions: [] as unknown[], deployedModelId: '' };
    expect(
      await locationUsedBy(async () => {
        answer = await predictor.predict(endpoint.name, [{ x: 4 }]);
      }),
    ).toEqual(['europe-west4']);
    expect(answer).toEqual({ predictions: [8], deployedModelId: '1111111111' });
    expect(await locationUsedBy(() => endpoints.setSplit(endpoint.name, { '1111111111': 100 }))).toEqual([
      'europe-west4',
    ]);
  });

  it('uses the functions’ own location when a call names none', async () => {
    expect(await locationUsedBy(() => registry.findModel('flowers', 'flowers'))).toEqual(['us-central1']);
    expect(await locationUsedBy(() => endpoints.find('flowers', 'flowers'))).toEqual(['us-central1']);
  });
});
