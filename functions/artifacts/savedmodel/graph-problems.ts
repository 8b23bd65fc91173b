/**
 * Structural checks of a decoded SavedModel: the references TensorFlow resolves when it imports
 * the graph, so a model that cannot load is refused before its 30-minute deployment rather than
 * by it. Each check is one TensorFlow refusal, and cheap (linear in the graph):
 * - node names unique and set, every op set ("Node 'x' is not unique", "NodeDef missing op");
 * - every input names a node of its graph or function ("Node 'x': Unknown input node 'y'");
 * - every graph op is one the exporter recorded (`meta_info_def.stripped_op_list`) or a library
 *   function: an unrecorded op name is a corrupted one (TF: "Op type not registered"); function
 *   bodies are not held to this, as TF 2 exporters before about 2.5 did not record their ops;
 * - node attrs agree with that op's OpDef: none unknown (unless `_`-prefixed), none missing
 *   without a default ("NodeDef mentions attr 'x' not in Op", "NodeDef missing attr 'x'");
 * - signatures, assets, the saver and node-list collections name existing nodes;
 * - object graph references (children, assets, functions) are in range.
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/framework/node_def_util.cc
 * https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/common_runtime/graph_constructor.cc
 */
import type { FunctionDef, MetaGraphDef, NodeDef, OpDef, SavedModel, TensorInfo } from './tf-proto-types';

/** Stop after this many: the first few say the file is corrupt; thousands say nothing more. */
const MAX_PROBLEMS = 5;

/** Problems found in `model` (empty when it is consistent), each naming the MetaGraph and node. */
export function savedModelGraphProblems(model: SavedModel): string[] {
  const problems: string[] = [];
  model.metaGraphs.forEach((graph, i) => metaGraphProblems(graph, `meta_graphs[${i}]`, problems));
  return problems.slice(0, MAX_PROBLEMS);
}

/** `^name`, `name`, `name:1`, `node:output:0` → `name` / `node`. */
function nodeOf(reference: string): string {
  return reference.replace(/^\^/, '').split(':')[0];
}

function metaGraphProblems(meta: MetaGraphDef, at: string, problems: string[]): void {
  const nodes = meta.graphDef?.node ?? [];
  const functions = meta.graphDef?.library?.function ?? [];
  const opDefs = new Map((meta.metaInfoDef?.strippedOpList?.op ?? []).map((op) => [op.name ?? '', op]));
  const functionNames = new Set(functions.map((f) => f.signature?.name ?? ''));
  // The exporter records the graph's ops; older TF 2 exporters left out those only functions use.
  const known = (op: string) => opDefs.size === 0 || opDefs.has(op) || functionNames.has(op);
  const names = nodeProblems(nodes, new Set(), `${at}.graph_def`, opDefs, known, problems);
  const anyOp = () => true;
  for (const f of functions)
    functionProblems(f, `${at}.graph_def.library.function["${f.signature?.name ?? ''}"]`, opDefs, anyOp, problems);
  if (functionNames.size !== functions.length)
    problems.push(`${at}.graph_def.library has two functions with the same name`);
  if (nodes.length === 0) return; // a graph of only functions (or none): nothing below can be resolved
  const exists = (reference: string | undefined, where: string) => {
    if (reference && !names.has(nodeOf(reference)))
      problems.push(`${where} names "${reference}", which is not a node of the graph`);
  };
  for (const [key, signature] of Object.entries(meta.signatureDef)) {
    for (const [side, tensors] of [
      ['inputs', signature.inputs],
      ['outputs', signature.outputs],
    ] as const)
      for (const [name, info] of Object.entries(tensors))
        for (const tensor of tensorNames(info)) exists(tensor, `${at}.signature_def["${key}"].${side}["${name}"]`);
  }
  meta.assetFileDef.forEach((asset, i) => exists(asset.tensorInfo?.name, `${at}.asset_file_def[${i}]`));
  const saver = meta.saverDef;
  if (saver) {
    exists(saver.filenameTensorName, `${at}.saver_def.filename_tensor_name`);
    exists(saver.saveTensorName, `${at}.saver_def.save_tensor_name`);
    exists(saver.restoreOpName, `${at}.saver_def.restore_op_name`);
  }
  for (const [key, collection] of Object.entries(meta.collectionDef))
    for (const value of collection.nodeList?.value ?? []) exists(value, `${at}.collection_def["${key}"]`);
  objectGraphProblems(meta, at, functionNames, problems);
}

