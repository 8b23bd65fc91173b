import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcloud as runGcloud, GCLOUD_TIMEOUT_MS, hasGcloud } from '../../../helpers/gcloud';
import { rejection } from '../../../helpers/rejection';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  closeClients,
  createEndpoint,
  DEDICATED,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

const HAS_GCLOUD = hasGcloud();
if (!HAS_GCLOUD) console.warn('gcloud is not on PATH: skipping the gcloud ai contract test.');
const describeWithGcloud = HAS_GCLOUD ? describe : describe.skip;

const idOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/**
 * Google's own CLI against the emulator's REST surface on its gRPC port, configured as `ferry up`
 * configures it (`api_endpoint_overrides/aiplatform http://127.0.0.1:<port>/`). gcloud ai builds
 * `<override>v1/projects/.../locations/<region>/...` from `--region` (it only prefixes the region to
 * hosts named `aiplatform.*`). https://cloud.google.com/sdk/gcloud/reference/ai
 */
describeWithGcloud('gcloud ai against the emulator', () => {
  jest.setTimeout(10 * GCLOUD_TIMEOUT_MS);
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let config: string;
  let model: string;
  let endpoint: string;
  let deployOperation: string;
  let deployedModelId: string;

  const gcloud = async (...args: string[]): Promise<unknown> =>
    JSON.parse(
      await runGcloud(
        {
          dir: config,
          project: emulator.project,
          overrides: { aiplatform: `http://${emulator.endpoint}:${emulator.port}/` },
        },
        ...args,
        `--region=${emulator.location}`,
      ),
    );

  beforeAll(async () => {
    config = mkdtempSync(join(tmpdir(), 'ferry-gcloud-'));
    emulator = await startVertexEmulator({ backend: timesBackend() });
    clients = clientsFor(emulator, ['models', 'endpoints']);
    ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/', {
      versionAliases: ['stable'],
    }));
    endpoint = await createEndpoint(clients, emulator, 'flowers-endpoint');
    const [op] = await clients.endpoints.deployModel({
      endpoint,
      deployedModel: { model, dedicatedResources: DEDICATED },
      trafficSplit: { '0': 100 },
    });
    const [res] = await op.promise();
    deployOperation = op.name as string;
    deployedModelId = res.deployedModel?.id as string;
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
    rmSync(config, { recursive: true, force: true });
  });

  it('lists and describes models', async () => {
    const models = (await gcloud('ai', 'models', 'list')) as Array<{ name: string; displayName: string }>;
    expect(models).toEqual([expect.objectContaining({ name: model, displayName: 'flowers' })]);
    expect(await gcloud('ai', 'models', 'describe', idOf(model))).toMatchObject({
      name: model,
      versionId: '1',
      versionAliases: expect.arrayContaining(['default', 'stable']),
      artifactUri: 'gs://artifacts/models/flowers/1/times-2/',
      deployedModels: [{ endpoint, deployedModelId }],
    });
  });

  it('lists and describes endpoints, with their deployed models and traffic split', async () => {
    const endpoints = (await gcloud('ai', 'endpoints', 'list')) as Array<{ name: string }>;
    expect(endpoints.map((e) => e.name)).toEqual([endpoint]);
    expect(await gcloud('ai', 'endpoints', 'describe', idOf(endpoint))).toMatchObject({
      name: endpoint,
      displayName: 'flowers-endpoint',
      deployedModels: [{ id: deployedModelId, model, modelVersionId: '1' }],
      trafficSplit: { [deployedModelId]: 100 },
    });
  });

  it('predicts from a --json-request file: instances and predictions as plain JSON', async () => {
    const file = join(config, 'request.json');
    writeFileSync(file, JSON.stringify({ instances: [{ x: 3 }, { x: [1, 2.5] }] }));
    const served = emulator.state().calls.Predict ?? 0;
    expect(await gcloud('ai', 'endpoints', 'predict', idOf(endpoint), `--json-request=${file}`)).toEqual({
      predictions: [6, [2, 5]],
      deployedModelId,
      model,
      modelDisplayName: 'flowers',
      modelVersionId: '1',
    });
    expect(emulator.state().calls.Predict).toBe(served + 1);
  });

  it('describes an operation by its id in the region, with its metadata and response typed', async () => {
    expect(await gcloud('ai', 'operations', 'describe', idOf(deployOperation))).toMatchObject({
      name: deployOperation,
      done: true,
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeployModelOperationMetadata',
        deploymentStage: 'SUCCESSFULLY_DEPLOYED',
      },
      response: {
        '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeployModelResponse',
        deployedModel: { id: deployedModelId, model },
      },
    });
  });

  it('uploads a version, creates an endpoint, deploys to it, undeploys and deletes it, waiting on each operation', async () => {
    await gcloud(
      'ai',
      'models',
      'upload',
      '--display-name=flowers',
      `--parent-model=${model}`,
      '--artifact-uri=gs://artifacts/models/flowers/2/times-3/',
      '--container-image-uri=us-docker.pkg.dev/vertex-ai/prediction/tf2-cpu.2-15:latest',
    );
    const versions = (await gcloud('ai', 'models', 'list-version', idOf(model))) as Array<{ versionId: string }>;
    expect(versions.map((v) => v.versionId).sort()).toEqual(['1', '2']);

    await gcloud('ai', 'endpoints', 'create', '--display-name=from-gcloud');
    const created = emulator.state().endpoints.find((e) => e.displayName === 'from-gcloud');
    expect(created).toBeDefined();
    const id = idOf(created!.name);
    await gcloud(
      'ai',
      'endpoints',
      'deploy-model',
      id,
      `--model=${idOf(model)}@2`,
      '--display-name=v2',
      '--machine-type=n1-standard-2',
    );
    const deployed = emulator.state().endpoints.find((e) => e.name === created!.name)?.deployedModels ?? [];
    expect(deployed).toEqual([expect.objectContaining({ modelVersionId: '2' })]);
    await gcloud('ai', 'endpoints', 'undeploy-model', id, `--deployed-model-id=${deployed[0].id}`);
    await gcloud('ai', 'endpoints', 'delete', id);
    expect(emulator.state().endpoints.map((e) => e.name)).not.toContain(created!.name);
  });

  it('copies a model into another region and into an existing model there (gcloud ai models copy)', async () => {
    const destination = `projects/${emulator.project}/locations/europe-west4`;
    const copy = (...flags: string[]) =>
      runGcloud(
        {
          dir: config,
          project: emulator.project,
          overrides: { aiplatform: `http://${emulator.endpoint}:${emulator.port}/` },
        },
        'ai',
        'models',
        'copy',
        `--source-model=${model}`,
        `--region=${destination}`,
        ...flags,
      );
    await copy('--destination-model-id=flowers_eu');
    const copied = emulator.state().models.find((m) => m.name === `${destination}/models/flowers_eu`);
    expect(copied?.versions).toEqual([
      expect.objectContaining({
        versionId: '1',
        versionAliases: ['default'],
        artifactUri: expect.stringMatching(/times-2/),
      }),
    ]);
    await copy(`--destination-parent-model=${destination}/models/flowers_eu`);
    const versions = emulator.state().models.find((m) => m.name === `${destination}/models/flowers_eu`)?.versions;
    expect(versions?.map((v) => v.versionId)).toEqual(['1', '2']);
  });

  it("prints the emulator's NOT_FOUND for a model that does not exist", async () => {
    const err = await rejection<{ stderr: string }>(gcloud('ai', 'models', 'describe', '404'));
    expect(err.stderr).toMatch(/NOT_FOUND: Model projects\/.*\/models\/404 not found/);
  });
});
