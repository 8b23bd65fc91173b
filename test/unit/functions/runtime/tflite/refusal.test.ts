import { refusal } from '../../../../../functions/runtime/tflite/refusal';

describe('refusal', () => {
  it.each([
    [
      'a custom op named in the log',
      [
        'ERROR: Encountered unresolved custom op: ParseExampleV2.',
        'ERROR: Node number 0 (ParseExampleV2) failed to prepare.',
      ],
      [],
      'ParseExampleV2',
      /^not runnable: custom op ParseExampleV2;.*Node number 0/,
    ],
    ['a custom op only the reader saw', ['ERROR: something else'], ['MyOp'], 'MyOp', /^not runnable: custom op MyOp/],
    [
      'a builtin op too new',
      ["ERROR: Didn't find op for builtin opcode 'GELU' version '2'."],
      [],
      'GELU',
      /^not runnable: builtin op GELU version 2 is newer/,
    ],
    [
      'anything else',
      ['ERROR: Tensor 3 is invalidly specified in schema.'],
      [],
      "INVALID_ARGUMENT: Can't initialize model",
      /^not runnable: the TFLite runtime refused the model \(m\.tflite: INVALID_ARGUMENT: .*Tensor 3 is invalidly/,
    ],
  ])('names %s', (_case, log, custom, blocker, message) => {
    const error = refusal('m.tflite', "INVALID_ARGUMENT: Can't initialize model", log, custom);
    expect(error.blocker).toBe(blocker);
    expect(error.message).toMatch(message);
  });

  it('keeps the message short when the runtime repeats itself', () => {
    const log = Array.from({ length: 50 }, (_, i) => `ERROR: line ${i % 3}`);
    expect(refusal('m.tflite', 'x', log, []).message.match(/line/g)).toHaveLength(3);
  });
});
