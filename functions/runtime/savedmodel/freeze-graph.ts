import { NotRunnableError } from '../errors';
import { CALL_OPS, flattenGraph } from './flatten-graph';
import type { TfMetaGraph, TfNode, TfShape, TfSignature } from './graph-types';
import { decodeTensorProto, type TfjsValues } from './tensor-values';

/** A variable the frozen graph needs from the checkpoint; its node becomes a `Const` of that name. */
export interface VariableRequest {
  /** Node name in the frozen graph. */
  node: string;
  dtype: string;
  /** SavedObjectGraph node id (TF2 resource variables captured by the signature's function). */
  objectId?: number;
  /** Checkpoint keys to try when there is no object id (TF1 variables are saved under their op name). */
  names: string[];
}

export interface FrozenTensor {
  /** `node:index` in the frozen graph. */
  tensorName: string;
  dtype: string;
  shape: TfShape;
}

/** A signature's graph with no functions or resources left: only constants, placeholders and pure ops. */
export interface FrozenGraph {
  nodes: TfNode[];
  /** Const node name → value (graph constants; variables are added from the checkpoint). */
  constants: Map<string, TfjsValues>;
  variables: VariableRequest[];
  inputs: Record<string, FrozenTensor>;
  outputs: Record<string, FrozenTensor>;
}

const PLACEHOLDERS = new Set(['Placeholder', 'PlaceholderWithDefault', 'PlaceholderV2']);
const TF1_VARIABLES = new Set(['VariableV2', 'Variable']);
/** Ops that change a variable (TF1 refs or TF2 resources). */
const WRITES =
  /^(Assign|Apply|SparseApply|Resource(Sparse)?Apply|ResourceScatter|Scatter(Nd)?(Update|Add|Sub|Mul|Div|Min|Max)$|CountUpTo|DestroyResourceOp)/;
/** tf.Example parsing: the mark of classify/regress-style signatures fed serialized protos. */
const EXAMPLE_PARSERS = new Set([
  'ParseExample',
  'ParseExampleV2',
  'ParseSingleExample',
  'ParseSequenceExample',
  'ParseSequenceExampleV2',
]);

/**
 * Freezes one signature: its inputs become placeholders, calls are inlined, `Const` values are
 * decoded, and each variable it reads (TF1 `VariableV2` via `Identity`, TF2 `VarHandleOp` via
 * `ReadVariableOp`) becomes a constant filled from the checkpoint.
 * @see https://www.tensorflow.org/guide/saved_model#the_savedmodel_format_on_disk
 */
export function freezeSignature(meta: TfMetaGraph, signatureName: string, signature: TfSignature): FrozenGraph {
  const where = `signature "${signatureName}"`;
  const feeds = new Map<string, string>();
  const placeholders: TfNode[] = [];
  const inputs: Record<string, FrozenTensor> = {};
  const topNodes = new Map(meta.nodes.map((n) => [n.name, n]));
  for (const [key, info] of Object.entries(signature.inputs)) {
    const [nodeName, indexText = '0'] = info.name.split(':');
    const source = topNodes.get(nodeName);
    if (!source)
      throw new Error(`${where}: input "${key}" names tensor ${info.name}, but the graph has no node ${nodeName}`);
    const name = PLACEHOLDERS.has(source.op) && indexText === '0' ? nodeName : `ferry_input/${key}`;
    feeds.set(`${nodeName}:${Number(indexText)}`, `${name}:0`);
    placeholders.push({
      name,
      op: 'Placeholder',
      input: [],
      attr: { dtype: { type: info.dtype }, ...batchShape(info.shape) },
    });
    inputs[key] = { tensorName: `${name}:0`, dtype: info.dtype, shape: info.shape };
  }
  const outputKeys = Object.keys(signature.outputs);
  const flat = flattenGraph(
    meta,
    outputKeys.map((k) => signature.outputs[k].name),
    feeds,
  );
  for (const p of placeholders) flat.nodes.set(p.name, p);
  const outputs: Record<string, FrozenTensor> = {};
  outputKeys.forEach((key, i) => {
    const info = signature.outputs[key];
    outputs[key] = { tensorName: flat.outputs[i], dtype: info.dtype, shape: info.shape };
  });
  const bound = boundVariables(meta);
  const constants = new Map<string, TfjsValues>();
  const variables: VariableRequest[] = [];
  const extra: TfNode[] = [];
  const reads: TfNode[] = [];
  for (const node of flat.nodes.values()) {
    if (EXAMPLE_PARSERS.has(node.op)) {
      throw new NotRunnableError(
        `not runnable locally: ${where} parses serialized tf.Example protos (op ${node.op}), which TensorFlow.js cannot run; use a signature that takes tensors, or serve it with TF Serving`,
        node.op,
      );
    }
    if (node.op === 'Const') {
      if (!node.attr.value?.tensor) throw new Error(`${where}: Const ${node.name} has no value`);
      constants.set(node.name, decodeTensorProto(node.attr.value.tensor, `Const ${node.name}`));
      node.attr = { dtype: node.attr.dtype ?? { type: node.attr.value.tensor.dtype } };
    } else if (TF1_VARIABLES.has(node.op) || node.op === 'VarHandleOp') {
      const dtype = node.attr.dtype?.type ?? 'DT_INVALID';
      const shared = node.attr.shared_name?.s ? new TextDecoder().decode(node.attr.shared_name.s) : '';
      variables.push({
        node: node.name,
        dtype,
        objectId: bound.get(node.name),
        names: [...new Set([node.name, shared].filter(Boolean))],
      });
      node.op = 'Const';
      node.attr = { dtype: { type: dtype } };
    } else if (CALL_OPS.has(node.op)) {
      throw new Error(`${where}: call ${node.name} was not inlined`);
    } else if (node.op === 'ReadVariableOp' || node.op === 'ResourceGather') {
      reads.push(node);
      rewriteResourceRead(node, extra);
    } else if (node.op === 'VarIsInitializedOp') {
      throw new NotRunnableError(
        `not runnable locally: ${where} checks variable initialisation (${node.name})`,
        node.op,
      );
    }
  }
  checkVariableUse(flat.nodes, variables, reads, where);
  const nodes = [...flat.nodes.values(), ...extra];
  for (const node of nodes) rejectFunctionAttrs(node, where);
  return { nodes, constants: withExtraConstants(constants, extra), variables, inputs, outputs };
}

