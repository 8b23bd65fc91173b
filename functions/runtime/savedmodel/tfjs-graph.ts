import '@tensorflow/tfjs-backend-cpu';
import { env, type io } from '@tensorflow/tfjs-core';
import { loadGraphModelSync, type GraphModel, type IAttrValue, type INodeDef } from '@tensorflow/tfjs-converter';
import { NotRunnableError } from '../errors';
import type { TfAttr, TfNode, TfShape } from './graph-types';
import type { TfjsValues } from './tensor-values';

// Production mode: no debug checks, and no "install tfjs-node" banner (no native TensorFlow can be had here).
env().set('PROD', true);

/** The model type `loadGraphModelSync` returns. */
export type FrozenModel = GraphModel<io.IOHandlerSync>;

/** tfjs-converter's graph JSON wants a producer version; any recent one works for frozen graphs. */
const PRODUCER = 1482;

function shapeJson(shape: TfShape): { dim: Array<{ size: number }>; unknownRank?: boolean } {
  return shape.unknownRank ? { dim: [], unknownRank: true } : { dim: shape.dims.map((size) => ({ size })) };
}

/**
 * One attr in the JSON form tfjs-converter's OperationMapper reads: dtype names (`DT_FLOAT`),
 * strings as char-code arrays, shapes as `{dim: [{size}]}`.
 */
function attrJson(attr: TfAttr): IAttrValue | undefined {
  if (attr.type !== undefined) return { type: attr.type } as unknown as IAttrValue;
  if (attr.s !== undefined) return { s: Array.from(attr.s) } as unknown as IAttrValue;
  if (attr.i !== undefined) return { i: attr.i };
  if (attr.f !== undefined) return { f: attr.f };
  if (attr.b !== undefined) return { b: attr.b };
  if (attr.shape !== undefined) return { shape: shapeJson(attr.shape) };
  if (attr.func !== undefined) return { func: { name: attr.func.name } };
  if (attr.list !== undefined) {
    const l = attr.list;
    return {
      list: {
        s: l.s?.map((bytes) => Array.from(bytes)),
        i: l.i,
        f: l.f,
        b: l.b,
        type: l.type,
        shape: l.shape?.map(shapeJson),
      },
    } as unknown as IAttrValue;
  }
  return undefined;
}

function nodeJson(node: TfNode): INodeDef {
  const attr: Record<string, IAttrValue> = {};
  for (const [key, value] of Object.entries(node.attr)) {
    const json = attrJson(value);
    if (json) attr[key] = json;
  }
  return { name: node.name, op: node.op, input: node.input, attr };
}

/**
 * Packs the constants as tfjs weights (`weightSpecs` + one buffer; strings as uint32 length +
 * bytes, tfjs' layout). Hand-written rather than `tf.io.encodeWeights` so the weights are not
 * turned into tensors first: a third copy of every weight at load time would cost memory.
 */
function packWeights(weights: Map<string, TfjsValues>): { specs: io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const specs: io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const [name, w] of weights) {
    specs.push({ name, shape: w.shape, dtype: w.dtype });
    if (w.dtype === 'string') {
      for (const bytes of w.values as Uint8Array[]) {
        const length = new Uint8Array(new Uint32Array([bytes.byteLength]).buffer);
        parts.push(length, bytes);
        total += 4 + bytes.byteLength;
      }
    } else {
      const typed = w.values as Float32Array | Int32Array | Uint8Array;
      parts.push(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength));
      total += typed.byteLength;
    }
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.byteLength;
  }
  return { specs, data: data.buffer };
}

interface ExecutorInternals {
  executor?: { graph?: { nodes?: Record<string, { op: string; category?: string }> } };
}

/**
 * Every op must be one tfjs-converter maps (it only fails at run time otherwise). The converter
 * does not export its op table, so this reads the category its OperationMapper gave each node
 * (undefined = unsupported); pinned to tfjs-converter 4.x, and checked by the tests.
 */
function checkOps(model: FrozenModel, nodes: TfNode[]): string[] {
  const mapped = (model as unknown as ExecutorInternals).executor?.graph?.nodes;
  if (!mapped)
    throw new Error('tfjs-converter internals changed: cannot list the ops it supports (executor.graph.nodes)');
  const unsupported = new Map<string, string>();
  for (const node of nodes) {
    if (mapped[node.name]?.category === undefined && !unsupported.has(node.op)) unsupported.set(node.op, node.name);
  }
  if (unsupported.size > 0) {
    const [op, name] = [...unsupported][0];
    const all = [...unsupported.keys()].join(', ');
    throw new NotRunnableError(
      `not runnable locally: op ${op} (node ${name}) is not implemented by TensorFlow.js${unsupported.size > 1 ? `; unsupported ops: ${all}` : ''}`,
      op,
    );
  }
  return nodes.map((n) => mapped[n.name]?.category as string);
}

/** A frozen graph ready to run; `async` when tfjs needs `executeAsync` (control flow, dynamic shapes, tables). */
export interface FrozenGraphModel {
  model: FrozenModel;
  async: boolean;
}

/** Categories tfjs-converter can only run through `executeAsync`. */
const ASYNC_CATEGORIES = new Set(['control', 'dynamic', 'hash_table']);

/**
 * A tfjs GraphModel over the frozen nodes and weights; throws NotRunnableError for unsupported ops.
 * @see https://js.tensorflow.org/api/latest/#loadGraphModelSync
 */
export function buildGraphModel(nodes: TfNode[], weights: Map<string, TfjsValues>): FrozenGraphModel {
  const consts = nodes.filter((n) => n.op === 'Const');
  const missing = consts.find((n) => !weights.has(n.name));
  if (missing) throw new Error(`frozen graph: Const ${missing.name} has no value`);
  const { specs, data } = packWeights(weights);
  const artifacts: io.ModelArtifacts = {
    modelTopology: { node: nodes.map(nodeJson), versions: { producer: PRODUCER, minConsumer: 0 }, library: {} },
    weightSpecs: specs,
    weightData: data,
    format: 'graph-model',
  };
  const model = loadGraphModelSync(artifacts);
  try {
    const categories = checkOps(model, nodes);
    return { model, async: categories.some((c) => ASYNC_CATEGORIES.has(c)) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
