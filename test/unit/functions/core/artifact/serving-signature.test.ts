import {
  servingSignature,
  servingSignatureProblems,
  type MetaGraphFacts,
  type SignatureFacts,
} from '../../../../../functions/core/artifact/serving-signature';

const AT = 'gs://a/models/x/1';
const tensor = (dtype = 'DT_FLOAT') => ({ dtype, shape: [-1, 1] });
const sig = (method: string, inputs: SignatureFacts['inputs'] = { x: tensor() }): SignatureFacts => ({
  method,
  inputs,
  outputs: { y: tensor() },
});
const graph = (tags: string[], signatures: Record<string, SignatureFacts>): MetaGraphFacts => ({ tags, signatures });

describe('servingSignatureProblems', () => {
  it.each<[string, MetaGraphFacts[], RegExp | null]>([
    [
      'a predict serving_default under serve',
      [graph(['serve'], { serving_default: sig('tensorflow/serving/predict') })],
      null,
    ],
    ['an empty method reads as predict', [graph(['serve'], { serving_default: sig('') })], null],
    ['serve beside other MetaGraphs', [graph(['train'], {}), graph(['serve'], { serving_default: sig('') })], null],
    [
      'serve only with another tag: TF Serving loads the set {serve} exactly',
      [graph(['serve', '1.14.0'], { serving_default: sig('') })],
      /no MetaGraph tagged exactly \[serve\] \(it has \[serve, 1\.14\.0\]\)/,
    ],
    ['classify over tensors', [graph(['serve'], { serving_default: sig('tensorflow/serving/classify') })], null],
    ['no MetaGraphs at all', [], /no MetaGraph tagged exactly \[serve\] \(it has none\)/],
    [
      'no serve tag',
      [graph(['train'], { serving_default: sig('') })],
      /no MetaGraph tagged exactly \[serve\] \(it has \[train\]\); export with tf\.saved_model\.save/,
    ],
    [
      'no serving_default',
      [graph(['serve'], { predict: sig('') })],
      /no serving_default signature; the signatures are predict/,
    ],
    ['no signatures at all', [graph(['serve'], {})], /the signatures are none/],
    [
      'a signature without predict',
      [graph(['serve'], { serving_default: sig('tensorflow/serving/train') })],
      /method tensorflow\/serving\/train, which the Predict API does not run/,
    ],
    [
      'classify over tf.Example strings',
      [graph(['serve'], { serving_default: sig('tensorflow/serving/classify', { inputs: tensor('DT_STRING') }) })],
      /serialized tf\.Example strings \(input "inputs"\)/,
    ],
    ['a signature without inputs', [graph(['serve'], { serving_default: sig('', {}) })], /has no inputs/],
  ])('%s', (_, metaGraphs, problem) => {
    const problems = servingSignatureProblems(AT, metaGraphs);
    if (problem === null) expect(problems).toEqual([]);
    else {
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(problem);
      expect(problems[0].startsWith(`${AT}: `)).toBe(true);
    }
  });

  it('returns the serve graph and its signature when servable, and no signature when not', () => {
    const good = graph(['serve'], { serving_default: sig('') });
    expect(servingSignature(AT, [good])).toEqual({
      graph: good,
      signature: good.signatures.serving_default,
      problems: [],
    });
    const bad = graph(['serve'], { serving_default: sig('x') });
    expect(servingSignature(AT, [bad]).signature).toBeUndefined();
    expect(servingSignature(AT, [bad]).graph).toBe(bad);
  });
});