/**
 * The placeholder's shape with any batch size: TF Serving stacks instances along dim 0 and TF does
 * not check fed shapes, so exports declaring `[1]` or a scalar still serve batches. Rank 0 or
 * unknown rank → no shape attr (tfjs then checks nothing).
 */
function batchShape(shape: TfShape): { shape?: { shape: TfShape } } {
  if (shape.unknownRank || shape.dims.length === 0) return {};
  return { shape: { shape: { dims: [-1, ...shape.dims.slice(1)], unknownRank: false } } };
}

/** Top-level VarHandleOp name → SavedObjectGraph node id, from the bound inputs of the functions called. */
function boundVariables(meta: TfMetaGraph): Map<string, number> {
  const bound = new Map<string, number>();
  const byName = new Map(meta.nodes.map((n) => [n.name, n]));
  for (const node of meta.nodes) {
    const fname = CALL_OPS.has(node.op) ? node.attr.f?.func?.name : undefined;
    const ids = fname ? meta.objectGraph?.boundInputs[fname] : undefined;
    if (!ids || ids.length === 0) continue;
    const data = node.input.filter((i) => !i.startsWith('^'));
    const captured = data.slice(data.length - ids.length);
    captured.forEach((input, i) => {
      const source = byName.get(input.split(':')[0]);
      if (source?.op === 'VarHandleOp') bound.set(source.name, ids[i]);
    });
  }
  return bound;
}

/** ReadVariableOp → Identity; ResourceGather → GatherV2 (axis 0) on the frozen value. */
function rewriteResourceRead(node: TfNode, extra: TfNode[]): void {
  if (node.op === 'ReadVariableOp') {
    node.op = 'Identity';
    node.attr = { T: node.attr.dtype ?? { type: 'DT_FLOAT' } };
    return;
  }
  const axis = `${node.name}/ferry_axis`;
  extra.push({ name: axis, op: 'Const', input: [], attr: { dtype: { type: 'DT_INT32' } } });
  node.op = 'GatherV2';
  node.input = [...node.input.slice(0, 2), `${axis}:0`];
  node.attr = {
    Tparams: node.attr.dtype ?? { type: 'DT_FLOAT' },
    Tindices: node.attr.Tindices ?? { type: 'DT_INT32' },
    Taxis: { type: 'DT_INT32' },
    batch_dims: node.attr.batch_dims ?? { i: 0 },
  };
}

/**
 * A signature that writes a variable is stateful (a counter, an optimizer step): refuse it. And a
 * resource read must end at a variable; other resources (tables, iterators) have no frozen value.
 */
function checkVariableUse(
  nodes: Map<string, TfNode>,
  variables: VariableRequest[],
  reads: TfNode[],
  where: string,
): void {
  const names = new Set(variables.map((v) => v.node));
  for (const node of nodes.values()) {
    if (!WRITES.test(node.op)) continue;
    const written =
      node.input.map((i) => i.split(':')[0]).find((source) => names.has(source)) ?? node.input[0]?.split(':')[0];
    throw new NotRunnableError(
      `not runnable locally: ${where} changes variable ${written} (op ${node.op} ${node.name}); only pure predictions run here`,
      node.op,
    );
  }
  for (const read of reads) {
    let source = read.input[0]?.split(':')[0] ?? '';
    // A resource handle may pass through Identity ops before it is read.
    for (let hops = 0; nodes.get(source)?.op === 'Identity' && !names.has(source) && hops < nodes.size; hops += 1) {
      source = nodes.get(source)?.input[0]?.split(':')[0] ?? '';
    }
    if (!names.has(source)) {
      const op = nodes.get(source)?.op ?? 'nothing';
      throw new NotRunnableError(
        `not runnable locally: ${where} reads resource ${source} (op ${op}) at ${read.name}, which is not a variable with a saved value`,
        op,
      );
    }
    read.input = [`${source}:0`, ...read.input.slice(1)];
  }
}

/** Control flow ops (If, While...) carry function attrs; this runtime only inlines plain calls. */
function rejectFunctionAttrs(node: TfNode, where: string): void {
  for (const [name, attr] of Object.entries(node.attr)) {
    const fn = attr.func?.name ?? attr.list?.func?.[0]?.name;
    if (fn)
      throw new NotRunnableError(
        `not runnable locally: op ${node.op} (${node.name}, ${where}) runs function ${fn} through attr "${name}"; control flow in functions is not supported by this runtime`,
        node.op,
      );
  }
}

function withExtraConstants(constants: Map<string, TfjsValues>, extra: TfNode[]): Map<string, TfjsValues> {
  for (const node of extra) constants.set(node.name, { dtype: 'int32', shape: [], values: new Int32Array([0]) });
  return constants;
}
