import { readFileSync } from 'node:fs';
import {
  readCheckpointIndex,
  readTensorValues,
  shardFileName,
  verifyCheckpoint,
} from '../../../../../functions/artifacts/checkpoint';
import { readSavedModel } from '../../../../../functions/artifacts/savedmodel/read-saved-model';
import {
  decodeMessage,
  decodeSavedModel,
  type GraphDef,
  type NodeDef,
} from '../../../../../functions/artifacts/savedmodel/tf-proto';
import { writeExampleSavedModel } from '../../../../../functions/artifacts/savedmodel/write-example-saved-model';
import { fixture } from '../../../../helpers/fixtures';

const graphOf = (files: Record<string, Uint8Array>): GraphDef =>
  decodeSavedModel(files['saved_model.pb']).metaGraphs[0].graphDef!;
const byName = (graph: GraphDef) => new Map(graph.node.map((n) => [n.name!, n]));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const stringVals = (n: NodeDef | undefined) => (n?.attr.value.tensor?.stringVal ?? []).map(text);

function checkpointOf(files: Record<string, Uint8Array>) {
  const index = readCheckpointIndex(files['variables/variables.index']);
  const shards = new Map(
    Array.from(
      { length: index.numShards },
      (_, i) => [i, files[`variables/${shardFileName(i, index.numShards)}`]] as const,
    ),
  );
  return { index, shards };
}

