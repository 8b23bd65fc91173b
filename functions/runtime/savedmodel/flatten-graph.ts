import type { TfFunction, TfMetaGraph, TfNode } from './graph-types';

/** TF2 function calls that are inlined into the flat graph. */
export const CALL_OPS = new Set(['StatefulPartitionedCall', 'PartitionedCall']);

/** Nested function calls deeper than this are refused (a cyclic library would never end). */
export const MAX_CALL_DEPTH = 64;

/**
 * Ops whose outputs are several named args, in OpDef order; a body's `node:arg:i` needs the flat
 * index. Every other op is taken to have one output arg (the common case).
 * @see https://github.com/tensorflow/tensorflow/tree/master/tensorflow/core/ops
 */
const OUTPUT_ARGS: Record<string, string[]> = {
  FusedBatchNorm: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2'],
  FusedBatchNormV2: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2'],
  FusedBatchNormV3: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2', 'reserve_space_3'],
  TopKV2: ['values', 'indices'],
  Unique: ['y', 'idx'],
  UniqueV2: ['y', 'idx'],
  ListDiff: ['out', 'idx'],
  MaxPoolWithArgmax: ['output', 'argmax'],
  NonMaxSuppressionV4: ['selected_indices', 'valid_outputs'],
  NonMaxSuppressionV5: ['selected_indices', 'selected_scores', 'valid_outputs'],
  StringSplit: ['indices', 'values', 'shape'],
  StringNGrams: ['ngrams', 'ngrams_splits'],
  SparseFillEmptyRows: ['output_indices', 'output_values', 'empty_row_indicator', 'reverse_index_map'],
  SparseReshape: ['output_indices', 'output_shape'],
  Switch: ['output_false', 'output_true'],
  Merge: ['output', 'value_index'],
};

function byName(nodes: TfNode[], where: string): Map<string, TfNode> {
  const map = new Map<string, TfNode>();
  for (const n of nodes) {
    if (map.has(n.name)) throw new Error(`${where}: two nodes are named "${n.name}"; the graph is corrupt`);
    map.set(n.name, n);
  }
  return map;
}

/** The signature's graph with every function call inlined; inputs are `node:index`, control edges dropped. */
export interface FlatGraph {
  nodes: Map<string, TfNode>;
  /** Global `node:index` of each requested tensor, in request order. */
  outputs: string[];
}

interface Scope {
  prefix: string;
  where: string;
  depth: number;
  nodes: Map<string, TfNode>;
  args?: Map<string, string>;
}

/**
 * Walks back from `outputs` (top-level tensor names such as `StatefulPartitionedCall:0`) and emits
 * only the nodes they need. A call's body nodes are named `<call>/<node>`; its arguments are bound
 * to the call's inputs, so a resource argument ends at the top-level `VarHandleOp` it was given.
 * `feeds` maps top-level tensors (`x:0`) to the placeholders that replace them.
 * Hand-written: TensorFlow's inliner lives in its C++ runtime (grappler) and tfjs-converter
 * executes only If/While bodies, so no JavaScript library does this.
 * @see https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/function.proto (body tensor names)
 */
