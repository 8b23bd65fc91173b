import { idSequence } from '../../../../emulators/vertex/clock';
import { ModelRegistry } from '../../../../emulators/vertex/model-registry';

const parent = { project: 'p', location: 'l' };
const request = (extra: Record<string, unknown> = {}, aliases?: string[]) => ({
  ...extra,
  model: {
    displayName: 'flowers',
    artifactUri: 'gs://a/1/',
    containerSpec: { imageUri: 'img' },
    versionAliases: aliases,
  },
});

describe('ModelRegistry', () => {
  it('re-checks aliases when an upload commits, so two racing uploads cannot both take one alias', () => {
    const registry = new ModelRegistry(idSequence(0n));
    const first = registry.planUpload(parent, request());
    const { model } = first.commit();
    const a = registry.planUpload(parent, request({ parentModel: model }, ['candidate']));
    const b = registry.planUpload(parent, request({ parentModel: model }, ['candidate']));
    expect(a.commit().modelVersionId).toBe('2');
    expect(() => b.commit()).toThrow(/alias "candidate" is already used by version 2/);
    expect([...registry.models.get(model)!.versions.keys()]).toEqual(['1', '2']);
  });

  it('re-checks that the parent model still exists when an upload commits', () => {
    const registry = new ModelRegistry(idSequence(0n));
    const { model } = registry.planUpload(parent, request()).commit();
    const plan = registry.planUpload(parent, request({ parentModel: model }));
    registry.models.delete(model);
    expect(() => plan.commit()).toThrow(expect.objectContaining({ code: 5 }));
  });

  it('keeps exactly one default alias as versions come and go', () => {
    const registry = new ModelRegistry(idSequence(0n));
    const { model } = registry.planUpload(parent, request()).commit();
    registry.planUpload(parent, request({ parentModel: model }, ['default'])).commit();
    registry.planUpload(parent, request({ parentModel: model })).commit();
    registry.mergeAliases(`${model}@3`, ['default']);
    const holders = [...registry.models.get(model)!.versions.values()].filter((v) =>
      v.versionAliases.includes('default'),
    );
    expect(holders.map((v) => v.versionId)).toEqual(['3']);
    expect(registry.resolve(model, 'name').version.versionId).toBe('3');
  });

  it('changes the etag of every version an alias merge touches', () => {
    const registry = new ModelRegistry(idSequence(0n));
    const { model } = registry.planUpload(parent, request(undefined, ['beta'])).commit();
    registry.planUpload(parent, request({ parentModel: model })).commit();
    const before = [...registry.models.get(model)!.versions.values()].map((v) => v.etag);
    registry.mergeAliases(`${model}@2`, ['beta']);
    const after = [...registry.models.get(model)!.versions.values()].map((v) => v.etag);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });
});
