/**
 * Builders for the TF1 graph nodes the example SavedModel writer emits, with the attrs TensorFlow's
 * own op registrations require (so TensorFlow, TF Serving and tfjs-converter accept the graph).
 * Op definitions: https://github.com/tensorflow/tensorflow/tree/master/tensorflow/core/ops
 */
import type { AttrValue, DataTypeName, NodeDef, TensorProto } from './tf-proto';

const utf8 = (text: string) => new TextEncoder().encode(text);

export const attr = {
  type: (type: DataTypeName): AttrValue => ({ type }),
  shape: (dims: number[] | null): AttrValue => ({
    shape: dims === null ? { dim: [], unknownRank: true } : { dim: dims.map((size) => ({ size })) },
  }),
  s: (text: string): AttrValue => ({ s: utf8(text) }),
  b: (b: boolean): AttrValue => ({ b }),
  i: (i: number): AttrValue => ({ i }),
  types: (types: DataTypeName[]): AttrValue => ({ list: { ...EMPTY_LIST, type: types } }),
  colocate: (node: string): AttrValue => ({ list: { ...EMPTY_LIST, s: [utf8(`loc:@${node}`)] } }),
};

const EMPTY_LIST = { s: [], i: [], f: [], b: [], type: [], shape: [], tensor: [], func: [] };

export function node(name: string, op: string, input: string[], attrs: Record<string, AttrValue> = {}): NodeDef {
  return { name, op, input, attr: attrs };
}

/** A TensorProto; one value with a larger shape means "fill", as TensorFlow reads version-0 protos. */
export function tensor(
  dtype: 'DT_FLOAT' | 'DT_INT32' | 'DT_STRING',
  dims: number[],
  values: Array<number | string>,
): TensorProto {
  const proto: TensorProto = {
    dtype,
    tensorShape: { dim: dims.map((size) => ({ size })) },
    halfVal: [],
    floatVal: [],
    doubleVal: [],
    intVal: [],
    stringVal: [],
    scomplexVal: [],
    int64Val: [],
    boolVal: [],
    dcomplexVal: [],
    uint32Val: [],
    uint64Val: [],
    resourceHandleVal: [],
    variantVal: [],
  };
  if (dtype === 'DT_STRING') proto.stringVal = values.map((v) => utf8(String(v)));
  else if (dtype === 'DT_INT32') proto.intVal = values.map(Number);
  else proto.floatVal = values.map(Number);
  return proto;
}

export function constNode(name: string, value: TensorProto, inputs: string[] = []): NodeDef {
  return node(name, 'Const', inputs, { dtype: attr.type(value.dtype as DataTypeName), value: { tensor: value } });
}

/**
 * A TF1 reference variable as `tf.compat.v1.Variable(initial_value)` builds it:
 * `<name>/initial_value` Const, `<name>` VariableV2, `<name>/Assign`, `<name>/read` Identity.
 */
export function variableNodes(name: string, dims: number[], fill: number): NodeDef[] {
  const colocate = { _class: attr.colocate(name) };
  return [
    constNode(`${name}/initial_value`, tensor('DT_FLOAT', dims, [fill])),
    node(name, 'VariableV2', [], {
      shape: attr.shape(dims),
      dtype: attr.type('DT_FLOAT'),
      container: attr.s(''),
      shared_name: attr.s(''),
    }),
    node(`${name}/Assign`, 'Assign', [name, `${name}/initial_value`], {
      T: attr.type('DT_FLOAT'),
      validate_shape: attr.b(true),
      use_locking: attr.b(true),
      ...colocate,
    }),
    node(`${name}/read`, 'Identity', [name], { T: attr.type('DT_FLOAT'), ...colocate }),
  ];
}

/** `name`, `name_1`, `name_2`, ...: TensorFlow's unique-name scheme for repeated ops. */
export function indexed(name: string, i: number): string {
  return i === 0 ? name : `${name}_${i}`;
}
