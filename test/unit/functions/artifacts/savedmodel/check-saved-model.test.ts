import { readFileSync } from 'node:fs';
import {
  checkSavedModel,
  decodeSavedModel,
  encodeSavedModel,
  readSavedModel,
  SavedModelError,
  writeExampleSavedModel,
  type SavedModel,
} from '../../../../../functions/artifacts/savedmodel';
import { fixture } from '../../../../helpers/fixtures';
import { structureOf } from './model-structure';

const example = () => writeExampleSavedModel({ a: 0.5, b: 2 })['saved_model.pb'];
const tf1 = () => new Uint8Array(readFileSync(fixture('savedmodel/tf1_half_plus_two/saved_model.pb')));

/** TF Serving's TF1 half_plus_two (it records its ops), changed by `edit` and encoded again (a well-formed file with a broken graph). */
function edited(edit: (model: SavedModel) => void): Uint8Array {
  const model = decodeSavedModel(tf1());
  edit(model);
  return encodeSavedModel(model);
}

function refusal(bytes: Uint8Array): string {
  try {
    checkSavedModel(bytes, 'gs://a/m/1/saved_model.pb');
  } catch (error) {
    expect(error).toBeInstanceOf(SavedModelError);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('checkSavedModel', () => {
  it.each([
    'tf1_half_plus_two',
    'tf1_half_plus_three',
    'tf1_counter',
    'tf2_half_plus_two',
    'tfjs_int64_multiply',
    'tfjs_model_single_input_multi_output',
    'tfjs_times_three_float',
    'tfjs_times_two_int',
  ])('accepts the TensorFlow-made %s', (name) => {
    expect(refusal(new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`))))).toBe('accepted');
  });

  it('accepts the example model, and unknown fields a newer exporter may write', () => {
    expect(refusal(example())).toBe('accepted');
    // field 99 (length-delimited, 2 bytes) appended to the top-level message
    expect(refusal(new Uint8Array([...example(), 0x9a, 0x06, 0x02, 0x41, 0x42]))).toBe('accepted');
  });

  // Wire-level damage protobufjs alone decodes into something.
  it.each<[string, (bytes: Uint8Array) => Uint8Array, RegExp]>([
    [
      'a known field with the wrong wire type',
      (b) => new Uint8Array([0x0a, 0x01, 0x00, ...b]),
      /savedModelSchemaVersion at byte 0: has wire type 2/,
    ],
    [
      'a length past the end',
      (b) => new Uint8Array([...b, 0x12, 0x7f, 0x00]),
      /metaGraphs at byte \d+: length 127 runs past the end/,
    ],
    ['a truncated varint', (b) => new Uint8Array([...b, 0x08, 0x80]), /varint runs past the end/],
    ['field number 0', (b) => new Uint8Array([...b, 0x02, 0x00]), /field number 0 is invalid/],
    ['a group (wire type 3)', (b) => new Uint8Array([...b, 0x9b, 0x06]), /wire type 3 is invalid/],
    ['wire type 7', (b) => new Uint8Array([...b, 0x0f]), /wire type 7 is invalid/],
    [
      'an 11-byte varint',
      (b) => new Uint8Array([...b, 0x08, ...Array(10).fill(0xff), 0x01]),
      /varint longer than 10 bytes/,
    ],
  ])('refuses %s', (_, damage, problem) => {
    expect(refusal(damage(example()))).toMatch(problem);
  });

  it('refuses invalid UTF-8 in a string field, and accepts it in a bytes field', () => {
    const bad = edited((m) => (m.metaGraphs[0].metaInfoDef!.tags = ['serve']));
    const at = Buffer.from(bad).indexOf('serve');
    bad[at] = 0xff;
    expect(refusal(bad)).toMatch(/metaGraphs\.metaInfoDef\.tags at byte \d+: string is not valid UTF-8/);
    const attrBytes = edited(
      (m) => (m.metaGraphs[0].graphDef!.node[0].attr._note = { s: new Uint8Array([0xff, 0xfe]) }),
    );
    expect(refusal(attrBytes)).toBe('accepted');
  });

  it('refuses messages nested deeper than the C++ parser allows (100)', () => {
    const wrap = (field: number, body: number[]) => [(field << 3) | 2, ...varint(body.length), ...body];
    // TensorProto.variant_val(15) → VariantTensorDataProto.tensors(3) → TensorProto … two levels a turn
    const nest = (turns: number) => {
      let tensor: number[] = [];
      for (let i = 0; i < turns; i += 1) tensor = wrap(15, wrap(3, tensor));
      // SavedModel.meta_graphs → MetaGraphDef.graph_def → GraphDef.node → NodeDef.attr{"k": AttrValue.tensor}
      const entry = [0x0a, 0x01, 0x6b, ...wrap(2, wrap(8, tensor))];
      return new Uint8Array(wrap(2, wrap(2, wrap(1, wrap(5, entry)))));
    };
    expect(refusal(nest(40))).not.toMatch(/nested/);
    expect(refusal(nest(60))).toMatch(/nested deeper than 100/);
  });

  // Well-formed protobuf, graphs TensorFlow refuses to import.
  it.each<[string, (m: SavedModel) => void, RegExp]>([
    [
      'a node input naming a missing node',
      (m) => m.metaGraphs[0].graphDef!.node[1].input.push('nowhere:0'),
      /takes input "nowhere:0", but there is no node "nowhere"/,
    ],
    [
      'two nodes with one name',
      (m) => (m.metaGraphs[0].graphDef!.node[1].name = m.metaGraphs[0].graphDef!.node[0].name),
      /is not unique/,
    ],
    [
      'an op the exporter did not record',
      (m) => (m.metaGraphs[0].graphDef!.node[0].op = 'Bonst'),
      /has op "Bonst", which is not among the ops the exporter recorded/,
    ],
    [
      'a signature naming a missing tensor',
      (m) => (m.metaGraphs[0].signatureDef.serving_default.inputs.x.name = 'y_:0'),
      /signature_def\["serving_default"\]\.inputs\["x"\] names "y_:0", which is not a node/,
    ],
    [
      'an attr the op does not declare',
      (m) => {
        const n = m.metaGraphs[0].graphDef!.node.find((x) => x.op === 'Const')!;
        n.attr.dtypf = n.attr.dtype;
        delete n.attr.dtype;
      },
      /has attr "dtypf", which op Const does not declare/,
    ],
  ])('refuses %s', (_, edit, problem) => {
    expect(refusal(edited(edit))).toMatch(problem);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/**
 * Issue 12 §5: single-bit flips of real exports. Each variant is either refused, or decodes into
 * the same signatures and graph as the original (a flipped bit in a constant's value, a version
 * string or the object graph's names is a different but loadable model). Before the strict check,
 * 403 (TF1) and 302 (TF2) of the 1,600 flips in the first 200 bytes passed with a changed graph.
 */
describe('bit flips in the first 200 bytes of saved_model.pb', () => {
  // Every bit of TF1's first 200 bytes; every 4th of TF2's (its graph decodes 3× slower).
  it.each([
    ['tf1_half_plus_two', 1],
    ['tf2_half_plus_two', 4],
  ])('%s: refused or unchanged, never a silently different graph (bit stride %i)', (name, stride) => {
    const original = new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`)));
    const reference = structureOf(decodeSavedModel(original));
    const silent: number[] = [];
    let refused = 0;
    for (let bit = 0; bit < 200 * 8; bit += stride) {
      const pb = original.slice();
      pb[bit >> 3] ^= 1 << (bit & 7);
      let model: SavedModel;
      try {
        readSavedModel(pb); // what inspectFolder reads first (signatures), then the strict check
        model = checkSavedModel(pb);
      } catch {
        refused += 1;
        continue;
      }
      if (structureOf(model) !== reference) silent.push(bit);
    }
    expect(silent).toEqual([]);
    expect(refused).toBeGreaterThan((1600 / stride) * 0.3); // it does refuse: many flips here hit names and framing
  });
});
