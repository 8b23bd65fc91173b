import { status } from '@grpc/grpc-js';
import { timesBackend } from './fake-backend';
import {
  clientsFor,
  expectUnsendable,
  refusal,
  TRANSPORTS,
  closeClients,
  SERVING_IMAGE,
  startVertexEmulator,
  upload,
  type VertexClients,
  type VertexEmulator,
} from './vertex-clients';

describe.each(TRANSPORTS)('over %s', (transport) => {
  let emulator: VertexEmulator;
  let clients: VertexClients;
  let parent: string;

  beforeAll(async () => {
    emulator = await startVertexEmulator({ backend: timesBackend() });
    clients = clientsFor(emulator, ['models'], transport);
    parent = `projects/${emulator.project}/locations/${emulator.location}`;
  });

  afterAll(async () => {
    await closeClients(clients);
    await emulator.stop();
  });

  /** Resolves to the error the client raised (failing the test if it did not). */
  describe('UploadModel and versions', () => {
    let model: string;

    beforeAll(async () => {
      ({ model } = await upload(clients, emulator, 'gs://artifacts/models/flowers/1/times-2/', {
        labels: { team: 'vision' },
      }));
      await upload(clients, emulator, 'gs://artifacts/models/flowers/2/times-3/', {
        parentModel: model,
        versionAliases: ['candidate'],
      });
    });

    it('gives the first version id 1 and the default alias, the next version id 2 with its aliases', async () => {
      const [v1] = await clients.models.getModel({ name: `${model}@1` });
      expect(v1).toMatchObject({
        name: model,
        versionId: '1',
        versionAliases: ['default'],
        artifactUri: 'gs://artifacts/models/flowers/1/times-2/',
      });
      expect(v1.labels).toEqual({ team: 'vision' });
      expect(v1.containerSpec?.imageUri).toBe(SERVING_IMAGE);
      expect(Number(v1.versionCreateTime?.seconds)).toBeGreaterThan(0);
      expect(v1.etag).toBeTruthy();
      const [v2] = await clients.models.getModel({ name: `${model}@candidate` });
      expect(v2).toMatchObject({ versionId: '2', versionAliases: ['candidate'] });
    });

    it('answers the default version for a bare name', async () => {
      const [m] = await clients.models.getModel({ name: model });
      expect(m.versionId).toBe('1');
    });

    it('lists versions and models with filters', async () => {
      const [versions] = await clients.models.listModelVersions({ name: model });
      expect(versions.map((v) => v.versionId)).toEqual(['1', '2']);
      await upload(clients, emulator, 'gs://artifacts/models/birds/1/times-5/', {
        displayName: 'birds',
        labels: { team: 'vision' },
      });
      const [byName] = await clients.models.listModels({ parent, filter: 'display_name="flowers"' });
      expect(byName.map((m) => m.name)).toEqual([model]);
      const [byLabel] = await clients.models.listModels({ parent, filter: 'labels.team="vision"' });
      expect(byLabel.map((m) => m.displayName).sort()).toEqual(['birds', 'flowers']);
      const [both] = await clients.models.listModels({
        parent,
        filter: 'labels.team="vision" AND display_name="birds"',
      });
      expect(both.map((m) => m.displayName)).toEqual(['birds']);
      const [none] = await clients.models.listModels({ parent, filter: 'display_name="nothing"' });
      expect(none).toEqual([]);
    });

    it('pages through ListModels with the page token', async () => {
      const [page, , response] = await clients.models.listModels({ parent, pageSize: 1 }, { autoPaginate: false });
      expect(page).toHaveLength(1);
      expect(response?.nextPageToken).toBeTruthy();
      const [next] = await clients.models.listModels(
        { parent, pageSize: 1, pageToken: response?.nextPageToken as string },
        { autoPaginate: false },
      );
      expect(next).toHaveLength(1);
      expect(next[0].name).not.toBe(page[0].name);
      const err = await refusal(
        clients.models.listModels({ parent, pageSize: 1, pageToken: 'forged' }, { autoPaginate: false }),
      );
      expect(err.code).toBe(status.INVALID_ARGUMENT);
    });

    it('refuses an alias already held by another version and creates nothing', async () => {
      const before = emulator.state().models.find((m) => m.name === model)?.versions.length;
      const err = await refusal(
        upload(clients, emulator, 'gs://artifacts/models/flowers/3/times-4/', {
          parentModel: model,
          versionAliases: ['candidate'],
        }),
      );
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(/alias "candidate" is already used by version 2/);
      expect(emulator.state().models.find((m) => m.name === model)?.versions.length).toBe(before);
    });

    it.each([['Candidate'], ['2nd'], ['can_didate'], ['cand-'], ['x']])('refuses the alias %s', async (alias) => {
      const err = await refusal(
        upload(clients, emulator, 'gs://a/times-2/', { parentModel: model, versionAliases: [alias] }),
      );
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toContain('model.version_aliases[0]');
    });

    it('moves default on upload when asked, as is_default_version does', async () => {
      const { model: m } = await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'moving' });
      await upload(clients, emulator, 'gs://a/times-3/', { parentModel: m, versionAliases: ['default', 'fresh'] });
      const [current] = await clients.models.getModel({ name: m });
      expect(current).toMatchObject({ versionId: '2', versionAliases: ['default', 'fresh'] });
      const [old] = await clients.models.getModel({ name: `${m}@1` });
      expect(old.versionAliases).toEqual([]);
    });
  });

  describe('MergeVersionAliases', () => {
    let model: string;
    beforeAll(async () => {
      ({ model } = await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'aliases' }));
      await upload(clients, emulator, 'gs://a/times-3/', { parentModel: model, versionAliases: ['candidate'] });
    });

    it('adds, moves and removes aliases', async () => {
      const [v2] = await clients.models.mergeVersionAliases({ name: `${model}@2`, versionAliases: ['prod'] });
      expect(v2.versionAliases).toEqual(['candidate', 'prod']);
      const [v1] = await clients.models.mergeVersionAliases({ name: `${model}@1`, versionAliases: ['candidate'] });
      expect(v1.versionAliases).toEqual(['default', 'candidate']);
      const [after] = await clients.models.getModel({ name: `${model}@2` });
      expect(after.versionAliases).toEqual(['prod']);
      const [removed] = await clients.models.mergeVersionAliases({ name: `${model}@2`, versionAliases: ['-prod'] });
      expect(removed.versionAliases).toEqual([]);
    });

    it('moves default but never removes it', async () => {
      const err = await refusal(
        clients.models.mergeVersionAliases({ name: `${model}@1`, versionAliases: ['-default'] }),
      );
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(/default alias cannot be removed/);
      await clients.models.mergeVersionAliases({ name: `${model}@2`, versionAliases: ['default'] });
      const [m] = await clients.models.getModel({ name: model });
      expect(m.versionId).toBe('2');
    });

    it.each([
      ['no version in the name', (m: string) => ({ name: m, versionAliases: ['x1'] }), /must name a model version/],
      ['no aliases', (m: string) => ({ name: `${m}@1`, versionAliases: [] }), /version_aliases; Message: is required/],
      [
        'add and remove the same alias',
        (m: string) => ({ name: `${m}@1`, versionAliases: ['beta', '-beta'] }),
        /both added and removed/,
      ],
      ['a bad alias', (m: string) => ({ name: `${m}@1`, versionAliases: ['Beta'] }), /version_aliases\[0\]/],
    ])('refuses %s', async (_name, request, message) => {
      const err = await refusal(clients.models.mergeVersionAliases(request(model)));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(message);
    });
  });

  describe('errors like the real API', () => {
    it('NOT_FOUND for unknown models, versions and aliases', async () => {
      const missing = `${parent}/models/424242`;
      const err = await refusal(clients.models.getModel({ name: missing }));
      expect(err.code).toBe(status.NOT_FOUND);
      expect(err.message).toBe(`5 NOT_FOUND: Model ${missing} not found.`);
      const { model } = await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'nf' });
      expect((await refusal(clients.models.getModel({ name: `${model}@9` }))).code).toBe(status.NOT_FOUND);
      expect((await refusal(clients.models.getModel({ name: `${model}@nope` }))).code).toBe(status.NOT_FOUND);
      expect((await refusal(upload(clients, emulator, 'gs://a/times-2/', { parentModel: missing }))).code).toBe(
        status.NOT_FOUND,
      );
    });

    it.each([
      ['empty name', { name: '' }],
      ['wrong collection', { name: `${parent}/endpoints/1` }],
      ['garbage', { name: 'models/1' }],
    ])('INVALID_ARGUMENT for a malformed name (%s)', async (_name, request) => {
      const err = await refusal(clients.models.getModel(request));
      if (transport === 'rest') return expectUnsendable(err);
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(/Field: name; .*expected projects\/\{project\}/);
    });

    it.each([
      ['no model', {}, /Field: model; Message: is required/],
      ['no display name', { model: { containerSpec: { imageUri: SERVING_IMAGE } } }, /model\.display_name/],
      ['no container image', { model: { displayName: 'x' } }, /model\.container_spec\.image_uri/],
      [
        'bad label',
        { model: { displayName: 'x', containerSpec: { imageUri: SERVING_IMAGE }, labels: { Team: 'x' } } },
        /model\.labels\.Team/,
      ],
      [
        'bad parent',
        { parent: 'projects/p', model: { displayName: 'x', containerSpec: { imageUri: SERVING_IMAGE } } },
        /Field: parent/,
      ],
      [
        'bad model id',
        { modelId: '9lives', model: { displayName: 'x', containerSpec: { imageUri: SERVING_IMAGE } } },
        /Field: model_id/,
      ],
    ])('UploadModel refuses %s', async (name, request, message) => {
      const err = await refusal(clients.models.uploadModel({ parent, ...request }));
      if (transport === 'rest' && name === 'bad parent') return expectUnsendable(err);
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.message).toMatch(message);
    });

    it('ALREADY_EXISTS when a chosen model id is taken', async () => {
      const request = {
        parent,
        modelId: 'chosen-id',
        model: { displayName: 'x', containerSpec: { imageUri: SERVING_IMAGE } },
      };
      const [op] = await clients.models.uploadModel(request);
      await op.promise();
      expect((await refusal(clients.models.uploadModel(request))).code).toBe(status.ALREADY_EXISTS);
    });

    it('INVALID_ARGUMENT for a bad filter', async () => {
      const err = await refusal(clients.models.listModels({ parent, filter: 'display_name="a" OR labels.x="y"' }));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
    });

    it('raises an injected UNAVAILABLE once, then serves (the client does not retry UploadModel)', async () => {
      emulator.faults.failNext('UploadModel', 1, status.UNAVAILABLE, 'backend unavailable');
      const count = emulator.state().models.length;
      const err = await refusal(upload(clients, emulator, 'gs://a/times-2/', { displayName: 'flaky' }));
      expect(err.code).toBe(status.UNAVAILABLE);
      expect(emulator.state().models.length).toBe(count);
      await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'flaky' });
      expect(emulator.state().models.length).toBe(count + 1);
    });
  });

  describe('deletion', () => {
    it('deletes a model through its LRO', async () => {
      const { model } = await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'doomed' });
      const [op] = await clients.models.deleteModel({ name: model });
      await op.promise();
      expect((await refusal(clients.models.getModel({ name: model }))).code).toBe(status.NOT_FOUND);
    });

    it('deletes a non-default version but not the default one', async () => {
      const { model } = await upload(clients, emulator, 'gs://a/times-2/', { displayName: 'versions' });
      await upload(clients, emulator, 'gs://a/times-3/', { parentModel: model });
      const err = await refusal(clients.models.deleteModelVersion({ name: `${model}@1` }));
      expect(err.code).toBe(status.FAILED_PRECONDITION);
      const [op] = await clients.models.deleteModelVersion({ name: `${model}@2` });
      await op.promise();
      const [versions] = await clients.models.listModelVersions({ name: model });
      expect(versions.map((v) => v.versionId)).toEqual(['1']);
    });
  });
});
