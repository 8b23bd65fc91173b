import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import { loadTfliteModel } from '../../../../../functions/runtime/tflite/load-tflite-model';
import {
  DEFAULT_BUILD,
  retireWasm,
  tfliteWasm,
  type WasmBuild,
} from '../../../../../functions/runtime/tflite/tflite-wasm';

describe('tfliteWasm', () => {
  it('loads the module once per process and reuses it', async () => {
    const [first, second] = await Promise.all([tfliteWasm(), tfliteWasm()]);
    expect(first).toBe(second);
    expect(first.build).toBe(DEFAULT_BUILD);
    expect(await tfliteWasm()).toBe(first);
  });

  it.each<WasmBuild>(['simd', 'plain'])('runs a model on the %s build', async (build) => {
    const model = await loadTfliteModel(writeExampleTflite({ a: 4, b: 0.5 }), { build });
    try {
      expect(await model.predict([[2]])).toEqual([[8.5]]);
    } finally {
      model.dispose();
    }
  });

  it('replaces an aborted instance; models on it say to load again', async () => {
    const bytes = writeExampleTflite({ a: 1, b: 1 });
    const old = await tfliteWasm();
    const model = await loadTfliteModel(bytes, { file: 'old.tflite' });
    retireWasm(old, 'the TFLite runtime aborted (test)');
    await expect(model.predict([1])).rejects.toThrow(
      /old\.tflite: the TFLite runtime aborted \(test\); load the model again/,
    );
    model.dispose();
    const fresh = await tfliteWasm();
    expect(fresh).not.toBe(old);
    expect(fresh.aborted).toBeNull();
    const again = await loadTfliteModel(bytes);
    expect(await again.predict([1])).toEqual([[2]]);
    again.dispose();
  });

  it('keeps runtime log lines for refusals and hands them out once', async () => {
    const wasm = await tfliteWasm();
    wasm.takeLog();
    expect(wasm.takeLog()).toEqual([]);
  });
});
