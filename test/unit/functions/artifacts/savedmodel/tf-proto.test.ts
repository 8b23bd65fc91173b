import { readFileSync, readdirSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { readCheckpointIndex, readTensorValues } from '../../../../../functions/artifacts/checkpoint';
import { SavedModelError } from '../../../../../functions/artifacts/savedmodel/saved-model-error';
import {
  decodeMessage,
  decodeSavedModel,
  decodeTrackableObjectGraph,
  encodeSavedModel,
  type GraphDef,
  tfType,
} from '../../../../../functions/artifacts/savedmodel/tf-proto';
import { fixture } from '../../../../helpers/fixtures';
import { PREDICT_X_TO_Y, savedModelMessage } from './saved-model-samples';

const FIXTURE_NAMES = readdirSync(fixture('savedmodel')).sort();
const pb = (name: string) => new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`)));

/** Field numbers present on the wire that the schema does not declare, as `Type#id at path`. */
function unknownFields(type: protobuf.Type, bytes: Uint8Array, path: string, found: Set<string>): Set<string> {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    if (!field) {
      found.add(`${type.fullName}#${tag >>> 3} at ${path}`);
      reader.skipType(tag & 7);
    } else if ((tag & 7) === 2 && field.resolve().resolvedType instanceof protobuf.Type) {
      const type = field.resolvedType as protobuf.Type;
      const body = reader.bytes();
      if (!field.map) unknownFields(type, body, `${path}.${field.name}`, found);
      else mapValues(body, (value) => unknownFields(type, value, `${path}.${field.name}{}`, found));
    } else {
      reader.skipType(tag & 7);
    }
  }
  return found;
}

function mapValues(entry: Uint8Array, visit: (value: Uint8Array) => void): void {
  const reader = protobuf.Reader.create(entry);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === 0x12) visit(reader.bytes());
    else reader.skipType(tag & 7);
  }
}

