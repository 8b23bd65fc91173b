import { NotRunnableError } from '../../../../../functions/runtime/errors';
import { loadSavedModel } from '../../../../../functions/runtime/savedmodel/load-saved-model';
import {
  dtype,
  f32,
  filesOf,
  floatConst,
  func,
  node,
  savedModelFiles,
  shape,
  tf2AffineSpec,
  type ModelSpec,
} from './saved-model-builder';

const T = { T: dtype('DT_FLOAT') };
const serving = (inputName: string, outputName: string, inDtype = 'DT_FLOAT', outDtype = 'DT_FLOAT') => ({
  serving_default: {
    inputs: { x: { name: inputName, dtype: inDtype, dims: [-1] } },
    outputs: { y: { name: outputName, dtype: outDtype, dims: [-1] } },
  },
});
const placeholder = (name: string, type = 'DT_FLOAT') =>
  node(name, 'Placeholder', [], { dtype: dtype(type), shape: shape([-1]) });

/** TF1: y = a * x + b with VariableV2 a, b read through Identity (`a/read`), saved under their op names. */
function tf1Spec(a: number, b: number): ModelSpec {
  const variable = (name: string) => [
    node(name, 'VariableV2', [], { dtype: dtype('DT_FLOAT'), shape: shape([]) }),
    node(`${name}/read`, 'Identity', [name], T),
  ];
  return {
    nodes: [
      ...variable('a'),
      ...variable('b'),
      placeholder('x'),
      node('Mul', 'Mul', ['a/read', 'x'], T),
      node('Add', 'Add', ['Mul', 'b/read'], T),
      node('y', 'Identity', ['Add'], T),
    ],
    signatures: serving('x:0', 'y:0'),
    tensors: [
      { key: 'a', dtype: 'DT_FLOAT', shape: [], data: f32([a]) },
      { key: 'b', dtype: 'DT_FLOAT', shape: [], data: f32([b]) },
    ],
  };
}

async function predict(spec: ModelSpec, instances: unknown[]): Promise<unknown[]> {
  const runner = await loadSavedModel(filesOf(savedModelFiles(spec)));
  try {
    return await runner.predict(instances);
  } finally {
    runner.dispose();
  }
}

async function loadError(spec: ModelSpec): Promise<Error> {
  return loadSavedModel(filesOf(savedModelFiles(spec))).then(
    () => {
      throw new Error('loaded');
    },
    (e: Error) => e,
  );
}

