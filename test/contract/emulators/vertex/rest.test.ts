import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  closeClients,
  DEDICATED,
  SERVING_IMAGE,
  startVertexEmulator,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';
import { restCaller } from '../../../helpers/rest-call';

const PREDICT_LIMIT = 1.5 * 1024 * 1024;
const BODY_LIMIT = 16 * 1024 * 1024;

/**
 * The REST surface with raw HTTP, the way the Vertex REST reference's curl examples call it, on the
 * gRPC port. Routes: the google.api.http bindings of the aiplatform v1 protos; bodies: proto3 JSON;
 * errors: https://cloud.google.com/apis/design/errors
 * @see https://cloud.google.com/vertex-ai/docs/reference/rest
 */
describe('Vertex AI emulator REST surface (raw HTTP on the gRPC port)', () => {
  let emulator: VertexEmulator;
  let grpcClients: VertexClients;
  let base: string;
  let parent: string;

  const call = restCaller(() => base);

  /** An LRO's final state, polled the way a curl user would (GET on its name). */
  async function settled(name: string): Promise<Record<string, unknown>> {
    for (;;) {
      const { json } = await call('GET', `/v1/${name}`);
      if (json.done) return json;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend(), deployDurationMs: 50 });
    grpcClients = clientsFor(emulator, ['models', 'endpoints']);
    base = `http://${emulator.endpoint}:${emulator.port}`;
    parent = `projects/${emulator.project}/locations/${emulator.location}`;
  });

  afterAll(async () => {
    await closeClients(grpcClients);
    await emulator.stop();
  });

  it('uploads, deploys and predicts as the REST reference shows: Operations with typed Any, plain JSON instances', async () => {
    const uploaded = await call('POST', `/v1/${parent}/models:upload`, {
      model: {
        displayName: 'rest-flowers',
        artifactUri: 'gs://artifacts/models/flowers/1/times-2/',
        containerSpec: { imageUri: SERVING_IMAGE },
        labels: { via: 'rest' },
      },
    });
    expect(uploaded.status).toBe(200);
    expect(uploaded.json).toMatchObject({
      name: expect.stringMatching(new RegExp(`^${parent}/models/\\d+/operations/\\d+$`)),
      done: true,
      metadata: { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.UploadModelOperationMetadata' },
      response: {
        '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.UploadModelResponse',
        model: expect.stringMatching(new RegExp(`^${parent}/models/\\d+$`)),
        modelVersionId: '1',
      },
    });
    const model = uploaded.json.response.model as string;
    // One state behind both transports: the gRPC client sees what REST made.
    expect((await grpcClients.models.getModel({ name: model }))[0].labels).toEqual({ via: 'rest' });

    const created = await call('POST', `/v1/${parent}/endpoints?endpointId=rest-ep`, { displayName: 'rest-ep' });
    expect(created.json.response).toMatchObject({
      '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.Endpoint',
      name: `${parent}/endpoints/rest-ep`,
      displayName: 'rest-ep',
    });
    const endpoint = created.json.response.name as string;

    const deploying = await call('POST', `/v1/${endpoint}:deployModel`, {
      deployedModel: { model, dedicatedResources: DEDICATED },
      trafficSplit: { '0': 100 },
    });
    expect(deploying.json.done).toBeUndefined(); // proto3 JSON leaves out a false bool
    expect(deploying.json).toMatchObject({
      metadata: { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeployModelOperationMetadata' },
    });
    const deployed = await settled(deploying.json.name);
    expect(deployed).toMatchObject({
      metadata: { deploymentStage: 'SUCCESSFULLY_DEPLOYED' },
      response: { '@type': 'type.googleapis.com/google.cloud.aiplatform.v1.DeployModelResponse' },
    });
    const deployedModelId = (deployed.response as { deployedModel: { id: string } }).deployedModel.id;
    // gcloud ai operations describe asks by the location-level name.
    const short = `${parent}/operations/${(deploying.json.name as string).split('/').pop()}`;
    expect((await call('GET', `/v1/${short}`)).json.name).toBe(deploying.json.name);

    const endpointJson = (await call('GET', `/v1/${endpoint}`)).json;
    expect(endpointJson).toMatchObject({
      deployedModels: [{ id: deployedModelId, model, modelVersionId: '1' }],
      trafficSplit: { [deployedModelId]: 100 },
    });
    expect(endpointJson.createTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    expect(await call('POST', `/v1/${endpoint}:predict`, { instances: [{ x: 3 }, { x: [1, 2] }, 4] })).toEqual({
      status: 200,
      json: {
        predictions: [6, [2, 4], 8],
        deployedModelId,
        model,
        modelDisplayName: 'rest-flowers',
        modelVersionId: '1',
      },
    });

    const listed = await call(
      'GET',
      `/v1/${parent}/models?pageSize=1&filter=${encodeURIComponent('labels.via="rest"')}`,
    );
    expect(listed.json.models.map((m: { name: string }) => m.name)).toEqual([model]);
    const ops = await call('GET', `/v1/${endpoint}/operations`);
    expect(ops.json.operations.map((o: { name: string }) => o.name)).toContain(deploying.json.name);
  });

  it('answers with the error the handler raises, in Google JSON, with the HTTP status of its gRPC code', async () => {
    expect(await call('GET', `/v1/${parent}/models/404`)).toEqual({
      status: 404,
      json: { error: { code: 404, message: `Model ${parent}/models/404 not found.`, status: 'NOT_FOUND' } },
    });
    emulator.faults.failNext('Predict', 1, status.UNAVAILABLE, 'The service is currently unavailable.');
    expect(await call('POST', `/v1/${parent}/endpoints/1:predict`, { instances: [1] })).toEqual({
      status: 503,
      json: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    });
    expect((await call('POST', `/v1/${parent}/models/1:export`, {})).json.error).toMatchObject({
      code: 501,
      status: 'UNIMPLEMENTED',
      message: "Method google.cloud.aiplatform.v1.ExportModel is not implemented by ferry's Vertex AI emulator.",
    });
  });

  it.each([
    [
      'an unknown path',
      'GET',
      '/v1/projects/p/locations/l/pipelines',
      undefined,
      404,
      /No google\.cloud\.aiplatform\.v1 REST method at GET \/v1\/projects\/p\/locations\/l\/pipelines\.$/,
    ],
    [
      'the wrong method',
      'GET',
      '/v1/projects/p/locations/l/endpoints/1:predict',
      undefined,
      404,
      /at GET .*:predict \(that path takes POST\)/,
    ],
    [
      'malformed JSON',
      'POST',
      '/v1/projects/p/locations/l/endpoints/1:predict',
      '{"instances": [1,',
      400,
      /^Invalid JSON payload received\. .*JSON/,
    ],
    [
      'a body that is not an object',
      'POST',
      '/v1/projects/p/locations/l/endpoints/1:predict',
      '[1]',
      400,
      /Expected an object as the request body, got \[1\]/,
    ],
    [
      'a field of the wrong type',
      'POST',
      '/v1/projects/p/locations/l/endpoints/1:predict',
      { instances: 'seven' },
      400,
      /^Invalid value at 'instances' \(TYPE_MESSAGE\), "seven"$/,
    ],
    [
      'a wrong type inside a map',
      'POST',
      '/v1/projects/p/locations/l/endpoints/1:deployModel',
      { trafficSplit: { '0': 'half' } },
      400,
      /^Invalid value at 'traffic_split\[0\]' \(TYPE_INT32\), "half"$/,
    ],
    [
      'an unknown field',
      'POST',
      '/v1/projects/p/locations/l/endpoints/1:predict',
      { instancez: [1] },
      400,
      /Unknown name "instancez": Cannot find field\./,
    ],
    [
      'an unknown query parameter',
      'GET',
      '/v1/projects/p/locations/l/models?pageSise=2',
      undefined,
      400,
      /Unknown name "pageSise": Cannot bind query parameter/,
    ],
    [
      'a bad enum name',
      'POST',
      '/v1/projects/p/locations/l/models:upload',
      { model: { displayName: 'x', supportedDeploymentResourcesTypes: ['GPU'] } },
      400,
      /^Invalid value at 'model\.supported_deployment_resources_types\[0\]' \(TYPE_ENUM\), "GPU"$/,
    ],
  ])('refuses %s with a message naming the problem', async (_name, method, path, body, httpStatus, message) => {
    const res = await call(method, path, body);
    expect(res.status).toBe(httpStatus);
    expect(res.json.error.code).toBe(httpStatus);
    expect(res.json.error.message).toMatch(message);
  });

  it('refuses a Predict body over 1.5 MB as the real API does, and any body over 16 MB before reading it', async () => {
    const over = { instances: [{ x: Array.from({ length: PREDICT_LIMIT / 8 }, (_, i) => i + 0.5) }] };
    expect((await call('POST', `/v1/${parent}/endpoints/1:predict`, over)).json.error).toEqual({
      code: 400,
      message: `Request payload size exceeds the limit: ${PREDICT_LIMIT} bytes.`,
      status: 'INVALID_ARGUMENT',
    });
    const huge = `{"instances": ["${'x'.repeat(BODY_LIMIT)}"]}`;
    const refused = await call('POST', `/v1/${parent}/endpoints/1:predict`, huge);
    expect(refused.status).toBe(400);
    expect(refused.json.error.message).toBe(`Request payload size exceeds the limit: ${BODY_LIMIT} bytes.`);
    // The connection is still usable after the refusal.
    expect((await call('GET', `/v1/${parent}/models`)).status).toBe(200);
  });
});
