import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import { rawBytes, rawClient } from './raw-client';
import {
  clientsFor,
  closeClients,
  createEndpoint,
  deploy,
  startVertexEmulator,
  upload,
  type VertexEmulator,
} from './vertex-clients';
import { rejection } from '../../../helpers/rejection';

describe('startVertexEmulator', () => {
  it.each([
    ['no backend', {}],
    ['a backend without load()', { backend: {} }],
    ['a negative timeScale', { backend: timesBackend(), timeScale: -1 }],
    ['a NaN timeScale', { backend: timesBackend(), timeScale: Number.NaN }],
  ])('refuses %s with a clear error', async (_name, options) => {
    await expect(startVertexEmulator(options as never)).rejects.toThrow(/startVertexEmulator: .*(backend|timeScale)/);
  });
});

describe('the wire', () => {
  let emulator: VertexEmulator;
  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend() });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it.each([
    ['garbage bytes', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), /Invalid request: GetModelRequest does not decode/],
    // protobufjs clamps a string running past the end; the cut name is then refused by name checks
    [
      'a truncated field',
      Buffer.from([0x0a, 0x50, 0x61, 0x62]),
      /Field: name; Message: "ab" is not a valid resource name/,
    ],
    ['a wrong wire type for name', Buffer.from([0x0d, 1, 2, 3, 4]), /Field: name; Message: .*expected projects/],
  ])('answers INVALID_ARGUMENT (not INTERNAL) to %s', async (_name, body, message) => {
    const res = await rawBytes(emulator.port, '/google.cloud.aiplatform.v1.ModelService/GetModel', body);
    expect(res.code).toBe(status.INVALID_ARGUMENT);
    expect(res.details).toMatch(message);
  });

  it('answers UNIMPLEMENTED for RPCs the emulator does not serve', async () => {
    const res = await rawBytes(emulator.port, '/google.cloud.aiplatform.v1.ModelService/ExportModel', Buffer.alloc(0));
    expect(res.code).toBe(status.UNIMPLEMENTED);
  });

  it('serves WaitOperation, bounded by its timeout', async () => {
    const ops = rawClient(emulator.port, 'operations');
    const models = rawClient(emulator.port, 'model');
    try {
      emulator.setOperationDuration('UploadModel', 300);
      const op = await models.call('uploadModel', {
        parent: 'projects/local-project/locations/us-central1',
        model: { displayName: 'waited', artifactUri: 'gs://a/times-2/', containerSpec: { imageUri: 'img' } },
      });
      expect(op.done).toBe(false);
      const early = await ops.call('waitOperation', { name: op.name, timeout: { seconds: 0, nanos: 10_000_000 } });
      expect(early.done).toBe(false);
      const done = await ops.call('waitOperation', { name: op.name, timeout: { seconds: 5 } });
      expect(done.done).toBe(true);
      expect(done.response?.type_url).toBe('type.googleapis.com/google.cloud.aiplatform.v1.UploadModelResponse');
    } finally {
      emulator.setOperationDuration('UploadModel', 0);
      ops.close();
      models.close();
    }
  });
});

describe('determinism and lifecycle', () => {
  it('routes the same sequence for the same seed', async () => {
    const run = async (): Promise<string[]> => {
      const emulator = await startVertexEmulator({ backend: timesBackend(), seed: 9 });
      const clients = clientsFor(emulator);
      try {
        const { model } = await upload(clients, emulator, 'gs://a/times-2/');
        await upload(clients, emulator, 'gs://a/times-3/', { parentModel: model });
        const endpoint = await createEndpoint(clients, emulator);
        const first = await deploy(clients, endpoint, `${model}@1`);
        await deploy(clients, endpoint, `${model}@2`, { '0': 50, [first]: 50 });
        const ids: string[] = [];
        for (let i = 0; i < 40; i += 1) {
          const [res] = await clients.prediction.predict({ endpoint, instances: [{ numberValue: 1 }] });
          ids.push(res.deployedModelId as string);
        }
        return ids;
      } finally {
        await closeClients(clients);
        await emulator.stop();
      }
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(2);
  });

  it('state() is a copy; stop() disposes deployed models and closes the port', async () => {
    const backend = timesBackend();
    const emulator = await startVertexEmulator({ backend });
    const clients = clientsFor(emulator, ['models', 'endpoints']);
    const { model } = await upload(clients, emulator, 'gs://a/times-2/');
    const endpoint = await createEndpoint(clients, emulator);
    await deploy(clients, endpoint, model);
    const snapshot = emulator.state();
    snapshot.endpoints[0].trafficSplit = {};
    expect(Object.values(emulator.state().endpoints[0].trafficSplit)).toEqual([100]);
    await emulator.stop();
    expect(backend.disposed).toEqual(['gs://a/times-2/']);
    const err = await rejection(clients.models.getModel({ name: model }, { timeout: 2000 }));
    expect([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]).toContain(err.code);
    await closeClients(clients);
  });
});
