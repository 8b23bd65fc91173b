import { flattenGraph } from '../../../../../functions/runtime/savedmodel/flatten-graph';
import type { TfFunction, TfMetaGraph, TfNode } from '../../../../../functions/runtime/savedmodel/graph-types';

const n = (name: string, op: string, input: string[] = [], f?: string): TfNode => ({
  name,
  op,
  input,
  attr: f ? { f: { func: { name: f } } } : {},
});

function meta(nodes: TfNode[], functions: TfFunction[] = []): TfMetaGraph {
  return { tags: ['serve'], nodes, functions: Object.fromEntries(functions.map((f) => [f.name, f])), signatures: {} };
}

const inner: TfFunction = {
  name: 'inner',
  inputArgs: [
    { name: 'x', type: 'DT_FLOAT' },
    { name: 'w', type: 'DT_RESOURCE' },
  ],
  outputArgs: [
    { name: 'y', type: 'DT_FLOAT' },
    { name: 'norm_mean', type: 'DT_FLOAT' },
  ],
  nodes: [
    n('read', 'ReadVariableOp', ['w']),
    n('Mul', 'Mul', ['x', 'read:value:0', '^read']),
    n('bn', 'FusedBatchNormV3', ['Mul:z:0']),
    n('unused', 'Sqrt', ['x']),
  ],
  ret: { y: 'bn:y:0', norm_mean: 'bn:batch_mean:0' },
};

describe('flattenGraph', () => {
  const graph = meta(
    [
      n('x', 'Placeholder'),
      n('w', 'VarHandleOp'),
      n('call', 'StatefulPartitionedCall', ['x', 'w'], 'inner'),
      n('out', 'Identity', ['call:1']),
      n('save', 'SaveV2', ['w']),
    ],
    [inner],
  );

  it('inlines the call under its name, binding args to the call inputs and keeping only what outputs need', () => {
    const flat = flattenGraph(graph, ['call:0', 'out:0'], new Map());
    expect(flat.outputs).toEqual(['call/bn:0', 'out:0']);
    expect([...flat.nodes.keys()].sort()).toEqual(['call/Mul', 'call/bn', 'call/read', 'out', 'w', 'x']);
    expect(flat.nodes.get('call/read')?.input).toEqual(['w:0']);
  });

  it('drops control inputs and maps named output args to flat indices', () => {
    const flat = flattenGraph(graph, ['out'], new Map());
    expect(flat.nodes.get('call/Mul')?.input).toEqual(['x:0', 'call/read:0']);
    expect(flat.nodes.get('out')?.input).toEqual(['call/bn:1']);
  });

  it('replaces fed tensors by their placeholders and does not walk past them', () => {
    const flat = flattenGraph(graph, ['call:0'], new Map([['x:0', 'feed:0']]));
    expect(flat.nodes.get('call/Mul')?.input).toEqual(['feed:0', 'call/read:0']);
    expect(flat.nodes.has('x')).toBe(false);
  });

  it('inlines one call once even when several outputs use it', () => {
    const flat = flattenGraph(graph, ['call:0', 'call:1'], new Map());
    expect([...flat.nodes.keys()].filter((k) => k.startsWith('call/'))).toHaveLength(3);
  });

  it.each([
    [['call:5'], /asks for output 5 of inner, which returns 2/],
    [['ghost:0'], /graph: input "ghost:0" names no node or argument/],
    [['x:1:2:3'], /malformed tensor name "x:1:2:3"/],
    [['x:-1'], /malformed tensor name "x:-1"/],
  ])('refuses %j', (outputs, message) => {
    expect(() => flattenGraph(graph, outputs, new Map())).toThrow(message);
  });

  it('refuses an output arg a known multi-output op does not have', () => {
    const bad = { ...inner, ret: { ...inner.ret, y: 'bn:nope:0' } };
    expect(() => flattenGraph(meta(graph.nodes, [bad]), ['call:0'], new Map())).toThrow(
      /op FusedBatchNormV3 has no output "nope"/,
    );
  });

  it('refuses an inlined name that clashes with a graph node', () => {
    const clash = meta([...graph.nodes, n('call/Mul', 'Const')], [inner]);
    expect(() => flattenGraph(clash, ['call:0'], new Map())).toThrow(/inlined node call\/Mul would clash/);
  });
});
