import { NotRunnableError } from '../../../../../functions/runtime/errors';
import type { TfMetaGraph, TfSignature, TfTensorInfo } from '../../../../../functions/runtime/savedmodel/graph-types';
import {
  selectMetaGraph,
  selectSignature,
  signatureNames,
} from '../../../../../functions/runtime/savedmodel/signature';

const t = (name: string, dtype = 'DT_FLOAT'): TfTensorInfo => ({
  name,
  dtype,
  shape: { dims: [-1], unknownRank: false },
});
const sig = (
  methodName: string,
  inputs: Record<string, TfTensorInfo>,
  outputs: Record<string, TfTensorInfo> = { y: t('y:0') },
): TfSignature => ({ methodName, inputs, outputs });

const meta: TfMetaGraph = {
  tags: ['serve'],
  nodes: [],
  functions: {},
  signatures: {
    serving_default: sig('tensorflow/serving/predict', { x: t('x:0') }),
    legacy: sig('', { x: t('x:0') }),
    classify_tensors: sig('tensorflow/serving/classify', { x: t('x:0') }),
    classify_examples: sig('tensorflow/serving/classify', { inputs: t('tf_example:0', 'DT_STRING') }),
    regress_examples: sig('tensorflow/serving/regress', { inputs: t('tf_example:0', 'DT_STRING') }),
    custom: sig('my/method', { x: t('x:0') }),
    counter: sig('tensorflow/serving/predict', {}, { output: t('counter:0', 'DT_FLOAT_REF') }),
    bump: sig('tensorflow/serving/predict', { d: t('d:0') }, { output: t('bump:0', 'DT_FLOAT_REF') }),
    no_outputs: sig('tensorflow/serving/predict', { x: t('x:0') }, {}),
    sparse: sig('tensorflow/serving/predict', { x: t('') }),
    __saved_model_init_op: sig('', {}, { op: t('NoOp') }),
  },
};

describe('selectSignature', () => {
  it.each(['serving_default', 'legacy', 'classify_tensors'])(
    'accepts %s (tensor inputs, a method Predict runs)',
    (name) => {
      expect(selectSignature(meta, name, 'gs://b/m/1')).toBe(meta.signatures[name]);
    },
  );

  it.each([
    [
      'classify_examples',
      'tensorflow/serving/classify',
      /taking serialized tf\.Example strings \(input "inputs"\); serve it with TF Serving's :classify API/,
    ],
    ['regress_examples', 'tensorflow/serving/regress', /:regress API/],
    ['custom', 'my/method', /has method my\/method; only tensorflow\/serving\/predict, .* run here/],
    ['counter', 'no inputs', /takes no inputs/],
    ['bump', 'DT_FLOAT_REF', /output "output" \(bump:0\) is a variable reference/],
  ])('refuses %s as not runnable (blocker %s)', (name, blocker, message) => {
    const error = (() => {
      try {
        selectSignature(meta, name, 'gs://b/m/1');
        return undefined;
      } catch (e) {
        return e as NotRunnableError;
      }
    })();
    expect(error).toBeInstanceOf(NotRunnableError);
    expect(error?.blocker).toBe(blocker);
    expect(error?.message).toMatch(message);
  });

  it.each([
    [
      'missing',
      /gs:\/\/b\/m\/1: no signature "missing"; the SavedModel has bump, classify_examples, .*serving_default, sparse$/,
    ],
    ['__saved_model_init_op', /no signature "__saved_model_init_op"/],
    ['no_outputs', /signature "no_outputs" has no outputs/],
    ['sparse', /input "x" has no tensor name/],
  ])('refuses %s with a clear error', (name, message) => {
    expect(() => selectSignature(meta, name, 'gs://b/m/1')).toThrow(message);
  });

  it('lists signatures without loader plumbing', () => {
    expect(signatureNames(meta)).not.toContain('__saved_model_init_op');
    expect(signatureNames(meta)).toContain('serving_default');
  });
});

describe('selectMetaGraph', () => {
  const graphs = [
    { ...meta, tags: ['serve'] },
    { ...meta, tags: ['serve', 'gpu'] },
  ];

  it.each([[['serve']], [['gpu', 'serve']], [['serve', 'serve', 'gpu']]])('matches the tag set %j exactly', (tags) => {
    expect(selectMetaGraph(graphs, tags, 'loc').tags.length).toBe(new Set(tags).size);
  });

  it('lists the tag sets there are', () => {
    expect(() => selectMetaGraph(graphs, ['train'], 'loc')).toThrow(
      'loc/saved_model.pb: no MetaGraph is tagged [train]; it has [serve] [serve, gpu]',
    );
    expect(() => selectMetaGraph([], ['serve'], 'loc')).toThrow(/it has no MetaGraphs/);
  });
});
