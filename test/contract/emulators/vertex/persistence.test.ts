import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_FILE } from '../../../../emulators/vertex/persistence';
import { MAX_STATE_BYTES } from '../../../../emulators/state-file';
import { timesBackend } from './fake-backend';
import { rawClient } from './raw-client';
import {
  clientsFor,
  closeClients,
  createEndpoint,
  DEDICATED,
  deploy,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

/** One emulator life: the emulator, the official clients pointed at it, and its fake backend. */
interface Life {
  emulator: VertexEmulator;
  clients: VertexClients;
  backend: ReturnType<typeof timesBackend>;
  end(): Promise<void>;
}

async function start(dataDir: string | undefined, extra: { deployDurationMs?: number } = {}): Promise<Life> {
  const backend = timesBackend();
  const emulator = await startVertexEmulator({ backend, dataDir, ...extra });
  const clients = clientsFor(emulator);
  return {
    emulator,
    clients,
    backend,
    end: async () => {
      await closeClients(clients);
      await emulator.stop();
    },
  };
}

const PARENT = 'projects/local-project/locations/us-central1';
const predictOnce = async (life: Life, endpoint: string, x: number) => {
  const [res] = await life.clients.prediction.predict({ endpoint, instances: [{ numberValue: x }] });
  return { id: res.deployedModelId as string, y: res.predictions?.[0]?.numberValue };
};

describe('Vertex AI emulator state in dataDir', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ferry-vertex-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps models, versions, aliases, endpoints, split, operations and counters; predictions are served again', async () => {
    const first = await start(dataDir);
    const { model } = await upload(first.clients, first.emulator, 'gs://a/models/1/times-2/', {
      labels: { team: 'vision' },
    });
    await upload(first.clients, first.emulator, 'gs://a/models/2/times-3/', {
      parentModel: model,
      versionAliases: ['candidate'],
    });
    await first.clients.models.mergeVersionAliases({ name: `${model}@2`, versionAliases: ['beta'] });
    const endpoint = await createEndpoint(first.clients, first.emulator, 'flowers-endpoint', { app: 'flowers' });
    const stable = await deploy(first.clients, endpoint, `${model}@1`);
    const canary = await deploy(first.clients, endpoint, `${model}@candidate`, { '0': 10, [stable]: 90 });
    const [ep] = await first.clients.endpoints.getEndpoint({ name: endpoint });
    await first.clients.endpoints.updateEndpoint({
      endpoint: { name: endpoint, trafficSplit: { [stable]: 30, [canary]: 70 }, etag: ep.etag },
      updateMask: { paths: ['traffic_split'] },
    });
    const [versionsBefore] = await first.clients.models.listModelVersions({ name: model });
    const [endpointBefore] = await first.clients.endpoints.getEndpoint({ name: endpoint });
    const opsBefore = first.emulator.state().operations;
    await first.end();

    const second = await start(dataDir);
    try {
      const [versionsAfter] = await second.clients.models.listModelVersions({ name: model });
      expect(versionsAfter).toEqual(versionsBefore);
      expect(versionsAfter.map((v) => [v.versionId, v.versionAliases, v.artifactUri, v.labels])).toEqual([
        ['1', ['default'], 'gs://a/models/1/times-2/', { team: 'vision' }],
        ['2', ['candidate', 'beta'], 'gs://a/models/2/times-3/', {}],
      ]);
      const [endpointAfter] = await second.clients.endpoints.getEndpoint({ name: endpoint });
      expect(endpointAfter).toEqual(endpointBefore);
      expect(endpointAfter.trafficSplit).toEqual({ [stable]: 30, [canary]: 70 });
      expect(second.emulator.state().operations).toEqual(opsBefore);
      const ops = rawClient(second.emulator.port, 'operations');
      const done = await ops
        .call('getOperation', { name: opsBefore[opsBefore.length - 1].name })
        .finally(() => ops.close());
      expect(done.done).toBe(true);
      expect(done.response?.type_url).toBe('type.googleapis.com/google.cloud.aiplatform.v1.DeployModelResponse');

      expect(second.backend.loads).toEqual([]);
      const answers = [];
      for (let i = 0; i < 30; i += 1) answers.push(await predictOnce(second, endpoint, 5));
      expect(new Set(answers.map((a) => a.id))).toEqual(new Set([stable, canary]));
      for (const a of answers) expect(a.y).toBe(a.id === stable ? 10 : 15);
      expect([...second.backend.loads].sort()).toEqual(['gs://a/models/1/times-2/', 'gs://a/models/2/times-3/']);

      const { model: other, versionId } = await upload(second.clients, second.emulator, 'gs://a/models/3/times-4/', {
        parentModel: model,
      });
      expect([other, versionId]).toEqual([model, '3']);
      const fresh = await upload(second.clients, second.emulator, 'gs://a/other/times-1/', { displayName: 'other' });
      expect(BigInt(fresh.model.split('/').pop() as string)).toBeGreaterThan(BigInt(model.split('/').pop() as string));
      const freshEndpoint = await createEndpoint(second.clients, second.emulator, 'second');
      expect(BigInt(freshEndpoint.split('/').pop() as string)).toBeGreaterThan(BigInt(canary));
      const [moved] = await second.clients.models.mergeVersionAliases({ name: `${model}@3`, versionAliases: ['beta'] });
      expect(moved.etag).not.toBe(versionsBefore[1].etag);
      expect(new Set([moved.etag, ...versionsBefore.map((v) => v.etag)]).size).toBe(3);
    } finally {
      await second.end();
    }
    const third = await start(dataDir);
    try {
      const [models] = await third.clients.models.listModels({ parent: PARENT });
      expect(models.map((m) => m.displayName).sort()).toEqual(['flowers', 'other']);
      const [moved] = await third.clients.models.getModel({ name: `${model}@beta` });
      expect(moved.versionId).toBe('3');
    } finally {
      await third.end();
    }
  });

  it('finishes a deployment that was in flight at shutdown at its scheduled time, under the same operation name', async () => {
    const first = await start(dataDir, { deployDurationMs: 1500 });
    const { model } = await upload(first.clients, first.emulator, 'gs://a/models/1/times-2/');
    const endpoint = await createEndpoint(first.clients, first.emulator);
    const [op] = await first.clients.endpoints.deployModel({
      endpoint,
      deployedModel: { model, dedicatedResources: DEDICATED },
    });
    const startedAt = Date.now();
    expect(op.done).toBe(false);
    await first.end();

    const second = await start(dataDir, { deployDurationMs: 60_000 });
    try {
      const early = await second.clients.endpoints.checkDeployModelProgress(op.name as string);
      expect(early.done).toBe(false);
      const [busy] = await second.clients.endpoints.getEndpoint({ name: endpoint });
      expect(busy.deployedModels).toEqual([]);
      const [res] = await early.promise();
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1400);
      const id = res.deployedModel?.id as string;
      const [after] = await second.clients.endpoints.getEndpoint({ name: endpoint });
      expect(after.trafficSplit).toEqual({ [id]: 100 });
      expect((await predictOnce(second, endpoint, 4)).y).toBe(8);
    } finally {
      await second.end();
    }
  });

  it('finishes at once, on restart, an operation whose scheduled time passed while the emulator was down', async () => {
    const first = await start(dataDir, { deployDurationMs: 200 });
    const { model } = await upload(first.clients, first.emulator, 'gs://a/models/1/times-2/');
    const endpoint = await createEndpoint(first.clients, first.emulator);
    const [op] = await first.clients.endpoints.deployModel({
      endpoint,
      deployedModel: { model, dedicatedResources: DEDICATED },
    });
    await first.end();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const second = await start(dataDir);
    try {
      const status = await second.clients.endpoints.checkDeployModelProgress(op.name as string);
      expect(status.done).toBe(true);
      const [after] = await second.clients.endpoints.getEndpoint({ name: endpoint });
      expect(after.deployedModels?.map((d) => d.model)).toEqual([model]);
      expect(second.backend.loads).toEqual(['gs://a/models/1/times-2/']);
    } finally {
      await second.end();
    }
  });

  it('finishes a CopyModel in flight at shutdown under the same operation and the same generated model id', async () => {
    const first = await start(dataDir);
    const { model } = await upload(first.clients, first.emulator, 'gs://a/models/1/times-2/');
    first.emulator.setOperationDuration('CopyModel', 600);
    const destination = 'projects/local-project/locations/europe-west4';
    const [op] = await first.clients.models.copyModel({ parent: destination, sourceModel: model });
    expect(op.done).toBe(false);
    const copied = (op.name as string).replace(/\/operations\/\d+$/, '');
    await first.end();

    const second = await start(dataDir);
    try {
      const [res] = await (await second.clients.models.checkCopyModelProgress(op.name as string)).promise();
      expect(res).toMatchObject({ model: copied, modelVersionId: '1' });
      const [version] = await second.clients.models.getModel({ name: copied });
      expect(version.artifactUri).toBe('gs://a/models/1/times-2/');
      const next = await upload(second.clients, second.emulator, 'gs://a/models/2/times-3/', { displayName: 'other' });
      expect(next.model).not.toBe(copied);
    } finally {
      await second.end();
    }
  });

  it('ends a deployment in flight whose artifact then fails to load with that error, leaving the endpoint unchanged', async () => {
    const first = await start(dataDir, { deployDurationMs: 200 });
    const { model } = await upload(first.clients, first.emulator, 'gs://a/models/1/broken/');
    const endpoint = await createEndpoint(first.clients, first.emulator);
    const [op] = await first.clients.endpoints.deployModel({
      endpoint,
      deployedModel: { model, dedicatedResources: DEDICATED },
    });
    await first.end();

    const second = await start(dataDir);
    try {
      const status = await second.clients.endpoints.checkDeployModelProgress(op.name as string);
      await expect(status.promise()).rejects.toThrow(/Model server never became ready/);
      const [after] = await second.clients.endpoints.getEndpoint({ name: endpoint });
      expect(after.deployedModels).toEqual([]);
      await second.clients.models.deleteModel({ name: model }).then(([del]) => del.promise());
    } finally {
      await second.end();
    }
  });
});

