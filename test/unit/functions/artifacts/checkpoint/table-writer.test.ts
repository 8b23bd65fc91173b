import { readTable, readTableLayout } from '../../../../../functions/artifacts/checkpoint/table-reader';
import { writeTable } from '../../../../../functions/artifacts/checkpoint/table-writer';

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** Keys of the index block (restart interval 1, so every entry is a restart and unshared). */
function indexKeys(bytes: Uint8Array): string[] {
  const { index } = readTableLayout(bytes, 't');
  const keys: string[] = [];
  const restarts = new DataView(index.buffer, index.byteOffset).getUint32(index.length - 4, true);
  let at = 0;
  const limit = index.length - 4 - 4 * restarts;
  while (at < limit) {
    const [shared, unshared, valueLength] = [index[at], index[at + 1], index[at + 2]];
    expect(shared).toBe(0);
    keys.push(decode(index.subarray(at + 3, at + 3 + unshared)));
    at += 3 + unshared + valueLength;
  }
  return keys;
}

describe('writeTable', () => {
  it('uses short separators between blocks and a short successor after the last, like LevelDB', () => {
    const rows = ['apple', 'cherry', 'grape'].map((k) => ({ key: text(k), value: new Uint8Array(40) }));
    const bytes = writeTable(rows, 'none', 16);
    expect(readTableLayout(bytes, 't').data).toHaveLength(3);
    expect(indexKeys(bytes)).toEqual(['b', 'd', 'h']);
  });

  it('keeps the whole key when no shorter separator exists (adjacent last bytes)', () => {
    const rows = ['abc1', 'abc2'].map((k) => ({ key: text(k), value: new Uint8Array(40) }));
    expect(indexKeys(writeTable(rows, 'none', 16))).toEqual(['abc1', 'b']);
  });

  it('places a restart point every 16 entries in data blocks', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      key: text(`k${String(i).padStart(2, '0')}`),
      value: new Uint8Array(0),
    }));
    const [block] = readTableLayout(writeTable(rows, 'none', 1 << 20), 't').data;
    expect(new DataView(block.buffer, block.byteOffset).getUint32(block.length - 4, true)).toBe(3);
  });

  it('gives the index block a restart point per entry, keys unshared (interval 1, as LevelDB)', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      key: text(`shared/prefix/key_${String(i).padStart(2, '0')}`),
      value: new Uint8Array(30),
    }));
    const bytes = writeTable(rows, 'none', 16);
    const { index, data } = readTableLayout(bytes, 't');
    expect(data).toHaveLength(40);
    expect(new DataView(index.buffer, index.byteOffset).getUint32(index.length - 4, true)).toBe(40);
    expect(indexKeys(bytes)).toHaveLength(40);
  });

  it('stores a block raw when Snappy would not save an eighth', () => {
    let seed = 7;
    const noise = Uint8Array.from({ length: 2000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const bytes = writeTable([{ key: text('k'), value: noise }], 'snappy', 4096);
    expect(readTableLayout(bytes, 't').dataTypes).toEqual([0]);
    expect(readTable(bytes, 't')[0].value).toEqual(noise);
  });

  it('refuses keys out of order', () => {
    expect(() =>
      writeTable(
        [
          { key: text('b'), value: text('') },
          { key: text('a'), value: text('') },
        ],
        'none',
        4096,
      ),
    ).toThrow(/strictly increasing/);
  });
});
