import { ByteReader } from '../../../../../functions/artifacts/checkpoint/byte-reader';
import { ByteWriter } from '../../../../../functions/artifacts/checkpoint/byte-writer';
import { CheckpointError } from '../../../../../functions/artifacts/checkpoint/checkpoint-error';
import { snappyCompress } from '../../../../../functions/artifacts/checkpoint/snappy-block';
import { readTable, readTableLayout } from '../../../../../functions/artifacts/checkpoint/table-reader';
import { writeTable } from '../../../../../functions/artifacts/checkpoint/table-writer';
import { rawTable } from './checkpoint-samples';

const FILE = 'variables/variables.index';
const text = (s: string) => new TextEncoder().encode(s);

/** An uncompressed block with the given raw entry bytes and restart array. */
function block(entries: Uint8Array, restarts: number[] = [0], count = restarts.length): Uint8Array {
  const w = new ByteWriter().bytes(entries);
  for (const r of restarts) w.fixed32(r);
  return w.fixed32(count).finish();
}

function entries(...list: Array<[number, number, number, string, string]>): Uint8Array {
  const w = new ByteWriter();
  for (const [shared, unshared, valueLength, key, value] of list)
    w.varint(shared).varint(unshared).varint(valueLength).bytes(text(key)).bytes(text(value));
  return w.finish();
}

function messageOf(bytes: Uint8Array): string {
  try {
    readTable(bytes, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    return (error as Error).message;
  }
  throw new Error('expected readTable to throw');
}

describe('readTable', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({
    key: text(`layer_${String(i).padStart(3, '0')}/kernel`),
    value: text(`v${i}`),
  }));

  it.each([
    ['snappy', 1],
    ['none', 0],
  ] as const)('reads %s-compressed blocks (trailer type %i), over many blocks and restarts', (compression, type) => {
    const bytes = writeTable(rows, compression, 256);
    const layout = readTableLayout(bytes, FILE);
    expect(layout.data.length).toBeGreaterThan(3);
    expect(new Set(layout.dataTypes)).toEqual(new Set([type]));
    expect(readTable(bytes, FILE).map((e) => new TextDecoder().decode(e.value))).toEqual(rows.map((_, i) => `v${i}`));
  });

  it('reads prefix-shared keys from a hand-made block', () => {
    const bytes = rawTable([], { dataBlock: block(entries([0, 3, 1, 'abc', 'x'], [2, 1, 1, 'd', 'y'])) });
    expect(readTable(bytes, FILE).map((e) => new TextDecoder().decode(e.key))).toEqual(['abc', 'abd']);
  });

  it.each([
    [
      'unknown compression type',
      rawTable([['a', text('1')]], { type: 2 }),
      /compression type 2; only 0 \(none\) and 1 \(Snappy\)/,
    ],
    [
      'shared prefix longer than the previous key',
      rawTable([], { dataBlock: block(entries([0, 1, 0, 'a', ''], [5, 1, 0, 'b', ''])) }),
      /shares 5 key bytes but the previous key has 1/,
    ],
    [
      'restart count larger than the block',
      rawTable([], { dataBlock: block(entries([0, 1, 0, 'a', '']), [0], 1_000_000) }),
      /declares 1000000 restart points/,
    ],
    [
      'zero restart points',
      rawTable([], { dataBlock: block(entries([0, 1, 0, 'a', '']), [], 0) }),
      /declares 0 restart points/,
    ],
    [
      'block shorter than its restart count',
      rawTable([], { dataBlock: new Uint8Array(2) }),
      /too short for its restart count/,
    ],
    [
      'value running past the block',
      rawTable([], { dataBlock: block(entries([0, 1, 200, 'a', 'short'])) }),
      /value needs 200 bytes/,
    ],
    ['overlong varint', rawTable([], { dataBlock: block(new Uint8Array(12).fill(0xff)) }), /not a valid varint/],
  ])('refuses %s', (_name, bytes, pattern) => {
    expect(messageOf(bytes)).toMatch(pattern);
  });

  it('refuses block handles that point past the footer', () => {
    const good = writeTable(rows.slice(0, 3), 'none', 4096);
    const footerAt = good.length - 48;
    const footer = new ByteReader(
      good,
      () => {
        throw new Error('bad footer');
      },
      footerAt,
    );
    const meta = [footer.varint('offset'), footer.varint('size')];
    const bad = good.slice();
    // Re-point the index handle far past the end (the footer is not checksummed).
    bad.set(new ByteWriter().varint(meta[0]).varint(meta[1]).varint(1_000_000).varint(10).finish(), footerAt);
    expect(messageOf(bad)).toMatch(
      /index block handle points at bytes 1000000\.\.1000015, past the \d+ bytes before the footer/,
    );
  });

  it('refuses keys that decode to far more bytes than the file holds (hostile prefix sharing)', () => {
    const w = new ByteWriter().varint(0).varint(1000).varint(0).bytes(new Uint8Array(1000).fill(97));
    for (let i = 0; i < 250; i += 1)
      w.varint(999)
        .varint(1)
        .varint(0)
        .byte(98 + (i % 100));
    expect(messageOf(rawTable([], { dataBlock: block(w.finish()) }))).toMatch(/implausibly many key bytes/);
  });

  describe('corrupt Snappy data inside a block whose checksum is correct', () => {
    const raw = block(entries([0, 5, 5, 'hello', 'world'], [0, 5, 5, 'help!', 'world']));
    const compressed = snappyCompress(raw);

    it('reads the intact block', () => {
      expect(readTable(rawTable([], { dataBlock: compressed, type: 1 }), FILE)).toHaveLength(2);
    });

    it.each([
      [
        'truncated stream',
        compressed.subarray(0, compressed.length - 3),
        /cut off|needs \d+ bytes|produces \d+ bytes, declared/,
      ],
      [
        'declared length too large',
        new Uint8Array([raw.length + 1, ...compressed.subarray(1)]),
        /produces \d+ bytes, declared \d+/,
      ],
      [
        'declared length impossible for the input',
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61]),
        /cannot produce/,
      ],
      [
        'copy before the start of output',
        new Uint8Array([8, 0x01 | (3 << 2), 0x09]),
        /copy reaches 9 bytes back from output position 0/,
      ],
      ['literal past the end', new Uint8Array([10, 9 << 2, 0x61]), /Snappy literal needs 10 bytes/],
      ['garbage', new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80]), /cut off|not a valid varint|cannot produce/],
    ])('%s', (_name, data, pattern) => {
      const message = messageOf(rawTable([], { dataBlock: data, type: 1 }));
      expect(message).toMatch(/^variables\/variables\.index: data block at byte 0: /);
      expect(message).toMatch(pattern);
    });
  });
});