describe('tf-proto on TensorFlow-written saved_model.pb files', () => {
  it.each(FIXTURE_NAMES)('%s: every field on the wire is in the schema', (name) => {
    expect([...unknownFields(tfType('SavedModel'), pb(name), name, new Set())]).toEqual([]);
  });

  it.each(FIXTURE_NAMES)('%s: decode → encode → decode gives the same message and size', (name) => {
    const bytes = pb(name);
    const decoded = decodeSavedModel(bytes);
    const again = encodeSavedModel(decoded);
    expect(again.length).toBe(bytes.length);
    expect(decodeSavedModel(again)).toEqual(decoded);
  });

  it('re-encodes TF1 files byte for byte (field order and packing match TensorFlow)', () => {
    for (const name of ['tf1_half_plus_two', 'tf1_half_plus_three', 'tf1_counter']) {
      expect(Buffer.compare(Buffer.from(encodeSavedModel(decodeSavedModel(pb(name)))), Buffer.from(pb(name)))).toBe(0);
    }
  });

  it('decodes a TF2 graph with its function library and object graph', () => {
    const [graph] = decodeSavedModel(pb('tf2_half_plus_two')).metaGraphs;
    const functions = graph.graphDef?.library?.function ?? [];
    expect(functions.length).toBeGreaterThan(0);
    expect(functions.every((f) => (f.signature?.name ?? '').length > 0)).toBe(true);
    expect(graph.objectGraphDef?.nodes.some((node) => node.variable?.dtype === 'DT_FLOAT')).toBe(true);
    expect(Object.keys(graph.objectGraphDef?.concreteFunctions ?? {}).length).toBeGreaterThan(0);
  });

  it('decodes the checkpoint object graph of a TF2 SavedModel', () => {
    const dir = fixture('savedmodel/tf2_half_plus_two/variables/');
    const index = readCheckpointIndex(new Uint8Array(readFileSync(`${dir}variables.index`)));
    const entry = index.entries.find((e) => e.key === '_CHECKPOINTABLE_OBJECT_GRAPH');
    expect(entry).toBeDefined();
    const shard = new Uint8Array(readFileSync(`${dir}variables.data-00000-of-00001`));
    const [graphBytes] = readTensorValues(entry!, shard) as Uint8Array[];
    const graph = decodeTrackableObjectGraph(graphBytes);
    const keys = graph.nodes.flatMap((node) => node.attributes.map((a) => a.checkpointKey));
    expect(keys.sort()).toEqual([
      'a/.ATTRIBUTES/VARIABLE_VALUE',
      'b/.ATTRIBUTES/VARIABLE_VALUE',
      'c/.ATTRIBUTES/VARIABLE_VALUE',
    ]);
    expect(graph.nodes[0].children.map((c) => c.localName)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
  });
});

describe('tf-proto schema and conversion options (fresh clone)', () => {
  it('decodes hand-encoded GraphDef bytes into the fields TensorFlow numbers them as', () => {
    // GraphDef { node: NodeDef { name: "a", op: "Const", input: "^b", attr { key: "dtype", value { type: DT_INT64 } } },
    //            versions: VersionDef { producer: 27 } }
    const attrEntry = [0x0a, 0x05, ...Buffer.from('dtype'), 0x12, 0x02, 0x30, 0x09];
    const node = [
      0x0a,
      0x01,
      0x61,
      0x12,
      0x05,
      ...Buffer.from('Const'),
      0x1a,
      0x02,
      0x5e,
      0x62,
      0x2a,
      attrEntry.length,
      ...attrEntry,
    ];
    const bytes = Uint8Array.from([0x0a, node.length, ...node, 0x22, 0x02, 0x08, 0x1b]);
    const graph = decodeMessage<GraphDef>('GraphDef', bytes, 'graph.pb');
    expect(graph).toEqual({
      node: [{ name: 'a', op: 'Const', input: ['^b'], attr: { dtype: { type: 'DT_INT64' } } }],
      versions: { producer: 27, badConsumers: [] },
    });
  });

  it('gives int64 as numbers, enums as names, bytes as Uint8Array, repeated fields always', () => {
    const type = tfType('TensorProto');
    const bytes = type
      .encode(
        type.fromObject({
          dtype: 'DT_INT64',
          tensorShape: { dim: [{ size: -1 }, { size: 3 }] },
          int64Val: [-5, 2 ** 40],
          tensorContent: Uint8Array.of(1, 2),
        }),
      )
      .finish();
    const tensor = decodeMessage<Record<string, unknown>>('TensorProto', bytes, 't');
    expect(tensor.dtype).toBe('DT_INT64');
    expect(tensor.tensorShape).toEqual({ dim: [{ size: -1 }, { size: 3 }] });
    expect(tensor.int64Val).toEqual([-5, 2 ** 40]);
    expect(tensor.tensorContent).toBeInstanceOf(Uint8Array);
    expect([...(tensor.tensorContent as Uint8Array)]).toEqual([1, 2]);
    expect(tensor.floatVal).toEqual([]);
    expect(tensor).not.toHaveProperty('versionNumber');
  });

  it('packs repeated scalars as proto3 does', () => {
    const type = tfType('TensorProto');
    const bytes = type.encode(type.fromObject({ intVal: [1, 2, 3] })).finish();
    expect([...bytes]).toEqual([0x3a, 0x03, 1, 2, 3]);
  });

  it('encodes deterministically and round-trips a SavedModel message', () => {
    const message = savedModelMessage([{ tags: ['serve'], signatures: { serving_default: PREDICT_X_TO_Y } }]);
    const bytes = encodeSavedModel(message);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(encodeSavedModel(message)))).toBe(0);
    expect(decodeSavedModel(bytes).metaGraphs[0].signatureDef.serving_default.inputs.x.name).toBe('x:0');
  });

  it('round-trips a TrackableObjectGraph', () => {
    const type = tfType('TrackableObjectGraph');
    const bytes = type
      .encode(
        type.fromObject({
          nodes: [
            { children: [{ nodeId: 1, localName: 'w' }] },
            { attributes: [{ name: 'VARIABLE_VALUE', checkpointKey: 'w/.ATTRIBUTES/VARIABLE_VALUE' }] },
          ],
        }),
      )
      .finish();
    const graph = decodeTrackableObjectGraph(bytes);
    expect(graph.nodes[0].children).toEqual([{ nodeId: 1, localName: 'w' }]);
    expect(graph.nodes[1].attributes[0].checkpointKey).toBe('w/.ATTRIBUTES/VARIABLE_VALUE');
  });

  it.each<[string, Uint8Array]>([
    ['a bad wire type', Uint8Array.of(0x0f)],
    ['a length past the end', Uint8Array.of(0x12, 0x7f, 0x00)],
    ['a truncated varint', Uint8Array.of(0x08, 0xff)],
  ])('rewrites protobufjs errors (%s) as SavedModelError naming the file', (_case, bytes) => {
    expect(() => decodeSavedModel(bytes, 'gs://b/m/saved_model.pb')).toThrow(SavedModelError);
    expect(() => decodeSavedModel(bytes, 'gs://b/m/saved_model.pb')).toThrow(
      /^gs:\/\/b\/m\/saved_model\.pb: is not a valid SavedModel protobuf/,
    );
    expect(() => decodeTrackableObjectGraph(bytes)).toThrow(/_CHECKPOINTABLE_OBJECT_GRAPH/);
  });
});
