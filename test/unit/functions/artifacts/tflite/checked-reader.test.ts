import { Builder } from 'flatbuffers';
import { CheckedReader } from '../../../../../functions/artifacts/tflite/checked-reader';
import { TfliteError } from '../../../../../functions/artifacts/tflite/tflite-error';

/** A root table with an int32 field 0 = 7 and a ulong field 1 = `big`. */
function table(big: bigint): Uint8Array {
  const fb = new Builder(64);
  fb.startObject(2);
  fb.addFieldInt32(0, 7, 0);
  fb.addFieldInt64(1, big, 0n);
  fb.finish(fb.endObject(), 'TFL3');
  return fb.asUint8Array().slice();
}

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TfliteError);
    return (error as TfliteError).problem;
  }
  throw new Error('expected a TfliteError');
}

describe('CheckedReader', () => {
  it('reads fields, and defaults for absent ones', () => {
    const r = new CheckedReader(table(5n), 't.tflite');
    const root = r.tableAt(0, 'model');
    expect(r.int32(root, 0, -1)).toBe(7);
    expect(r.uint64(root, 1, 'model.big')).toBe(5);
    expect(r.int32(root, 9, -1)).toBe(-1);
    expect(r.vector(root, 9, 4, 'model.v')).toBeNull();
  });

  it.each([
    [
      'a vtable outside the file',
      (_bytes: Uint8Array, v: DataView) => v.setInt32(v.getUint32(0, true), -0x7fff0000, true),
      /vtable at byte \d+ lies outside the file/,
    ],
    [
      'a vtable size that is odd',
      (_bytes: Uint8Array, v: DataView) => {
        const pos = v.getUint32(0, true);
        v.setUint16(pos - v.getInt32(pos, true), 5, true);
      },
      /vtable size 5 is invalid/,
    ],
    [
      'a field offset beyond its table',
      (_bytes: Uint8Array, v: DataView) => {
        const pos = v.getUint32(0, true);
        v.setUint16(pos - v.getInt32(pos, true) + 4, 200, true);
      },
      /field 0 \(offset 200\) overruns its table/,
    ],
  ])('refuses %s', (_case, corrupt, message) => {
    const bytes = table(5n);
    corrupt(bytes, new DataView(bytes.buffer));
    expect(
      problem(() => {
        const r = new CheckedReader(bytes, 't.tflite');
        r.int32(r.tableAt(0, 'model'), 0, 0);
      }),
    ).toMatch(message);
  });

  it('refuses a ulong too large to be a file position', () => {
    const r = new CheckedReader(table(2n ** 60n), 't.tflite');
    expect(problem(() => r.uint64(r.tableAt(0, 'model'), 1, 'buffers[1].offset'))).toMatch(
      /buffers\[1\]\.offset: value 1152921504606846976 is impossibly large/,
    );
  });

  it('runs out of budget on work far beyond the file size', () => {
    const r = new CheckedReader(table(5n), 't.tflite');
    expect(problem(() => r.charge(10_000_000, 'subgraphs[0].inputs'))).toMatch(
      /subgraphs\[0\]\.inputs: .*far more work/,
    );
  });
});
