import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  closeClients,
  DEDICATED,
  refusal,
  SERVING_IMAGE,
  startVertexEmulator,
  TRANSPORTS,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

/**
 * ModelService.CopyModel through the official client, both transports. Facts from Google:
 * the v1 reference ("the source Model must exist in the same Project"; `model_id` or
 * `parent_model`, a generated id when neither) and the Model Registry guide ("the copied model
 * won't retain … version aliases"; a bare source name copies the default version).
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/copy
 * https://cloud.google.com/vertex-ai/docs/model-registry/copy-model
 * The guide now also describes copies between projects, which the v1 reference and proto still
 * refuse; the emulator follows the API reference (see emulators/vertex/model-copy.ts).
 */
describe.each(TRANSPORTS)('CopyModel over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let source: string;
  const europe = (e: VertexEmulator) => `projects/${e.project}/locations/europe-west4`;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend() });
    clients = clientsFor(emulator, ['models', 'endpoints'], transport);
    ({ model: source } = await upload(clients, emulator, 'gs://a/models/1/times-2/', {
      versionAliases: ['stable'],
      labels: { ferry_workflow: 'flowers', ferry_run: '1' },
    }));
    await upload(clients, emulator, 'gs://a/models/2/times-3/', { parentModel: source, labels: { ferry_run: '2' } });
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  const copy = async (request: Record<string, unknown>) => {
    const [op] = await clients.models.copyModel({ parent: europe(emulator), ...request });
    const [response] = await op.promise();
    return { op, response };
  };
  const versionsOf = async (name: string) => (await clients.models.listModelVersions({ name }))[0];

  it('copies the default version into another region as a new model, keeping artifact, container and labels but no alias', async () => {
    const { op, response } = await copy({ sourceModel: source });
    expect(response.model).toMatch(new RegExp(`^${europe(emulator)}/models/\\d+$`));
    expect(response.modelVersionId).toBe('1');
    // The operation is named under the destination, so a poller picks the destination's regional endpoint.
    expect(op.name).toMatch(new RegExp(`^${response.model}/operations/\\d+$`));
    const [copied] = await clients.models.getModel({ name: response.model as string });
    expect(copied).toMatchObject({
      displayName: 'flowers',
      artifactUri: 'gs://a/models/1/times-2/',
      containerSpec: { imageUri: SERVING_IMAGE },
      labels: { ferry_workflow: 'flowers', ferry_run: '1' },
      versionAliases: ['default'],
    });
  });

  it('lists models per location', async () => {
    const here = `projects/${emulator.project}/locations/${emulator.location}`;
    const [local] = await clients.models.listModels({ parent: here });
    const [remote] = await clients.models.listModels({ parent: europe(emulator) });
    expect(local.map((m) => m.name)).toEqual([source]);
    expect(remote.length).toBeGreaterThan(0);
    expect(remote.every((m) => m.name?.startsWith(`${europe(emulator)}/models/`))).toBe(true);
  });

  it('copies a named version into a model id of its choosing', async () => {
    const { response } = await copy({ sourceModel: `${source}@2`, modelId: 'flowers_eu' });
    expect(response).toMatchObject({ model: `${europe(emulator)}/models/flowers_eu`, modelVersionId: '1' });
    const [copied] = await clients.models.getModel({ name: response.model as string });
    expect(copied.artifactUri).toBe('gs://a/models/2/times-3/');
    expect(
      (
        await refusal(
          clients.models.copyModel({ parent: europe(emulator), sourceModel: source, modelId: 'flowers_eu' }),
        )
      ).code,
    ).toBe(status.ALREADY_EXISTS);
  });

  it('copies into an existing model as a new version, which does not take default', async () => {
    const target = `${europe(emulator)}/models/into_existing`;
    await copy({ sourceModel: `${source}@1`, modelId: 'into_existing' });
    const { response } = await copy({ sourceModel: `${source}@2`, parentModel: target });
    expect(response).toMatchObject({ model: target, modelVersionId: '2' });
    const versions = await versionsOf(target);
    expect(versions.map((v) => [v.versionId, v.versionAliases, v.artifactUri])).toEqual([
      ['1', ['default'], 'gs://a/models/1/times-2/'],
      ['2', [], 'gs://a/models/2/times-3/'],
    ]);
  });

  it('copies within the source region too (the service documents no refusal)', async () => {
    const here = `projects/${emulator.project}/locations/${emulator.location}`;
    const [op] = await clients.models.copyModel({ parent: here, sourceModel: source, modelId: 'same_region' });
    const [response] = await op.promise();
    expect(response.model).toBe(`${here}/models/same_region`);
  });

  it('deploys the copy on an endpoint of its location, and refuses the source there (Vertex is regional)', async () => {
    const [created] = await clients.endpoints.createEndpoint({
      parent: europe(emulator),
      endpoint: { displayName: 'eu' },
    });
    const [endpoint] = await created.promise();
    const listed = async (parent: string) => (await clients.endpoints.listEndpoints({ parent }))[0].map((e) => e.name);
    expect(await listed(europe(emulator))).toEqual([endpoint.name]);
    expect(await listed(`projects/${emulator.project}/locations/${emulator.location}`)).toEqual([]);
    const deployTo = (model: string) =>
      clients.endpoints.deployModel({
        endpoint: endpoint.name,
        deployedModel: { model, dedicatedResources: DEDICATED },
      });
    const err = await refusal(deployTo(source));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.message).toMatch(
      /Field: deployed_model\.model; Message: is in us-central1, the endpoint in europe-west4/,
    );
    const { response } = await copy({ sourceModel: source, modelId: 'to_deploy' });
    const [deploying] = await deployTo(response.model as string);
    const [deployed] = await deploying.promise();
    expect(deployed.deployedModel?.model).toBe(response.model);
  });

  it('hands back a running operation; the version appears only when it is done', async () => {
    emulator.setOperationDuration('CopyModel', 300);
    try {
      const [op] = await clients.models.copyModel({ parent: europe(emulator), sourceModel: source, modelId: 'slow' });
      expect(op.done).toBe(false);
      const name = `${europe(emulator)}/models/slow`;
      expect((await refusal(clients.models.getModel({ name }))).code).toBe(status.NOT_FOUND);
      const [response] = await op.promise();
      expect(response).toMatchObject({ model: name, modelVersionId: '1' });
    } finally {
      emulator.setOperationDuration('CopyModel', 0);
    }
  });

  it.each([
    [
      'a source that does not exist',
      () => ({ sourceModel: `${source.replace(/\d+$/, '424242')}` }),
      status.NOT_FOUND,
      /not found/,
    ],
    ['a source version that does not exist', () => ({ sourceModel: `${source}@9` }), status.NOT_FOUND, /not found/],
    [
      'a source in another project',
      () => ({ sourceModel: source.replace(`projects/${emulator.project}/`, 'projects/elsewhere/') }),
      status.INVALID_ARGUMENT,
      /Field: source_model; Message: must be in the same project as parent/,
    ],
    [
      'a parent model that does not exist',
      () => ({ sourceModel: source, parentModel: `${europe(emulator)}/models/absent` }),
      status.NOT_FOUND,
      /absent not found/,
    ],
    [
      'a parent model in another location',
      () => ({ sourceModel: source, parentModel: source }),
      status.INVALID_ARGUMENT,
      /Field: parent_model; Message: must be in the location given as parent/,
    ],
    ['a bad model id', () => ({ sourceModel: source, modelId: '9lives' }), status.INVALID_ARGUMENT, /Field: model_id/],
  ])('refuses %s and creates nothing', async (_name, request, code, message) => {
    const before = emulator.state().models.length;
    const err = await refusal(clients.models.copyModel({ parent: europe(emulator), ...request() }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(emulator.state().models.length).toBe(before);
  });
});