describe('freezing generated SavedModels', () => {
  it('restores TF1 VariableV2 variables by op name (y = 3x - 1)', async () => {
    expect(await predict(tf1Spec(3, -1), [1, 2, 5])).toEqual([2, 5, 14]);
  });

  it('lets a TF1 op use a variable directly (ref auto-read) without calling it a write', async () => {
    const spec = tf1Spec(3, -1);
    spec.nodes = spec.nodes.map((n) => (n.name === 'Mul' ? node('Mul', 'Mul', ['a', 'x'], T) : n));
    expect(await predict(spec, [2])).toEqual([5]);
  });

  it('reads a resource variable whose handle passes through Identity', async () => {
    const spec = tf2AffineSpec(3, -1);
    const body = spec.functions![1];
    body.nodes.unshift(node('handle', 'Identity', ['mul_resource'], { T: dtype('DT_RESOURCE') }));
    body.nodes[1].input = ['handle:output:0'];
    expect(await predict(spec, [2])).toEqual([5]);
  });

  it('cuts the graph at a signature input that is not a placeholder', async () => {
    const spec = tf1Spec(2, 0);
    spec.nodes = spec.nodes.filter((n) => n.name !== 'x');
    spec.nodes.push(node('raw', 'DecodeCSV', []), node('x', 'Identity', ['raw:0'], T));
    expect(await predict(spec, [4])).toEqual([8]);
  });

  it('computes int64 graphs (constant × input) as int32 and reports int64', async () => {
    const spec: ModelSpec = {
      nodes: [
        placeholder('x', 'DT_INT64'),
        node('six', 'Const', [], {
          dtype: dtype('DT_INT64'),
          value: { tensor: { dtype: 'DT_INT64', tensorShape: { dim: [] }, int64Val: [6] } } as never,
        }),
        node('y', 'Mul', ['x', 'six'], { T: dtype('DT_INT64') }),
      ],
      signatures: serving('x:0', 'y:0', 'DT_INT64', 'DT_INT64'),
    };
    expect(await predict(spec, [3, 4])).toEqual([18, 24]);
  });

  it('gathers rows of a resource variable (ResourceGather → GatherV2)', async () => {
    const spec: ModelSpec = {
      nodes: [
        node('emb', 'VarHandleOp', [], { dtype: dtype('DT_FLOAT'), shape: shape([3, 2]) }),
        placeholder('ids', 'DT_INT32'),
        node('y', 'ResourceGather', ['emb', 'ids'], { dtype: dtype('DT_FLOAT'), Tindices: dtype('DT_INT32') }),
      ],
      signatures: serving('ids:0', 'y:0', 'DT_INT32'),
      tensors: [{ key: 'emb', dtype: 'DT_FLOAT', shape: [3, 2], data: f32([0, 1, 10, 11, 20, 21]) }],
    };
    expect(await predict(spec, [2, 0])).toEqual([
      [20, 21],
      [0, 1],
    ]);
  });

  it('maps a body reference to a second output arg (TopKV2:indices) to its flat index', async () => {
    const spec: ModelSpec = {
      nodes: [
        node('x', 'Placeholder', [], { dtype: dtype('DT_FLOAT'), shape: shape([-1, 3]) }),
        node('call', 'PartitionedCall', ['x'], { f: func('top1') }),
      ],
      functions: [
        {
          name: 'top1',
          inputs: [['x', 'DT_FLOAT']],
          outputs: [['indices', 'DT_INT32']],
          nodes: [
            node('k', 'Const', [], {
              dtype: dtype('DT_INT32'),
              value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [] }, intVal: [1] } } as never,
            }),
            node('TopKV2', 'TopKV2', ['x', 'k:output:0'], T),
          ],
          ret: { indices: 'TopKV2:indices:0' },
        },
      ],
      signatures: {
        serving_default: {
          inputs: { x: { name: 'x:0', dtype: 'DT_FLOAT', dims: [-1, 3] } },
          outputs: { i: { name: 'call:0', dtype: 'DT_INT32', dims: [-1, 1] } },
        },
      },
    };
    expect(
      await predict(spec, [
        [1, 3, 2],
        [9, 0, 1],
      ]),
    ).toEqual([[1], [0]]);
  });

  it('returns an object per instance for two outputs of one call', async () => {
    const spec = tf2AffineSpec(2, 1);
    spec.functions![1].outputs.push(['doubled', 'DT_FLOAT']);
    spec.functions![1].ret.doubled = 'Mul:z:0';
    spec.functions![0].outputs.push(['identity_1', 'DT_FLOAT']);
    spec.functions![0].ret.identity_1 = 'StatefulPartitionedCall:output:1';
    spec.signatures.serving_default.outputs.doubled = {
      name: 'StatefulPartitionedCall:1',
      dtype: 'DT_FLOAT',
      dims: [-1],
    };
    expect(await predict(spec, [1, 3])).toEqual([
      { doubled: 2, y: 3 },
      { doubled: 6, y: 7 },
    ]);
  });

  it.each([
    [
      'strings in and out',
      'DT_STRING',
      'DT_STRING',
      [node('y', 'Identity', ['x'], { T: dtype('DT_STRING') })],
      ['a', 'bé'],
      ['a', 'bé'],
    ],
    [
      'bools out as true/false',
      'DT_FLOAT',
      'DT_BOOL',
      [floatConst('zero', [0]), node('y', 'Greater', ['x', 'zero'], T)],
      [1, -1],
      [true, false],
    ],
    [
      'a dynamic-shape op (Where, run with executeAsync)',
      'DT_FLOAT',
      'DT_INT64',
      [
        floatConst('zero', [0]),
        node('pos', 'Greater', ['x', 'zero'], T),
        node('y', 'Where', ['pos'], { T: dtype('DT_BOOL') }),
      ],
      [3, 1],
      [[0], [1]],
    ],
  ])('carries %s', async (_, inType, outType, body, instances, expected) => {
    const spec: ModelSpec = {
      nodes: [placeholder('x', inType), ...body],
      signatures: serving('x:0', 'y:0', inType, outType),
    };
    expect(await predict(spec, instances)).toEqual(expected);
  });

  it('refuses to split an output that has no batch dimension into rows', async () => {
    const axis = node('axis', 'Const', [], {
      dtype: dtype('DT_INT32'),
      value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [] }, intVal: [0] } } as never,
    });
    const spec: ModelSpec = {
      nodes: [
        placeholder('x'),
        axis,
        node('y', 'Sum', ['x', 'axis'], { T: dtype('DT_FLOAT'), Tidx: dtype('DT_INT32') }),
      ],
      signatures: serving('x:0', 'y:0'),
    };
    await expect(predict(spec, [1, 2])).rejects.toThrow(
      /output "y" has shape \[\], not a leading batch dimension of 2/,
    );
  });

  describe('refuses what it cannot run, naming the blocker', () => {
    it.each([
      [
        'an op TensorFlow.js lacks',
        (s: ModelSpec) => {
          s.nodes.push(node('inv', 'MatrixInverse', ['Add'], T));
          s.signatures.serving_default.outputs.y.name = 'inv:0';
        },
        'MatrixInverse',
        /op MatrixInverse \(node inv\) is not implemented by TensorFlow\.js/,
      ],
      [
        'a write to a variable',
        (s: ModelSpec) => {
          s.nodes.push(node('bump', 'AssignAdd', ['a', 'x'], T));
          s.signatures.serving_default.outputs.y.name = 'bump:0';
        },
        'AssignAdd',
        /changes variable a \(op AssignAdd bump\)/,
      ],
      [
        'a write to a resource variable',
        (s: ModelSpec) => {
          s.nodes.push(
            node('h', 'VarHandleOp', [], { dtype: dtype('DT_FLOAT') }),
            node('set', 'AssignVariableOp', ['h', 'x'], { dtype: dtype('DT_FLOAT') }),
            node('out', 'Identity', ['Add', '^set'], T),
          );
          s.nodes.push(node('dep', 'AddN', ['out', 'set'], T));
          s.signatures.serving_default.outputs.y.name = 'dep:0';
        },
        'AssignVariableOp',
        /changes variable h \(op AssignVariableOp set\)/,
      ],
      [
        'a read of a resource that is not a variable',
        (s: ModelSpec) => {
          s.nodes.push(
            node('table', 'HashTableV2'),
            node('r', 'ReadVariableOp', ['table'], { dtype: dtype('DT_FLOAT') }),
          );
          s.signatures.serving_default.outputs.y.name = 'r:0';
        },
        'HashTableV2',
        /reads resource table \(op HashTableV2\) at r/,
      ],
      [
        'control flow through functions',
        (s: ModelSpec) => {
          s.nodes.push(node('cond', 'If', ['x', 'x'], { then_branch: func('t'), else_branch: func('e') }));
          s.signatures.serving_default.outputs.y.name = 'cond:0';
        },
        'If',
        /op If \(cond, .*\) runs function/,
      ],
      [
        'a complex-valued input',
        (s: ModelSpec) => {
          s.signatures.serving_default.inputs.x.dtype = 'DT_COMPLEX64';
        },
        'DT_COMPLEX64',
        /input "x" has dtype DT_COMPLEX64/,
      ],
    ])('%s', async (_, change, blocker, message) => {
      const spec = tf1Spec(1, 1);
      change(spec);
      const error = await loadError(spec);
      expect(error).toBeInstanceOf(NotRunnableError);
      expect((error as NotRunnableError).blocker).toBe(blocker);
      expect(error.message).toMatch(message);
    });
  });

  describe('rejects corrupt graphs with errors that name the part', () => {
    it.each([
      [
        'a call to a function the library lacks',
        (s: ModelSpec) => {
          s.functions = s.functions!.filter((f) => f.name !== 'inner');
        },
        /calls function "inner", which the library does not define/,
      ],
      [
        'a call with the wrong number of inputs',
        (s: ModelSpec) => {
          s.nodes[3].input = ['serving_default_x', 'a'];
        },
        /passes 2 inputs to wrapper, which takes 3/,
      ],
      [
        'a function that calls itself',
        (s: ModelSpec) => {
          s.functions![1].nodes.push(
            node('again', 'PartitionedCall', ['x', 'mul_resource', 'add_resource'], { f: func('inner') }),
          );
          s.functions![1].ret.identity = 'again:output:0';
        },
        /nest deeper than 64/,
      ],
      [
        'a body input naming nothing',
        (s: ModelSpec) => {
          s.functions![1].nodes[1].input = ['ghost:z:0', 'x'];
        },
        /function inner .*input "ghost:z:0" names no node or argument/,
      ],
      [
        'a malformed tensor name',
        (s: ModelSpec) => {
          s.signatures.serving_default.outputs.y.name = 'StatefulPartitionedCall:zero';
        },
        /malformed tensor name "StatefulPartitionedCall:zero"/,
      ],
      [
        'two nodes with one name',
        (s: ModelSpec) => {
          s.nodes.push(node('a', 'Const'));
        },
        /two nodes are named "a"/,
      ],
      [
        'a signature input naming no node',
        (s: ModelSpec) => {
          s.signatures.serving_default.inputs.x.name = 'nowhere:0';
        },
        /input "x" names tensor nowhere:0, but the graph has no node nowhere/,
      ],
      [
        'an output of a call beyond its outputs',
        (s: ModelSpec) => {
          s.signatures.serving_default.outputs.y.name = 'StatefulPartitionedCall:3';
        },
        /asks for output 3 of wrapper, which returns 1/,
      ],
      [
        'two output args of an op of unknown layout',
        (s: ModelSpec) => {
          s.functions![1].nodes.push(node('Odd', 'Mystery', ['x']));
          s.functions![1].nodes[3].input = ['Odd:first:0', 'Odd:second:0'];
        },
        /op Mystery \(Odd\) has several output args \(first, second\)/,
      ],
    ])('%s', async (_, change, message) => {
      const spec = tf2AffineSpec(1, 1);
      change(spec);
      await expect(loadError(spec)).resolves.toHaveProperty('message', expect.stringMatching(message));
    });

    it('a chain of 50,000 calls, without crashing', async () => {
      const calls = Array.from({ length: 50_000 }, (_, i) =>
        node(`c${i}`, 'PartitionedCall', [i === 0 ? 'x' : `c${i - 1}:0`], { f: func('id') }),
      );
      const spec: ModelSpec = {
        nodes: [placeholder('x'), ...calls],
        functions: [
          {
            name: 'id',
            inputs: [['x', 'DT_FLOAT']],
            outputs: [['y', 'DT_FLOAT']],
            nodes: [node('I', 'Identity', ['x'], T)],
            ret: { y: 'I:output:0' },
          },
        ],
        signatures: serving('x:0', 'c49999:0'),
      };
      await expect(loadError(spec)).resolves.toHaveProperty(
        'message',
        expect.stringMatching(/function calls chain too deeply to inline/),
      );
    });

    it.each([
      [
        'tensor_content of the wrong length',
        { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: 4 }] }, tensorContent: f32([1, 2]) },
        /Const big: tensor_content has 8 bytes but DT_FLOAT \[4\] needs 16/,
      ],
      [
        'an absurd shape (refused before allocating)',
        { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: 1e6 }, { size: 1e6 }] }, floatVal: [1] },
        /Const big: shape \[1000000,1000000\] has more than 268435456 elements/,
      ],
      [
        'more values than elements',
        { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: 1 }] }, floatVal: [1, 2] },
        /Const big: holds 2 values but shape \[1\] needs 1/,
      ],
      [
        'an unknown dimension',
        { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: -1 }] }, floatVal: [1] },
        /Const big: a constant must have a fully known shape/,
      ],
    ])('a constant with %s', async (_, tensor, message) => {
      const spec = tf1Spec(1, 1);
      spec.nodes.push(
        node('big', 'Const', [], { dtype: dtype('DT_FLOAT'), value: { tensor } as never }),
        node('sum', 'Add', ['Add', 'big'], T),
      );
      spec.signatures.serving_default.outputs.y.name = 'sum:0';
      await expect(loadError(spec)).resolves.toHaveProperty('message', expect.stringMatching(message));
    });

    it('a truncated saved_model.pb, naming the file', async () => {
      const files = savedModelFiles(tf1Spec(1, 1));
      files['saved_model.pb'] = files['saved_model.pb'].subarray(0, 40);
      await expect(loadSavedModel(filesOf(files))).rejects.toThrow(
        /mem:\/\/model\/1\/saved_model\.pb: is not a valid SavedModel protobuf/,
      );
    });

    it('a missing saved_model.pb, naming the file', async () => {
      await expect(loadSavedModel(filesOf({}))).rejects.toThrow(/saved_model\.pb: file not found/);
    });
  });
});
