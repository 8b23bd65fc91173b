import type {
  AttrValue,
  DataTypeValue,
  MetaGraphDef,
  NodeDef,
  SavedModel,
  TensorInfo,
  TensorProto,
  TensorShapeProto,
  TrackableObjectGraph,
} from '../../artifacts/savedmodel/tf-proto';
import type { TfAttr, TfMetaGraph, TfNode, TfShape, TfTensor, TfTensorInfo, TfTrackableGraph } from './graph-types';

/** Enum names stay; a number this schema does not know becomes `DT_<n>` so messages can name it. */
function dtypeName(value: DataTypeValue | undefined): string {
  if (value === undefined) return 'DT_INVALID';
  return typeof value === 'number' ? `DT_${value}` : value;
}

function shapeOf(shape: TensorShapeProto | undefined): TfShape {
  if (!shape) return { dims: [], unknownRank: true };
  return { dims: shape.dim.map((d) => d.size ?? 0), unknownRank: shape.unknownRank === true };
}

function tensorOf(t: TensorProto): TfTensor {
  return {
    dtype: dtypeName(t.dtype),
    shape: shapeOf(t.tensorShape ?? { dim: [] }),
    content: t.tensorContent,
    floatVal: t.floatVal,
    doubleVal: t.doubleVal,
    intVal: t.intVal,
    int64Val: t.int64Val,
    boolVal: t.boolVal,
    halfVal: t.halfVal,
    stringVal: t.stringVal,
    uint32Val: t.uint32Val,
    uint64Val: t.uint64Val,
  };
}

function attrOf(a: AttrValue): TfAttr {
  const out: TfAttr = {};
  if (a.s !== undefined) out.s = a.s;
  if (a.i !== undefined) out.i = a.i;
  if (a.f !== undefined) out.f = a.f;
  if (a.b !== undefined) out.b = a.b;
  if (a.type !== undefined) out.type = dtypeName(a.type);
  if (a.shape !== undefined) out.shape = shapeOf(a.shape);
  if (a.tensor !== undefined) out.tensor = tensorOf(a.tensor);
  if (a.func !== undefined) out.func = { name: a.func.name ?? '' };
  if (a.placeholder !== undefined) out.placeholder = a.placeholder;
  if (a.list !== undefined) {
    const l = a.list;
    out.list = {
      s: l.s,
      i: l.i,
      f: l.f,
      b: l.b,
      type: l.type.map(dtypeName),
      shape: l.shape.map(shapeOf),
      func: l.func.map((f) => ({ name: f.name ?? '' })),
    };
  }
  return out;
}

function nodeOf(n: NodeDef): TfNode {
  const attr: Record<string, TfAttr> = {};
  for (const [key, value] of Object.entries(n.attr)) attr[key] = attrOf(value);
  return { name: n.name ?? '', op: n.op ?? '', input: n.input, attr };
}

function infoOf(i: TensorInfo): TfTensorInfo {
  return { name: i.name ?? '', dtype: dtypeName(i.dtype), shape: shapeOf(i.tensorShape) };
}

function mapValues<A, B>(record: Record<string, A>, fn: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function metaGraphOf(m: MetaGraphDef): TfMetaGraph {
  const graph = m.graphDef ?? { node: [] };
  const functions: TfMetaGraph['functions'] = {};
  for (const f of graph.library?.function ?? []) {
    const name = f.signature?.name ?? '';
    functions[name] = {
      name,
      inputArgs: (f.signature?.inputArg ?? []).map((a) => ({ name: a.name ?? '', type: dtypeName(a.type) })),
      outputArgs: (f.signature?.outputArg ?? []).map((a) => ({ name: a.name ?? '', type: dtypeName(a.type) })),
      nodes: f.nodeDef.map(nodeOf),
      ret: f.ret,
    };
  }
  const objects = m.objectGraphDef;
  return {
    tags: m.metaInfoDef?.tags ?? [],
    nodes: graph.node.map(nodeOf),
    functions,
    signatures: mapValues(m.signatureDef, (s) => ({
      methodName: s.methodName ?? '',
      inputs: mapValues(s.inputs, infoOf),
      outputs: mapValues(s.outputs, infoOf),
    })),
    objectGraph: objects && { boundInputs: mapValues(objects.concreteFunctions, (c) => c.boundInputs) },
  };
}

/** The decoded SavedModel's MetaGraphs in this runtime's normalised form. */
export function normalizeSavedModel(model: SavedModel): TfMetaGraph[] {
  return model.metaGraphs.map(metaGraphOf);
}

/** The checkpoint's TrackableObjectGraph, reduced to each node's checkpoint keys. */
export function normalizeTrackableGraph(graph: TrackableObjectGraph): TfTrackableGraph {
  return {
    nodes: graph.nodes.map((n) => ({
      attributes: n.attributes.map((a) => ({ name: a.name ?? '', checkpointKey: a.checkpointKey ?? '' })),
    })),
  };
}
