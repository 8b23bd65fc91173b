import { markArrived, recordMissing } from '../../../../../functions/pipeline/stages/pending-files';
import { MemoryDocuments } from '../../../../helpers/memory-ports';

const INDEX = 'variables/variables.index';
const [D0, D1] = ['variables/variables.data-00000-of-00002', 'variables/variables.data-00001-of-00002'];

describe('recordMissing and markArrived', () => {
  it('empties the record only when the last recorded file arrives', async () => {
    const store = new MemoryDocuments();
    expect(await recordMissing(store, 'r', [D0, D1], async () => [D0, D1])).toBe(false);
    expect(await markArrived(store, 'r', D0)).toBe(false);
    expect(await markArrived(store, 'r', D0)).toBe(false); // a duplicate event
    expect(await markArrived(store, 'r', D1)).toBe(true);
    expect(await store.get('pending/r.json')).toBeUndefined();
  });

  it('ticks off files that landed while the record was being written', async () => {
    const store = new MemoryDocuments();
    expect(await recordMissing(store, 'r', [D0, D1], async () => [D1])).toBe(false);
    expect(await markArrived(store, 'r', D1)).toBe(true);
  });

  it('starts at once when the recheck finds nothing missing', async () => {
    expect(await recordMissing(new MemoryDocuments(), 'r', [D0], async () => [])).toBe(true);
  });

  // Found by the chaos suite (seed 3): the saved_model.pb handler listed before the index landed
  // (missing: the index only) and wrote after the index handler had recorded both shards; its
  // recheck saw the index and started the run with no shard there.
  it('does not start from a partial record written over a complete one', async () => {
    const store = new MemoryDocuments();
    expect(await recordMissing(store, 'r', [D0, D1], async () => [D0, D1])).toBe(false);
    expect(await recordMissing(store, 'r', [INDEX], async () => [D0, D1])).toBe(false);
    expect(await markArrived(store, 'r', D0)).toBe(false);
    expect(await markArrived(store, 'r', D1)).toBe(true);
  });

  it('completes a partial record with files that arrived in the gap', async () => {
    const store = new MemoryDocuments();
    // D0 landed (and found no record naming it) before the fresh listing; only D1 remains.
    expect(await recordMissing(store, 'r', [INDEX], async () => [D1])).toBe(false);
    expect((await store.get<{ missing: string[] }>('pending/r.json'))?.value.missing).toEqual([D1]);
    expect(await markArrived(store, 'r', D1)).toBe(true);
  });

  it('gives up with a transient error when files keep appearing', async () => {
    let n = 0;
    const recheck = async () => [`f${(n += 1)}`];
    await expect(recordMissing(new MemoryDocuments(), 'r', ['f0'], recheck)).rejects.toMatchObject({
      code: 10,
      message: expect.stringMatching(/pending record for r/),
    });
  });
});
