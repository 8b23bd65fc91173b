/**
 * Writes a real TF1-style SavedModel computing `y = a*x + b`: the files `tf.compat.v1.saved_model.Builder`
 * would produce (GraphDef with VariableV2 variables, a sharded V2 Saver, a `serving_default`
 * predict signature) and a checkpoint holding a and b. It gives tests, benchmarks and the demo a
 * known-answer model on a fresh clone, where TensorFlow's own fixtures are absent.
 * Format: https://www.tensorflow.org/guide/saved_model and
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/saved_model/builder_impl.py
 */
import { createHash } from 'node:crypto';
import { checkpointFiles, writeCheckpoint, type TensorToWrite } from '../checkpoint';
import { attr, node, variableNodes } from './graph-nodes';
import { saverNodes } from './saver-nodes';
import { encodeSavedModel, tfType, type NodeDef, type SavedModel } from './tf-proto';

export interface ExampleSavedModelOptions {
  a: number;
  b: number;
  /** Data shards of the checkpoint (`variables.data-0000i-of-0000N`); at most the variable count. */
  numShards?: number;
  /** Unused float variables `extra_00000`, ... of `elements` values each, to make big or many-shard checkpoints. */
  extraVariables?: { count: number; elements: number };
}

/** Refuse checkpoints larger than this; the writer holds everything in memory. */
export const MAX_EXAMPLE_BYTES = 1 << 30;
/** Shard names use 5 digits (`%05d`); TensorFlow widens them past this, ferry's writer does not. */
const MAX_SHARDS = 99_999;

/** TF 1.15 is the version whose graph format this imitates (GraphDef producer 134). */
const TF_VERSION = '1.15.0';
const GRAPH_PRODUCER = 134;

/**
 * `{ 'saved_model.pb', 'variables/variables.index', 'variables/variables.data-0000i-of-0000N' }`.
 * Deterministic: the same options give the same bytes.
 */
export function writeExampleSavedModel(options: ExampleSavedModelOptions): Record<string, Uint8Array> {
  const { a, b, numShards = 1, extraVariables = { count: 0, elements: 1 } } = options;
  checkOptions(a, b, numShards, extraVariables);
  const variables: TensorToWrite[] = [
    { key: 'a', dtype: 'DT_FLOAT', shape: [], data: floats([a]) },
    { key: 'b', dtype: 'DT_FLOAT', shape: [], data: floats([b]) },
  ];
  const initial = new Map([
    ['a', a],
    ['b', b],
  ]);
  const width = Math.max(5, String(extraVariables.count - 1).length);
  for (let i = 0; i < extraVariables.count; i += 1) {
    const key = `extra_${String(i).padStart(width, '0')}`;
    const values = Array.from({ length: extraVariables.elements }, (_, j) => i + j / extraVariables.elements);
    variables.push({ key, dtype: 'DT_FLOAT', shape: [extraVariables.elements], data: floats(values) });
    initial.set(key, i);
  }
  variables.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  variables.forEach((variable, i) => {
    variable.shard = i % numShards;
  });
  const shards = Array.from({ length: numShards }, (_, i) => variables.filter((v) => v.shard === i).map((v) => v.key));
  const tempSuffix = createHash('sha256')
    .update(JSON.stringify([a, b, numShards, extraVariables]))
    .digest('hex')
    .slice(0, 32);
  const saver = saverNodes(shards, tempSuffix);
  const graphNodes = [...modelNodes(variables, initial), ...saver.nodes];
  const message: SavedModel = {
    savedModelSchemaVersion: 1,
    metaGraphs: [
      {
        metaInfoDef: {
          tags: ['serve'],
          tensorflowVersion: TF_VERSION,
          tensorflowGitVersion: 'ferry writeExampleSavedModel',
          functionAliases: {},
        },
        graphDef: { node: graphNodes, versions: { producer: GRAPH_PRODUCER, badConsumers: [] } },
        saverDef: saver.saverDef,
        collectionDef: variableCollections(variables.map((v) => v.key)),
        signatureDef: {
          serving_default: {
            methodName: 'tensorflow/serving/predict',
            inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: -1 }, { size: 1 }] } } },
            outputs: { y: { name: 'y:0', dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: -1 }, { size: 1 }] } } },
            defaults: {},
          },
        },
        assetFileDef: [],
      },
    ],
  };
  const checkpoint = writeCheckpoint(variables, { numShards });
  return { 'saved_model.pb': encodeSavedModel(message), ...checkpointFiles(checkpoint) };
}

/** `initial[i]` is variable i's initializer value (a and b get their own: as `tf.Variable(0.5)` would). */
function modelNodes(variables: TensorToWrite[], initial: Map<string, number>): NodeDef[] {
  const nodes = variables.flatMap((v) => variableNodes(v.key, v.shape, initial.get(v.key) ?? 0));
  nodes.push(
    node('x', 'Placeholder', [], { dtype: attr.type('DT_FLOAT'), shape: attr.shape([-1, 1]) }),
    node('mul', 'Mul', ['a/read', 'x'], { T: attr.type('DT_FLOAT') }),
    node('add', 'AddV2', ['mul', 'b/read'], { T: attr.type('DT_FLOAT') }),
    node('y', 'Identity', ['add'], { T: attr.type('DT_FLOAT') }),
    node(
      'init',
      'NoOp',
      variables.map((v) => `^${v.key}/Assign`),
    ),
  );
  return nodes;
}

/** TF1's `variables` / `trainable_variables` collections: one serialized VariableDef per variable. */
function variableCollections(names: string[]): SavedModel['metaGraphs'][number]['collectionDef'] {
  const type = tfType('VariableDef');
  const defs = names.map((name) =>
    type
      .encode(
        type.fromObject({
          variableName: `${name}:0`,
          initializerName: `${name}/Assign`,
          snapshotName: `${name}/read:0`,
          initialValueName: `${name}/initial_value:0`,
          trainable: true,
        }),
      )
      .finish(),
  );
  return {
    trainable_variables: { bytesList: { value: defs } },
    variables: { bytesList: { value: defs } },
  };
}

function floats(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

function checkOptions(a: number, b: number, numShards: number, extra: { count: number; elements: number }): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new TypeError(`writeExampleSavedModel: a and b must be finite numbers, got a=${a}, b=${b}`);
  }
  if (!Number.isInteger(extra.count) || extra.count < 0 || !Number.isInteger(extra.elements) || extra.elements < 1) {
    throw new RangeError(
      `writeExampleSavedModel: extraVariables needs an integer count >= 0 and elements >= 1, got ${JSON.stringify(extra)}`,
    );
  }
  if ((extra.count * extra.elements + 2) * 4 > MAX_EXAMPLE_BYTES) {
    throw new RangeError(
      `writeExampleSavedModel: extraVariables of ${extra.count} x ${extra.elements} floats exceed ${MAX_EXAMPLE_BYTES} bytes`,
    );
  }
  const variableCount = 2 + extra.count;
  if (!Number.isInteger(numShards) || numShards < 1 || numShards > Math.min(MAX_SHARDS, variableCount)) {
    throw new RangeError(
      `writeExampleSavedModel: numShards must be an integer from 1 to ${Math.min(MAX_SHARDS, variableCount)} ` +
        `(every shard holds at least one of the ${variableCount} variables; add extraVariables for more), got ${numShards}`,
    );
  }
}