export function flattenGraph(meta: TfMetaGraph, outputs: string[], feeds: Map<string, string>): FlatGraph {
  const emitted = new Map<string, TfNode>();
  const queued = new Set<string>();
  const work: Array<{ scope: Scope; node: TfNode }> = [];
  const calls = new Map<string, (index: number) => string>();
  const argNamesUsed = new Map<string, Set<string>>();
  const top: Scope = { prefix: '', where: 'graph', depth: 0, nodes: byName(meta.nodes, 'graph') };

  const refOf = (scope: Scope, ref: string): string => {
    if (scope.args?.has(ref)) return scope.args.get(ref) as string;
    const parts = ref.split(':');
    const name = parts[0];
    const outArg = parts.length === 3 ? parts[1] : undefined;
    const index = parts.length > 1 ? Number(parts[parts.length - 1]) : 0;
    if (!Number.isInteger(index) || index < 0 || parts.length > 3)
      throw new Error(`${scope.where}: malformed tensor name "${ref}"`);
    if (scope === top && feeds.has(`${name}:${index}`)) return feeds.get(`${name}:${index}`) as string;
    const node = scope.nodes.get(name);
    if (!node) throw new Error(`${scope.where}: input "${ref}" names no node or argument`);
    if (CALL_OPS.has(node.op)) return inlineCall(scope, node)(index);
    const global = `${scope.prefix}${name}`;
    let flat = index;
    if (outArg !== undefined) {
      const layout = OUTPUT_ARGS[node.op];
      if (layout) {
        const offset = layout.indexOf(outArg);
        if (offset < 0) throw new Error(`${scope.where}: op ${node.op} has no output "${outArg}" (in "${ref}")`);
        flat += offset;
      } else {
        const used = argNamesUsed.get(global) ?? new Set<string>();
        used.add(outArg);
        argNamesUsed.set(global, used);
        if (used.size > 1)
          throw new Error(
            `${scope.where}: op ${node.op} (${name}) has several output args (${[...used].join(', ')}) whose layout this runtime does not know`,
          );
      }
    }
    if (!queued.has(global)) {
      if (scope !== top && top.nodes.has(global))
        throw new Error(`${scope.where}: inlined node ${global} would clash with a graph node of that name`);
      queued.add(global);
      work.push({ scope, node });
    }
    return `${global}:${flat}`;
  };

  const inlineCall = (scope: Scope, call: TfNode): ((index: number) => string) => {
    const global = `${scope.prefix}${call.name}`;
    const cached = calls.get(global);
    if (cached) return cached;
    const fname = call.attr.f?.func?.name;
    const fn: TfFunction | undefined = fname ? meta.functions[fname] : undefined;
    if (!fname || !fn)
      throw new Error(
        `${scope.where}: ${call.op} ${call.name} calls function "${fname ?? '(none)'}", which the library does not define`,
      );
    if (scope.depth + 1 > MAX_CALL_DEPTH)
      throw new Error(
        `${scope.where}: function calls nest deeper than ${MAX_CALL_DEPTH} at ${fname}; is the library cyclic?`,
      );
    const dataInputs = call.input.filter((i) => !i.startsWith('^'));
    if (dataInputs.length !== fn.inputArgs.length) {
      throw new Error(
        `${scope.where}: ${call.name} passes ${dataInputs.length} inputs to ${fname}, which takes ${fn.inputArgs.length}`,
      );
    }
    const child: Scope = {
      prefix: `${global}/`,
      where: `function ${fname} (called by ${global})`,
      depth: scope.depth + 1,
      nodes: byName(fn.nodes, `function ${fname}`),
      args: new Map(fn.inputArgs.map((arg, i) => [arg.name, refOf(scope, dataInputs[i])])),
    };
    const results = new Map<number, string>();
    const output = (index: number): string => {
      const known = results.get(index);
      if (known) return known;
      const arg = fn.outputArgs[index];
      if (!arg)
        throw new Error(
          `${scope.where}: ${call.name}:${index} asks for output ${index} of ${fname}, which returns ${fn.outputArgs.length}`,
        );
      const ret = fn.ret[arg.name];
      if (ret === undefined) throw new Error(`${child.where}: output "${arg.name}" has no ret entry`);
      const resolved = refOf(child, ret);
      results.set(index, resolved);
      return resolved;
    };
    calls.set(global, output);
    return output;
  };

  try {
    const resolvedOutputs = outputs.map((name) => refOf(top, name));
    while (work.length > 0) {
      const { scope, node } = work.pop() as { scope: Scope; node: TfNode };
      const input = node.input.filter((i) => !i.startsWith('^')).map((i) => refOf(scope, i));
      const name = `${scope.prefix}${node.name}`;
      emitted.set(name, { name, op: node.op, input, attr: node.attr });
    }
    return { nodes: emitted, outputs: resolvedOutputs };
  } catch (error) {
    // Chained calls resolve recursively; a hostile chain of thousands must fail cleanly, not crash.
    if (error instanceof RangeError)
      throw new Error(`graph: function calls chain too deeply to inline (${error.message})`);
    throw error;
  }
}