function tensorNames(info: TensorInfo): string[] {
  const sparse = info.cooSparse;
  if (sparse)
    return [sparse.valuesTensorName, sparse.indicesTensorName, sparse.denseShapeTensorName].filter(
      (n): n is string => !!n,
    );
  if (info.compositeTensor) return info.compositeTensor.components.flatMap(tensorNames);
  return info.name ? [info.name] : [];
}

/** Checks `nodes` and returns their names; `outer` are names inputs may also use (a function's arguments). */
function nodeProblems(
  nodes: NodeDef[],
  outer: Set<string>,
  at: string,
  opDefs: Map<string, OpDef>,
  known: (op: string) => boolean,
  problems: string[],
): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    const name = node.name ?? '';
    if (name === '') problems.push(`${at} has a node without a name`);
    else if (names.has(name)) problems.push(`${at}: node "${name}" is not unique`);
    names.add(name);
  }
  for (const node of nodes) {
    const where = `${at}.node["${node.name ?? ''}"]`;
    const op = node.op ?? '';
    if (op === '') problems.push(`${where} has no op`);
    else if (!known(op))
      problems.push(
        `${where} has op "${op}", which is not among the ops the exporter recorded (meta_info_def.stripped_op_list) nor a library function`,
      );
    for (const input of node.input) {
      const source = nodeOf(input);
      if (!names.has(source) && !outer.has(source))
        problems.push(`${where} takes input "${input}", but there is no node "${source}"`);
    }
    const def = opDefs.get(op);
    if (def) attrProblems(node, def, where, problems);
  }
  return names;
}

function attrProblems(node: NodeDef, def: OpDef, where: string, problems: string[]): void {
  const declared = new Map(def.attr.map((a) => [a.name ?? '', a]));
  for (const name of Object.keys(node.attr))
    if (!name.startsWith('_') && !declared.has(name))
      problems.push(`${where} has attr "${name}", which op ${def.name} does not declare`);
  for (const [name, attr] of declared)
    if (!attr.defaultValue && !(name in node.attr))
      problems.push(`${where} lacks attr "${name}", which op ${def.name} requires`);
}

function functionProblems(
  f: FunctionDef,
  at: string,
  opDefs: Map<string, OpDef>,
  known: (op: string) => boolean,
  problems: string[],
): void {
  const args = new Set((f.signature?.inputArg ?? []).map((a) => a.name ?? ''));
  const names = nodeProblems(f.nodeDef, args, at, opDefs, known, problems);
  for (const [output, source] of Object.entries(f.ret)) {
    const from = nodeOf(source);
    if (!names.has(from) && !args.has(from))
      problems.push(`${at} returns "${output}" from "${source}", but there is no node "${from}"`);
  }
}

function objectGraphProblems(meta: MetaGraphDef, at: string, functionNames: Set<string>, problems: string[]): void {
  const objects = meta.objectGraphDef?.nodes ?? [];
  objects.forEach((object, i) => {
    const where = `${at}.object_graph_def.nodes[${i}]`;
    for (const child of [...object.children, ...object.dependencies])
      if ((child.nodeId ?? 0) >= objects.length)
        problems.push(`${where} refers to object ${child.nodeId ?? 0} of ${objects.length}`);
    const asset = object.asset?.assetFileDefIndex;
    if (asset !== undefined && asset >= meta.assetFileDef.length)
      problems.push(`${where} refers to asset ${asset} of ${meta.assetFileDef.length}`);
    for (const name of object.function?.concreteFunctions ?? [])
      if (!functionNames.has(name)) problems.push(`${where} calls function "${name}", which is not in the library`);
  });
}
