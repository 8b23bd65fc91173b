import { readTflite } from '../../../../../functions/artifacts/tflite/read-tflite';
import {
  EXAMPLE_MIN_RUNTIME_VERSION,
  writeExampleTflite,
} from '../../../../../functions/artifacts/tflite/write-example-tflite';
import { loadTfliteModel } from '../../../../../functions/runtime/tflite/load-tflite-model';

describe('writeExampleTflite', () => {
  it('writes a TFL3 file the reader understands: x [1,1] -> MUL, ADD -> y, buffer 0 empty', () => {
    const bytes = writeExampleTflite({ a: 0.5, b: 2 });
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
    const info = readTflite(bytes, 'example.tflite');
    expect(info.schemaVersion).toBe(3);
    expect(info.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: [1, 1], shapeSignature: null, quantization: null },
    ]);
    expect(info.outputs.map((t) => [t.name, t.shape])).toEqual([['y', [1, 1]]]);
    expect(info.operators.map((op) => [op.name, op.builtinCode, op.custom])).toEqual([
      ['MUL', 18, false],
      ['ADD', 0, false],
    ]);
    expect(info.subgraphs[0].operatorCount).toBe(2);
    expect(info.metadata).toEqual({ min_runtime_version: EXAMPLE_MIN_RUNTIME_VERSION });
    expect(info.signatures).toEqual([
      { key: 'serving_default', subgraphIndex: 0, inputs: { x: 'x' }, outputs: { y: 'y' } },
    ]);
    // buffers: empty sentinel, a, b (4 bytes each), 16-byte version string
    expect(info.buffers).toEqual({ count: 4, totalBytes: 24 });
  });

  it('leaves the SignatureDef out when asked', () => {
    expect(readTflite(writeExampleTflite({ a: 1, b: 0, withSignature: false })).signatures).toEqual([]);
  });

  it('writes the batch size into x and y', () => {
    const info = readTflite(writeExampleTflite({ a: 1, b: 0, batch: 3 }));
    expect([info.inputs[0].shape, info.outputs[0].shape]).toEqual([
      [3, 1],
      [3, 1],
    ]);
  });

  it.each([
    [{ a: Number.NaN, b: 0 }, /a must be a finite number/],
    [{ a: 1, b: Number.POSITIVE_INFINITY }, /b must be a finite number/],
    [{ a: '2' as unknown as number, b: 0 }, /a must be a finite number, got 2/],
    [{ a: 1, b: 0, batch: 0 }, /batch must be an integer/],
    [{ a: 1, b: 0, batch: 1.5 }, /batch must be an integer/],
  ])('refuses %p', (options, message) => {
    expect(() => writeExampleTflite(options)).toThrow(message);
  });

  it.each([
    [0.5, 2, [1, 2, 5], [2.5, 3, 4.5]],
    [3, -1, [0, 1, -2], [-1, 2, -7]],
    [-0.25, 10, [4, 8, 0.5], [9, 8, 9.875]],
    [0, 7, [123, -4], [7, 7]],
  ])('runs in the TFLite wasm runtime: y = %p*x + %p', async (a, b, xs, ys) => {
    const model = await loadTfliteModel(writeExampleTflite({ a, b }), { file: 'example.tflite' });
    try {
      const predictions = (await model.predict(xs.map((x) => ({ x: [x] })))) as number[][];
      expect(predictions).toHaveLength(ys.length);
      predictions.forEach((row, i) => expect(row[0]).toBeCloseTo(ys[i], 5));
    } finally {
      model.dispose();
    }
  });
});
