import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { readSavedModel } from '../../../../../functions/artifacts/savedmodel/read-saved-model';
import { SavedModelError } from '../../../../../functions/artifacts/savedmodel/saved-model-error';
import { MAX_TEXT_DEPTH } from '../../../../../functions/artifacts/savedmodel/text-format';
import {
  decodeSavedModel,
  decodeSavedModelText,
  decodeTextMessage,
  looksLikeTextFormat,
  tfType,
} from '../../../../../functions/artifacts/savedmodel/tf-proto';
import { writeExampleSavedModel } from '../../../../../functions/artifacts/savedmodel/write-example-saved-model';
import { fixture } from '../../../../helpers/fixtures';
import { printTextFormat } from './text-format-printer';

const utf8 = (text: string) => new TextEncoder().encode(text);
const asText = (message: object) => utf8(printTextFormat(tfType('SavedModel'), message as Record<string, unknown>));

/** Bytes as hex and every Uint8Array flavour (Buffer views from binary decoding) alike, for deep comparison. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

/** A saved_model.pbtxt as TensorFlow's text_format writes it, with an expanded Any and comments. */
const HAND_WRITTEN = `# written by hand in TensorFlow's layout
saved_model_schema_version: 1
meta_graphs {
  meta_info_def {
    tags: "serve"
    tensorflow_version: "1.15.0"
    tensorflow_git_version: 'v1.15.0-0-g590d6eef7e'
  }
  graph_def {
    node {
      name: "x"
      op: "Placeholder"
      attr { key: "dtype" value { type: DT_FLOAT } }
      attr { key: "shape" value { shape { dim { size: -1 } dim { size: 1 } } } }
    }
    node {
      name: "a"
      op: "Const"
      attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { } float_val: 0.5 } } }
      attr { key: "note" value { s: "caf\\303\\251 \\"quoted\\"\\n" } }
    }
    versions { producer: 134 }
  }
  collection_def {
    key: "saved_model_assets"
    value {
      any_list {
        value {
          [type.googleapis.com/tensorflow.AssetFileDef] {
            tensor_info { name: "Const:0" }
            filename: "foo.txt"
          }
        }
      }
    }
  }
  signature_def {
    key: "serving_default"
    value {
      inputs { key: "x" value { name: "x:0" dtype: DT_FLOAT tensor_shape { dim { size: -1 } dim { size: 1 } } } }
      outputs {
        key: "y"
        value: { name: "y:0", dtype: DT_FLOAT, tensor_shape < unknown_rank: true > }
      }
      method_name: "tensorflow/serving/predict"
    }
  }
}
`;

