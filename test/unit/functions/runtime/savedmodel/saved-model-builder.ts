/**
 * Builds small SavedModels for tests with the project's own encoders (`encodeSavedModel`,
 * `writeCheckpoint`), so every graph shape the runtime handles also exists on a fresh clone.
 */
import { memoryFiles, type ArtifactFiles } from '../../../../../functions/artifacts/artifact-files';
import {
  checkpointFiles,
  encodeStringTensor,
  writeCheckpoint,
  type TensorToWrite,
} from '../../../../../functions/artifacts/checkpoint';
import {
  encodeSavedModel,
  tfType,
  type AttrValue,
  type NodeDef,
  type SavedModel,
} from '../../../../../functions/artifacts/savedmodel/tf-proto';

export function node(name: string, op: string, input: string[] = [], attr: Record<string, AttrValue> = {}): NodeDef {
  return { name, op, input, attr };
}

export const dtype = (type: string): AttrValue => ({ type }) as AttrValue;
export const func = (name: string): AttrValue => ({ func: { name, attr: {} } });
export const shape = (dims: number[]): AttrValue => ({ shape: { dim: dims.map((size) => ({ size })) } });

export function floatConst(name: string, values: number[], dims: number[] = []): NodeDef {
  return node(name, 'Const', [], {
    dtype: dtype('DT_FLOAT'),
    value: {
      tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: dims.map((size) => ({ size })) }, floatVal: values },
    } as unknown as AttrValue,
  });
}

export const f32 = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);
export const i64 = (values: number[]): Uint8Array => new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer);

export interface Signature {
  inputs: Record<string, { name: string; dtype: string; dims?: number[] }>;
  outputs: Record<string, { name: string; dtype: string; dims?: number[] }>;
  methodName?: string;
}

export interface ModelSpec {
  nodes: NodeDef[];
  functions?: Array<{
    name: string;
    inputs: Array<[string, string]>;
    outputs: Array<[string, string]>;
    nodes: NodeDef[];
    ret: Record<string, string>;
  }>;
  signatures: Record<string, Signature>;
  tags?: string[];
  /** SavedObjectGraph: variables (by checkpoint key) and concrete functions with bound variable ids. */
  objects?: { variables: string[]; boundInputs: Record<string, number[]> };
  tensors?: TensorToWrite[];
  numShards?: number;
}

function info(t: { name: string; dtype: string; dims?: number[] }) {
  return {
    name: t.name,
    dtype: t.dtype,
    tensorShape: t.dims ? { dim: t.dims.map((size) => ({ size })) } : { dim: [], unknownRank: true },
  };
}

/** Object node 0 is the root; object i (1-based) is variables[i-1], saved under its key. */
function trackableGraph(keys: string[]): Uint8Array {
  const type = tfType('TrackableObjectGraph');
  const nodes = [
    { children: keys.map((_, i) => ({ nodeId: i + 1, localName: `v${i}` })), attributes: [] },
    ...keys.map((key) => ({
      children: [],
      attributes: [{ name: 'VARIABLE_VALUE', fullName: key, checkpointKey: key }],
    })),
  ];
  return type.encode(type.fromObject({ nodes })).finish();
}

export function savedModelBytes(spec: ModelSpec): Uint8Array {
  const model = {
    savedModelSchemaVersion: 1,
    metaGraphs: [
      {
        metaInfoDef: { tags: spec.tags ?? ['serve'] },
        graphDef: {
          node: spec.nodes,
          versions: { producer: 1395 },
          library: {
            function: (spec.functions ?? []).map((f) => ({
              signature: {
                name: f.name,
                inputArg: f.inputs.map(([name, type]) => ({ name, type })),
                outputArg: f.outputs.map(([name, type]) => ({ name, type })),
              },
              nodeDef: f.nodes,
              ret: f.ret,
            })),
          },
        },
        signatureDef: Object.fromEntries(
          Object.entries(spec.signatures).map(([k, s]) => [
            k,
            {
              methodName: s.methodName ?? 'tensorflow/serving/predict',
              inputs: Object.fromEntries(Object.entries(s.inputs).map(([n, t]) => [n, info(t)])),
              outputs: Object.fromEntries(Object.entries(s.outputs).map(([n, t]) => [n, info(t)])),
            },
          ]),
        ),
        objectGraphDef: spec.objects && {
          nodes: [
            { children: spec.objects.variables.map((_, i) => ({ nodeId: i + 1, localName: `v${i}` })) },
            ...spec.objects.variables.map(() => ({ variable: { dtype: 'DT_FLOAT' } })),
          ],
          concreteFunctions: Object.fromEntries(
            Object.entries(spec.objects.boundInputs).map(([k, ids]) => [k, { boundInputs: ids }]),
          ),
        },
      },
    ],
  } as unknown as SavedModel;
  return encodeSavedModel(model);
}

