import * as grpc from '@grpc/grpc-js';
import {
  EndpointServiceClient,
  ModelServiceClient,
  PredictionServiceClient,
} from '@google-cloud/aiplatform/build/src/v1';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteApp } from 'firebase-admin/app';
import { getMachineLearning } from 'firebase-admin/machine-learning';
import { getRemoteConfig } from 'firebase-admin/remote-config';
import { ownPubsub, startLocalCloud, type LocalCloud } from '../../../emulators/local-cloud';
import { firebaseMlEmulatorApp } from '../../../emulators/firebase-ml/sdk-app';
import { fromValue, toValue } from '../../../functions/adapters/vertex/proto-value';
import { writeExampleSavedModel } from '../../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../../functions/artifacts/tflite/write-example-tflite';

/** The whole local cloud through the official clients, as ferry's functions will use it. */
describe('startLocalCloud', () => {
  let cloud: LocalCloud;
  let storage: Storage;

  beforeAll(async () => {
    cloud = await startLocalCloud({ firebaseValidationMs: 10 });
    storage = new Storage({ apiEndpoint: cloud.storage.url, projectId: cloud.projectId });
    cloud.storage.createBucket('artifacts');
  });
  afterAll(() => cloud.stop());

  it('prints the variables the clients and functions need', () => {
    expect(cloud.env).toMatchObject({
      STORAGE_EMULATOR_HOST: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      PUBSUB_EMULATOR_HOST: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      FERRY_VERTEX_EMULATOR: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      FERRY_FIREBASE_ML_EMULATOR: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      FERRY_PROJECT: 'ferry-local',
    });
  });

  it('serves predictions on Vertex from a SavedModel stored in the Storage emulator, run by the real runtime', async () => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 3, b: -1, numShards: 2 }))) {
      await storage
        .bucket('artifacts')
        .file(`models/demo/1/${path}`)
        .save(Buffer.from(bytes), { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    }
    const options = {
      apiEndpoint: '127.0.0.1',
      port: cloud.vertex.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    };
    const parent = `projects/${cloud.projectId}/locations/${cloud.location}`;
    const models = new ModelServiceClient(options);
    const endpoints = new EndpointServiceClient(options);
    const prediction = new PredictionServiceClient(options);
    try {
      const [upload] = await models.uploadModel({
        parent,
        model: {
          displayName: 'demo',
          artifactUri: 'gs://artifacts/models/demo/1/',
          containerSpec: { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/tf-cpu.1-15:latest' },
        },
      });
      const [uploaded] = await upload.promise();
      const [create] = await endpoints.createEndpoint({ parent, endpoint: { displayName: 'demo' } });
      const [endpoint] = await create.promise();
      const [deploy] = await endpoints.deployModel({
        endpoint: endpoint.name,
        deployedModel: {
          model: uploaded.model,
          dedicatedResources: { machineSpec: { machineType: 'n1-standard-2' }, minReplicaCount: 1 },
        },
        trafficSplit: { '0': 100 },
      });
      await deploy.promise();
      const [response] = await prediction.predict({
        endpoint: endpoint.name,
        instances: [toValue({ x: [1] }), toValue({ x: [5] })] as never,
      });
      expect(response.predictions?.map((p) => fromValue(p as never))).toEqual([[2], [14]]);
      expect(response.deployedModelId).toBeTruthy();
    } finally {
      await Promise.all([models.close(), endpoints.close(), prediction.close()]);
    }
  });

  it('carries Pub/Sub messages', async () => {
    const pubsub = new PubSub({ apiEndpoint: cloud.pubsubHost, projectId: cloud.projectId });
    const [topic] = await pubsub.createTopic('local-cloud-test');
    await topic.publishMessage({ json: { hello: 'world' } });
    expect(ownPubsub(cloud).counters().published).toBeGreaterThanOrEqual(1);
    await pubsub.close();
  });

  it('lets firebase-admin create and publish a model whose file lives in the Storage emulator', async () => {
    await storage
      .bucket('artifacts')
      .file('mobile/demo/1/model.tflite')
      .save(Buffer.from(writeExampleTflite({ a: 2, b: 1 })), {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: 0 },
      });
    const ml = getMachineLearning(firebaseMlEmulatorApp({ ...process.env, ...cloud.env }));
    const model = await ml.createModel({
      displayName: 'demo_local_cloud',
      tfliteModel: { gcsTfliteUri: 'gs://artifacts/mobile/demo/1/model.tflite' },
    });
    await model.waitForUnlocked(10_000);
    const published = await ml.publishModel(model.modelId);
    expect(published.published).toBe(true);
    expect((await ml.getModel(model.modelId)).validationError).toBeUndefined();
  });
});

describe('startLocalCloud: Remote Config', () => {
  test('the Firebase ML app of the stack reaches Remote Config too; a restart on the same dataDir keeps the template', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ferry-cloud-rc-'));
    try {
      const first = await startLocalCloud({ dataDir });
      const app = firebaseMlEmulatorApp({ ...process.env, ...first.env });
      const rc = getRemoteConfig(app);
      const read = await rc.getTemplate();
      const published = await rc.publishTemplate({
        etag: read.etag,
        conditions: [{ name: 'ferry_rollout', expression: "percent('run-1') between 0 and 5" }],
        parameters: { flowers_model: { defaultValue: { value: 'flowers_v1' } } },
        parameterGroups: {},
      });
      expect(first.remoteConfig.template().etag).toBe(published.etag);
      await deleteApp(app);
      await first.stop();
      const second = await startLocalCloud({ dataDir });
      try {
        const again = firebaseMlEmulatorApp({ ...process.env, ...second.env }, 'ferry-cloud-rc-again');
        const kept = await getRemoteConfig(again).getTemplate();
        expect(kept.etag).toBe(published.etag);
        expect(kept.conditions).toEqual(published.conditions);
        await deleteApp(again);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
