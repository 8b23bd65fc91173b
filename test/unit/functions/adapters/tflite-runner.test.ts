import { readFileSync } from 'node:fs';
import { PortError, classifyError } from '../../../../functions/core/errors';
import { WasmTfliteRunner } from '../../../../functions/adapters/tflite-runner';
import { fixture } from '../../../helpers/fixtures';

/** The runner port over Google's TFLite runtime, on TensorFlow-made fixtures. */
describe('WasmTfliteRunner', () => {
  const runner = new WasmTfliteRunner();

  it('answers with the predictions', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tflite/half_plus_two.tflite')));
    expect(await runner.predict(bytes, [[6]])).toEqual([[5]]);
  });

  it("reports a model the runtime cannot execute as the port's not-runnable, permanent", async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tflite/parse_example_custom_op.tflite')));
    const error = await runner.predict(bytes, [{}]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortError);
    expect(error).toMatchObject({
      kind: 'not-runnable',
      message: expect.stringMatching(/^not runnable: .*ParseExampleV2/),
    });
    expect(classifyError(error)).toBe('permanent');
  });

  it('lets an error about the instances through untranslated', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('tflite/half_plus_two.tflite')));
    const error = await runner.predict(bytes, [{ nope: 1 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PortError);
  });
});