describe('writeExampleSavedModel', () => {
  it('writes saved_model.pb and a one-shard checkpoint by default', () => {
    expect(Object.keys(writeExampleSavedModel({ a: 0.5, b: 2 })).sort()).toEqual([
      'saved_model.pb',
      'variables/variables.data-00000-of-00001',
      'variables/variables.index',
    ]);
  });

  it('declares the serving_default predict signature x:0 [-1,1] → y:0 [-1,1] under tag serve', () => {
    const info = readSavedModel(writeExampleSavedModel({ a: 0.5, b: 2 })['saved_model.pb']);
    expect(info.metaGraphs).toHaveLength(1);
    expect(info.metaGraphs[0].tags).toEqual(['serve']);
    expect(info.metaGraphs[0].signatures).toEqual({
      serving_default: {
        method: 'tensorflow/serving/predict',
        inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', shape: [-1, 1], encoding: 'dense' } },
        outputs: { y: { name: 'y:0', dtype: 'DT_FLOAT', shape: [-1, 1], encoding: 'dense' } },
      },
    });
  });

  it('builds y = a*x + b from Placeholder, VariableV2, Identity reads, Mul and AddV2', () => {
    const nodes = byName(graphOf(writeExampleSavedModel({ a: 0.5, b: 2 })));
    const shape = (n: string) => nodes.get(n)?.attr.shape?.shape?.dim.map((d) => d.size ?? 0);
    expect(nodes.get('x')?.op).toBe('Placeholder');
    expect(shape('x')).toEqual([-1, 1]);
    expect(nodes.get('a')?.op).toBe('VariableV2');
    expect(nodes.get('b')?.op).toBe('VariableV2');
    expect(nodes.get('a/read')).toMatchObject({ op: 'Identity', input: ['a'] });
    expect(nodes.get('mul')).toMatchObject({ op: 'Mul', input: ['a/read', 'x'] });
    expect(nodes.get('add')).toMatchObject({ op: 'AddV2', input: ['mul', 'b/read'] });
    expect(nodes.get('y')).toMatchObject({ op: 'Identity', input: ['add'] });
    expect(nodes.get('a/initial_value')?.attr.value.tensor?.floatVal).toEqual([0.5]);
    expect(nodes.get('init')?.input.sort()).toEqual(['^a/Assign', '^b/Assign']);
  });

  it.each([1, 3])('every node input names an existing node, names are unique (%i shards)', (numShards) => {
    const graph = graphOf(writeExampleSavedModel({ a: 1, b: 1, numShards, extraVariables: { count: 5, elements: 2 } }));
    const names = graph.node.map((n) => n.name!);
    expect(new Set(names).size).toBe(names.length);
    const missing = graph.node
      .flatMap((n) => n.input.map((i) => i.replace(/^\^/, '').replace(/:\d+$/, '')))
      .filter((i) => !names.includes(i));
    expect(missing).toEqual([]);
  });

  it('carries a sharded V2 SaverDef whose tensors and ops exist, restoring every checkpoint key', () => {
    const files = writeExampleSavedModel({ a: 1, b: 1, numShards: 3, extraVariables: { count: 4, elements: 2 } });
    const [meta] = decodeSavedModel(files['saved_model.pb']).metaGraphs;
    const nodes = byName(meta.graphDef!);
    expect(meta.saverDef).toMatchObject({ sharded: true, version: 'V2', restoreOpName: 'save/restore_all' });
    expect(nodes.has(meta.saverDef!.filenameTensorName!.replace(/:0$/, ''))).toBe(true);
    expect(nodes.has(meta.saverDef!.saveTensorName!.replace(/:0$/, ''))).toBe(true);
    const { index } = checkpointOf(files);
    for (let shard = 0; shard < 3; shard += 1) {
      const restore = shard === 0 ? 'save/RestoreV2' : `save/RestoreV2_${shard}`;
      const expected = index.entries.filter((e) => e.shardId === shard).map((e) => e.key);
      expect(stringVals(nodes.get(`${restore}/tensor_names`))).toEqual(expected);
      expect(stringVals(nodes.get(`${shard === 0 ? 'save/SaveV2' : `save/SaveV2_${shard}`}/tensor_names`))).toEqual(
        expected,
      );
    }
    expect(nodes.get('save/restore_all')?.input).toEqual([
      '^save/restore_shard',
      '^save/restore_shard_1',
      '^save/restore_shard_2',
    ]);
  });

  it('stores a and b in a checkpoint TensorFlow would accept (real crc32c, verified)', () => {
    const files = writeExampleSavedModel({ a: 0.5, b: -3.25 });
    const { index, shards } = checkpointOf(files);
    expect(verifyCheckpoint(index, shards)).toMatchObject({ verified: true, problems: [] });
    const value = (key: string) =>
      Array.from(
        readTensorValues(
          index.entries.find((e) => e.key === key)!,
          shards.get(0)!,
        ) as Float32Array,
      );
    expect(value('a')).toEqual([0.5]);
    expect(value('b')).toEqual([-3.25]);
    // TensorFlow's own checkpoint of tf1_half_plus_two stores a = 0.5 with this masked crc32c.
    expect(index.entries.find((e) => e.key === 'a')?.crc32c).toBe(522663942);
  });

  it('spreads extra variables over 1,000 real shards', () => {
    const files = writeExampleSavedModel({ a: 2, b: 1, numShards: 1000, extraVariables: { count: 1998, elements: 4 } });
    const { index, shards } = checkpointOf(files);
    expect(index.numShards).toBe(1000);
    expect(Object.keys(files)).toHaveLength(1002);
    expect([...shards.values()].every((bytes) => bytes !== undefined && bytes.length > 0)).toBe(true);
    expect(index.entries).toHaveLength(2000);
    expect(verifyCheckpoint(index, shards)).toMatchObject({ verified: true, problems: [] });
    const extra = index.entries.find((e) => e.key === 'extra_01234')!;
    expect(Array.from(readTensorValues(extra, shards.get(extra.shardId)!) as Float32Array)).toEqual([
      1234, 1234.25, 1234.5, 1234.75,
    ]);
  });

  it('lists every variable in the TF1 variables collection as a VariableDef', () => {
    const [meta] = decodeSavedModel(writeExampleSavedModel({ a: 1, b: 2 })['saved_model.pb']).metaGraphs;
    const defs = meta.collectionDef.variables.bytesList!.value.map((bytes) =>
      decodeMessage<Record<string, unknown>>('VariableDef', bytes, 'v'),
    );
    expect(defs.map((d) => d.variableName)).toEqual(['a:0', 'b:0']);
    expect(defs[0]).toMatchObject({ initializerName: 'a/Assign', snapshotName: 'a/read:0', trainable: true });
  });

  it('is byte-for-byte deterministic, and the bytes depend on a and b', () => {
    const options = { a: 0.5, b: 2, numShards: 2, extraVariables: { count: 3, elements: 5 } };
    const first = writeExampleSavedModel(options);
    const second = writeExampleSavedModel(options);
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const [path, bytes] of Object.entries(first))
      expect(Buffer.compare(Buffer.from(second[path]), Buffer.from(bytes))).toBe(0);
    const other = writeExampleSavedModel({ ...options, a: 0.25 });
    expect(Buffer.compare(Buffer.from(other['saved_model.pb']), Buffer.from(first['saved_model.pb']))).not.toBe(0);
  });

  it.each<[string, Parameters<typeof writeExampleSavedModel>[0], RegExp]>([
    ['a NaN', { a: Number.NaN, b: 1 }, /a and b must be finite/],
    ['an infinite b', { a: 1, b: Infinity }, /a and b must be finite/],
    ['zero shards', { a: 1, b: 1, numShards: 0 }, /numShards must be an integer from 1 to 2/],
    ['fractional shards', { a: 1, b: 1, numShards: 1.5 }, /numShards must be an integer/],
    ['more shards than variables', { a: 1, b: 1, numShards: 3 }, /every shard holds at least one of the 2 variables/],
    ['a negative extra count', { a: 1, b: 1, extraVariables: { count: -1, elements: 1 } }, /integer count >= 0/],
    ['zero-element extras', { a: 1, b: 1, extraVariables: { count: 1, elements: 0 } }, /elements >= 1/],
    [
      'an oversized checkpoint',
      { a: 1, b: 1, extraVariables: { count: 1 << 16, elements: 1 << 16 } },
      /exceed 1073741824 bytes/,
    ],
  ])('refuses %s before allocating', (_case, options, message) => {
    expect(() => writeExampleSavedModel(options)).toThrow(message);
  });
});

describe('writeExampleSavedModel beside TensorFlow’s tf1_half_plus_two', () => {
  it('gives each op at least the attrs TensorFlow 1.x wrote for it', () => {
    const tf = decodeSavedModel(new Uint8Array(readFileSync(fixture('savedmodel/tf1_half_plus_two/saved_model.pb'))))
      .metaGraphs[0].graphDef!;
    const attrsByOp = new Map<string, Set<string>>();
    for (const n of tf.node) attrsByOp.set(n.op!, new Set(Object.keys(n.attr).filter((k) => k !== '_output_shapes')));
    const ours = graphOf(
      writeExampleSavedModel({ a: 0.5, b: 2, numShards: 2, extraVariables: { count: 2, elements: 1 } }),
    );
    const compared = new Set<string>();
    for (const n of ours.node) {
      const expected = attrsByOp.get(n.op === 'AddV2' ? 'Add' : n.op!);
      if (!expected) continue;
      compared.add(n.op!);
      expect({ node: n.name, missing: [...expected].filter((k) => !(k in n.attr)) }).toEqual({
        node: n.name,
        missing: [],
      });
    }
    expect([...compared].sort()).toEqual(
      expect.arrayContaining(['Assign', 'Const', 'Identity', 'Mul', 'RestoreV2', 'SaveV2', 'VariableV2']),
    );
  });
});