describe('protobuf text format (saved_model.pbtxt)', () => {
  it('reads a hand-written saved_model.pbtxt with maps, enums, escapes, an expanded Any and comments', () => {
    const model = decodeSavedModelText(utf8(HAND_WRITTEN));
    const [graph] = model.metaGraphs;
    expect(graph.metaInfoDef).toMatchObject({
      tags: ['serve'],
      tensorflowVersion: '1.15.0',
      tensorflowGitVersion: 'v1.15.0-0-g590d6eef7e',
    });
    const [x, a] = graph.graphDef!.node;
    expect(x.attr.shape.shape).toEqual({ dim: [{ size: -1 }, { size: 1 }] });
    expect(a.attr.value.tensor).toMatchObject({ dtype: 'DT_FLOAT', floatVal: [0.5] });
    expect(new TextDecoder().decode(a.attr.note.s)).toBe('café "quoted"\n');
    const any = graph.collectionDef.saved_model_assets.anyList!.value[0];
    expect(any.typeUrl).toBe('type.googleapis.com/tensorflow.AssetFileDef');
    const asset = tfType('AssetFileDef').decode(any.value!) as unknown as { filename: string };
    expect(asset.filename).toBe('foo.txt');
    expect(graph.signatureDef.serving_default.outputs.y.tensorShape).toEqual({ dim: [], unknownRank: true });
  });

  it('gives readSavedModel the same answer for the text and binary forms of a generated model', () => {
    const binary = writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2, extraVariables: { count: 1, elements: 3 } })[
      'saved_model.pb'
    ];
    const text = asText(decodeSavedModel(binary));
    expect(looksLikeTextFormat(text)).toBe(true);
    expect(looksLikeTextFormat(binary)).toBe(false);
    expect(readSavedModel(text, 'saved_model.pbtxt')).toEqual(readSavedModel(binary));
    expect(normalize(decodeSavedModelText(text))).toEqual(normalize(decodeSavedModel(binary)));
  });

  it('reads the list syntax and special float values', () => {
    const tensor = decodeTextMessage<Record<string, unknown>>(
      'TensorProto',
      utf8('dtype: DT_FLOAT float_val: [1, -2.5e3, inf, -inf, 1.5f] int64_val: [0x10, -7]'),
      't.pbtxt',
    );
    expect(tensor.floatVal).toEqual([1, -2500, Infinity, -Infinity, 1.5]);
    expect(tensor.int64Val).toEqual([16, -7]);
  });

  it('unescapes every byte value from octal and hex escapes', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    const octal = all.map((i) => `\\${i.toString(8)}`).join('');
    const hex = all.map((i) => `\\x${i.toString(16)}`).join('');
    const tensor = decodeTextMessage<{ tensorContent: Uint8Array; stringVal: Uint8Array[] }>(
      'TensorProto',
      utf8(`tensor_content: "${octal}" string_val: "${hex}" "${octal}"`),
      't.pbtxt',
    );
    expect([...tensor.tensorContent]).toEqual(all);
    expect([...tensor.stringVal[0]]).toEqual([...all, ...all]);
  });

  it.each<[string, string, RegExp]>([
    ['an unclosed message', 'meta_graphs {\n  meta_info_def {\n', /line 3: missing "}"/],
    ['an unclosed string', 'meta_graphs { meta_info_def { tags: "serve } }', /string not closed/],
    [
      'an unknown enum name',
      'meta_graphs { signature_def { key: "s" value { inputs { key: "x" value { dtype: DT_FLOATY } } } } }',
      /"DT_FLOATY" is not a DataType value/,
    ],
    ['a string where a number belongs', 'saved_model_schema_version: "one"', /expected a number/],
    ['a message where a scalar belongs', 'saved_model_schema_version { }', /scalar field cannot hold/],
    ['a scalar where a message belongs', 'meta_graphs: 3', /expected "\{" to open a MetaGraphDef/],
    ['a stray character', 'saved_model_schema_version: 1 @', /unexpected character "@"/],
    [
      'an Any of an unknown type',
      'meta_graphs { collection_def { key: "c" value { any_list { value { [type.googleapis.com/x.Nope] { } } } } } }',
      /a type this schema does not know/,
    ],
    ['a bad escape', 'meta_graphs { meta_info_def { tags: "\\q" } }', /unknown escape/],
    [
      'a map entry with an extra field',
      'meta_graphs { signature_def { key: "s" other: 1 } }',
      /holds only key and value/,
    ],
    [
      'too deep nesting',
      `${'meta_graphs { graph_def { library { function { signature { attr { default_value { list { func { attr { key: "k" value { list { func { '.repeat(30)}`,
      /nested more than 200 deep/,
    ],
  ])('refuses %s with a SavedModelError naming the line', (_case, text, message) => {
    const read = () => decodeSavedModelText(utf8(text), 'm/saved_model.pbtxt');
    expect(read).toThrow(SavedModelError);
    expect(read).toThrow(message);
    expect(read).toThrow(/^m\/saved_model\.pbtxt: is not a valid SavedModel in protobuf text format/);
  });

  it('refuses nesting past MAX_TEXT_DEPTH without overflowing the stack', () => {
    const text = `${'meta_graphs { object_graph_def { nodes { function { function_spec { fullargspec { '.repeat(1)}${'list_value { values { '.repeat(MAX_TEXT_DEPTH)}`;
    expect(() => decodeSavedModelText(utf8(text))).toThrow(/nested more than 200 deep/);
  });

  it('never throws anything but SavedModelError on mangled text', () => {
    fc.assert(
      fc.property(
        fc.nat(HAND_WRITTEN.length - 1),
        fc.nat(HAND_WRITTEN.length),
        fc.string({ maxLength: 3 }),
        (at, cut, insert) => {
          const mangled = HAND_WRITTEN.slice(0, at) + insert + HAND_WRITTEN.slice(at + 1, Math.max(at + 1, cut));
          try {
            readSavedModel(utf8(mangled), 'saved_model.pbtxt');
          } catch (error) {
            expect(error).toBeInstanceOf(SavedModelError);
          }
        },
      ),
      { numRuns: 400, seed: 42 },
    );
  });
});

describe('text format round trip of TensorFlow-written graphs', () => {
  const names = readdirSync(fixture('savedmodel')).sort();
  it.each(names)('%s: printed as text and parsed back equals the binary decode', (name) => {
    const binary = decodeSavedModel(new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`))));
    expect(normalize(decodeSavedModelText(asText(binary)))).toEqual(normalize(binary));
  });
});