describe('a damaged state file stops startup with a message naming it', () => {
  let dataDir: string;
  let file: string;
  let valid: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ferry-vertex-bad-'));
    file = join(dataDir, STATE_FILE);
    const life = await start(dataDir);
    const { model } = await upload(life.clients, life.emulator, 'gs://a/models/1/times-2/');
    await deploy(life.clients, await createEndpoint(life.clients, life.emulator), model);
    await life.end();
    valid = await readFile(file, 'utf8');
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a saved state edited by hand, as a person would
  const edit = (change: (state: Record<string, any>) => void): string => {
    const state = JSON.parse(valid);
    change(state);
    return JSON.stringify(state);
  };

  it.each([
    ['truncated', () => valid.slice(0, Math.floor(valid.length / 2)), /not valid JSON.*truncated.*delete it/],
    ['empty', () => '', /not valid JSON/],
    ['not an object', () => '[1,2]', /not a Vertex AI emulator state.*\(top level\) must be object/],
    ['another format', () => edit((s) => (s.format = 'pubsub')), /\/format must be equal to constant/],
    ['a newer version', () => edit((s) => (s.version = 2)), /\/version must be equal to constant/],
    [
      'a version id of the wrong type',
      () => edit((s) => (s.models[0].versions[0].versionId = 1)),
      /\/models\/0\/versions\/0\/versionId must be string/,
    ],
    [
      'a missing traffic split',
      () => edit((s) => delete s.endpoints[0].trafficSplit),
      /\/endpoints\/0 must have required property 'trafficSplit'/,
    ],
    ['a corrupt id counter', () => edit((s) => (s.ids.models = 'x')), /\/ids\/models must match pattern/],
    [
      'an unknown replay method',
      () =>
        edit((s) =>
          s.operations.push({
            name: 'op',
            startedAt: 1,
            durationMs: 1,
            done: false,
            replay: { method: 'Explode', request: {}, ids: [] },
          }),
        ),
      /\/operations\/\d+\/replay\/method must be equal to one of/,
    ],
    [
      'a deployment of a missing version',
      () => edit((s) => (s.endpoints[0].deployed[0].modelVersionId = '9')),
      /deployed model 0 names .*@9, which is not in the file/,
    ],
    ['a model listed twice', () => edit((s) => s.models.push(s.models[0])), /models\/\d+ appears twice/],
    [
      'a deployed model listed twice',
      () => edit((s) => s.endpoints[0].deployed.push(s.endpoints[0].deployed[0])),
      /has deployed model \d+ twice/,
    ],
    [
      'an id counter set back',
      () => edit((s) => (s.ids.endpoints = '2000000000000000000')),
      /ids\.endpoints \(2000000000000000000\) is behind id \d+, which is in use/,
    ],
    [
      'a version counter set back',
      () => edit((s) => (s.models[0].nextVersion = 1)),
      /would number its next version 1, which is already in use/,
    ],
  ])('refuses %s, leaving the file in place', async (_name, content, message) => {
    const text = content();
    await writeFile(file, text);
    const error = await startVertexEmulator({ backend: timesBackend(), dataDir }).then(
      async (emulator) => {
        await emulator.stop();
        return new Error('started');
      },
      (err: Error) => err,
    );
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Restore it from a backup, or delete it/);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('refuses an oversized file without reading it into memory', async () => {
    await writeFile(file, '');
    await truncate(file, MAX_STATE_BYTES + 1);
    await expect(startVertexEmulator({ backend: timesBackend(), dataDir })).rejects.toThrow(
      new RegExp(`${STATE_FILE}: ${MAX_STATE_BYTES + 1} bytes, more than`),
    );
  });

  it('answers an in-flight operation whose replay is refused with that error instead of losing it', async () => {
    const missing = `${PARENT}/endpoints/404`;
    await writeFile(
      file,
      edit((s) =>
        s.operations.push({
          name: `${missing}/operations/1`,
          startedAt: Date.now(),
          durationMs: 60_000,
          done: false,
          replay: {
            method: 'DeployModel',
            request: { endpoint: missing, deployedModel: { model: s.models[0].name, dedicatedResources: DEDICATED } },
            ids: [],
          },
        }),
      ),
    );
    const life = await start(dataDir);
    const ops = rawClient(life.emulator.port, 'operations');
    try {
      const op = await ops.call('getOperation', { name: `${missing}/operations/1` });
      expect(op.done).toBe(true);
      expect(op.error).toMatchObject({ code: 5, message: `Endpoint ${missing} not found.` });
    } finally {
      ops.close();
      await life.end();
    }
  });

  it('starts again once the file is fixed', async () => {
    await writeFile(file, valid);
    const life = await start(dataDir);
    try {
      expect(life.emulator.state().endpoints[0].deployedModels).toHaveLength(1);
    } finally {
      await life.end();
    }
    expect((await readdir(dataDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('without dataDir', () => {
  /** Runs one session with the working and temp directories pointed at empty folders; returns what is left in them. */
  const session = async (dataDir: string | undefined): Promise<string[]> => {
    const root = await mkdtemp(join(tmpdir(), 'ferry-vertex-cwd-'));
    const [cwd, tmp] = [join(root, 'cwd'), join(root, 'tmp')];
    await Promise.all([mkdir(cwd), mkdir(tmp)]);
    const saved = { cwd: process.cwd(), tmpdir: process.env.TMPDIR };
    process.chdir(cwd);
    process.env.TMPDIR = tmp;
    try {
      const life = await start(dataDir);
      const { model } = await upload(life.clients, life.emulator, 'gs://a/models/1/times-2/');
      const endpoint = await createEndpoint(life.clients, life.emulator);
      await deploy(life.clients, endpoint, model);
      await predictOnce(life, endpoint, 1);
      await life.end();
      return [...(await readdir(cwd)), ...(await readdir(tmp))];
    } finally {
      process.chdir(saved.cwd);
      if (saved.tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved.tmpdir;
      await rm(root, { recursive: true, force: true });
    }
  };

  it('leaves nothing behind (the same session with a relative dataDir does)', async () => {
    expect(await session('state')).toEqual(['state']);
    expect(await session(undefined)).toEqual([]);
  });
});
