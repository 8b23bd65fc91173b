import { ObjectStore } from '../../../../emulators/storage/store';
import type { StoreChange } from '../../../../emulators/storage/store';

function storeWithLog() {
  const changes: StoreChange[] = [];
  const store = new ObjectStore((change) => changes.push(change));
  store.createBucket('bkt');
  return { store, changes };
}

describe('ObjectStore', () => {
  it('gives strictly increasing generations, even within one millisecond', () => {
    const { store } = storeWithLog();
    const generations = Array.from(
      { length: 50 },
      (_, i) => store.putObject('bkt', `o${i % 3}`, Buffer.from('x'), {}, {}).generation,
    );
    for (let i = 1; i < generations.length; i += 1) expect(generations[i]).toBeGreaterThan(generations[i - 1]);
  });

  it('announces finalize, overwrite (deleted + finalized), metadata updates and deletes in order', () => {
    const { store, changes } = storeWithLog();
    store.putObject('bkt', 'a', Buffer.from('1'), {}, {});
    store.putObject('bkt', 'a', Buffer.from('22'), {}, {});
    store.patchObject('bkt', 'a', { metadata: { k: 'v' } }, {});
    store.deleteObject('bkt', 'a', {});
    expect(changes.map((c) => [c.kind, c.object.data.length, c.object.metageneration])).toEqual([
      ['finalized', 1, 1],
      ['deleted', 1, 1],
      ['finalized', 2, 1],
      ['metadataUpdated', 2, 2],
      ['deleted', 2, 2],
    ]);
  });

  it('merges patches: null removes a field or a metadata key, others overwrite', () => {
    const { store } = storeWithLog();
    store.putObject(
      'bkt',
      'a',
      Buffer.from('1'),
      { contentType: 'text/plain', cacheControl: 'no-cache', metadata: { x: '1', y: '2' } },
      {},
    );
    const patched = store.patchObject('bkt', 'a', { cacheControl: null, metadata: { x: null, z: '3' } }, {});
    expect(patched.fields).toEqual({ contentType: 'text/plain', metadata: { y: '2', z: '3' } });
    expect(store.patchObject('bkt', 'a', { metadata: null }, {}).fields).toEqual({ contentType: 'text/plain' });
  });

  it('leaves state untouched when a precondition fails', () => {
    const { store, changes } = storeWithLog();
    const first = store.putObject('bkt', 'a', Buffer.from('1'), {}, { ifGenerationMatch: 0 });
    expect(() => store.putObject('bkt', 'a', Buffer.from('2'), {}, { ifGenerationMatch: 0 })).toThrow(
      expect.objectContaining({ status: 412 }),
    );
    expect(() => store.patchObject('bkt', 'a', { contentType: 'x' }, { ifMetagenerationMatch: 9 })).toThrow(
      expect.objectContaining({ status: 412 }),
    );
    expect(() => store.deleteObject('bkt', 'a', { ifGenerationMatch: first.generation + 1 })).toThrow(
      expect.objectContaining({ status: 412 }),
    );
    expect(store.getObject('bkt', 'a')).toBe(first);
    expect(changes).toHaveLength(1);
  });

  it('404s missing buckets and objects with the GCS messages, and 409s bucket conflicts', () => {
    const { store } = storeWithLog();
    expect(() => store.getObject('bkt', 'nope')).toThrow('No such object: bkt/nope');
    expect(() => store.getObject('nob', 'x')).toThrow('The specified bucket does not exist.');
    expect(() => store.createBucket('bkt')).toThrow(expect.objectContaining({ status: 409 }));
    store.putObject('bkt', 'a', Buffer.from('1'), {}, {});
    expect(() => store.deleteBucket('bkt')).toThrow(expect.objectContaining({ status: 409 }));
    const live = store.getObject('bkt', 'a');
    expect(() => store.getObject('bkt', 'a', live.generation - 1)).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('keeps the sorted name index in step with inserts and deletes', () => {
    const { store } = storeWithLog();
    for (const name of ['b', 'a', 'c']) store.putObject('bkt', name, Buffer.alloc(0), {}, {});
    expect(store.sortedNames('bkt')).toEqual(['a', 'b', 'c']);
    store.deleteObject('bkt', 'b', {});
    store.putObject('bkt', '0', Buffer.alloc(0), {}, {});
    expect(store.sortedNames('bkt')).toEqual(['0', 'a', 'c']);
  });
});