/** saved_model.pb + checkpoint files (with a TrackableObjectGraph when `objects` is given). */
export function savedModelFiles(spec: ModelSpec): Record<string, Uint8Array> {
  const tensors = [...(spec.tensors ?? [])];
  if (spec.objects) {
    tensors.push({
      key: '_CHECKPOINTABLE_OBJECT_GRAPH',
      dtype: 'DT_STRING',
      shape: [],
      data: encodeStringTensor([trackableGraph(spec.objects.variables)]),
    });
  }
  const files: Record<string, Uint8Array> = { 'saved_model.pb': savedModelBytes(spec) };
  if (tensors.length > 0)
    Object.assign(files, checkpointFiles(writeCheckpoint(tensors, { numShards: spec.numShards ?? 1 })));
  return files;
}

/**
 * A TF2-shaped model: `serving_default` → StatefulPartitionedCall of a signature wrapper that calls
 * the inner function, whose ReadVariableOps read captured resource args; y = a * x + b.
 */
export function tf2AffineSpec(a: number, b: number, numShards = 1): ModelSpec {
  const call = (name: string, f: string, inputs: string[]) =>
    node(name, 'StatefulPartitionedCall', inputs, { f: func(f) });
  const resource = (name: string) =>
    node(name, 'VarHandleOp', [], {
      dtype: dtype('DT_FLOAT'),
      shape: shape([]),
      shared_name: { s: new TextEncoder().encode(name) },
    });
  return {
    nodes: [
      resource('a'),
      resource('b'),
      node('serving_default_x', 'Placeholder', [], { dtype: dtype('DT_FLOAT'), shape: shape([-1]) }),
      call('StatefulPartitionedCall', 'wrapper', ['serving_default_x', 'a', 'b']),
    ],
    functions: [
      {
        name: 'wrapper',
        inputs: [
          ['x', 'DT_FLOAT'],
          ['unknown', 'DT_RESOURCE'],
          ['unknown_0', 'DT_RESOURCE'],
        ],
        outputs: [['identity', 'DT_FLOAT']],
        nodes: [
          call('StatefulPartitionedCall', 'inner', ['x', 'unknown', 'unknown_0']),
          node('Identity', 'Identity', ['StatefulPartitionedCall:output:0'], { T: dtype('DT_FLOAT') }),
        ],
        ret: { identity: 'Identity:output:0' },
      },
      {
        name: 'inner',
        inputs: [
          ['x', 'DT_FLOAT'],
          ['mul_resource', 'DT_RESOURCE'],
          ['add_resource', 'DT_RESOURCE'],
        ],
        outputs: [['identity', 'DT_FLOAT']],
        nodes: [
          node('Mul/ReadVariableOp', 'ReadVariableOp', ['mul_resource'], { dtype: dtype('DT_FLOAT') }),
          node('Mul', 'Mul', ['Mul/ReadVariableOp:value:0', 'x'], { T: dtype('DT_FLOAT') }),
          node('Add/ReadVariableOp', 'ReadVariableOp', ['add_resource', '^Mul'], { dtype: dtype('DT_FLOAT') }),
          node('Add', 'AddV2', ['Mul:z:0', 'Add/ReadVariableOp:value:0'], { T: dtype('DT_FLOAT') }),
          node('Identity', 'Identity', ['Add:z:0'], { T: dtype('DT_FLOAT') }),
        ],
        ret: { identity: 'Identity:output:0' },
      },
    ],
    signatures: {
      serving_default: {
        inputs: { x: { name: 'serving_default_x:0', dtype: 'DT_FLOAT', dims: [-1] } },
        outputs: { y: { name: 'StatefulPartitionedCall:0', dtype: 'DT_FLOAT', dims: [-1] } },
      },
    },
    objects: {
      variables: ['a/.ATTRIBUTES/VARIABLE_VALUE', 'b/.ATTRIBUTES/VARIABLE_VALUE'],
      boundInputs: { wrapper: [1, 2], inner: [1, 2] },
    },
    tensors: [
      { key: 'a/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([a]) },
      { key: 'b/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([b]) },
    ],
    numShards,
  };
}

export function filesOf(record: Record<string, Uint8Array>, location = 'mem://model/1'): ArtifactFiles {
  return memoryFiles(record, location);
}

/** Records which files were read, to check that loading reads only what it needs. */
export function trackingFiles(record: Record<string, Uint8Array>): { files: ArtifactFiles; reads: string[] } {
  const inner = memoryFiles(record, 'mem://tracked');
  const reads: string[] = [];
  return {
    reads,
    files: {
      location: inner.location,
      list: () => inner.list(),
      read: (p) => {
        reads.push(p);
        return inner.read(p);
      },
      stream: (p) => {
        reads.push(p);
        return inner.stream(p);
      },
    },
  };
}
