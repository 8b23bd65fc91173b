import { readTflite } from '../../../../../functions/artifacts/tflite/read-tflite';
import { writeExampleTflite } from '../../../../../functions/artifacts/tflite/write-example-tflite';
import { NotRunnableError } from '../../../../../functions/runtime/errors';
import { elementCount, planIo, rowShape } from '../../../../../functions/runtime/tflite/io-specs';
import type { WasmTensor } from '../../../../../functions/runtime/tflite/tflite-wasm';

/** Stand-in for the runner's tensor handles (our own port; only names, types and shapes are read). */
const tensor = (name: string, dataType: string, shape: string): WasmTensor =>
  ({ id: 0, name, dataType, shape, data: () => new Float32Array(0), delete: () => undefined }) as WasmTensor;

const info = readTflite(writeExampleTflite({ a: 1, b: 0 })); // signature serving_default: x -> x, y -> y
const bare = readTflite(writeExampleTflite({ a: 1, b: 0, withSignature: false }));

describe('planIo', () => {
  it.each([
    ['batch 1', [tensor('x', 'float32', '1,1')], [tensor('y', 'float32', '1,1')], 1],
    ['a fixed batch of 4', [tensor('x', 'float32', '4,2')], [tensor('y', 'float32', '4')], 4],
    ['a scalar input', [tensor('x', 'float32', '')], [tensor('y', 'float32', '')], 0],
    [
      'inputs disagreeing on the leading dim',
      [tensor('x', 'float32', '1,1'), tensor('z', 'int32', '3')],
      [tensor('y', 'float32', '1')],
      0,
    ],
  ])('plans %s', (_case, inputs, outputs, batch) => {
    expect(planIo('m.tflite', bare, inputs, outputs).batch).toBe(batch);
  });

  it('uses signature names only when they cover every tensor', () => {
    const renamed = {
      ...info,
      signatures: [{ key: 'serving_default', subgraphIndex: 0, inputs: { features: 'x' }, outputs: { scores: 'y' } }],
    };
    expect(planIo('m', renamed, [tensor('x', 'float32', '1,1')], [tensor('y', 'float32', '1,1')]).inputs[0]).toEqual({
      name: 'features',
      tensor: 'x',
      dtype: 'float32',
      shape: [1, 1],
    });
    const plan = planIo(
      'm',
      renamed,
      [tensor('x', 'float32', '1,1'), tensor('other', 'float32', '1,1')],
      [tensor('y', 'float32', '1,1')],
    );
    expect(plan.inputs.map((i) => i.name)).toEqual(['x', 'other']);
    expect(plan.outputs.map((o) => o.name)).toEqual(['scores']);
  });

  it.each([
    ['a string input', [tensor('s', 'string', '1')], [tensor('y', 'float32', '1')], /input s has dtype string/],
    ['a float16 output', [tensor('x', 'float32', '1')], [tensor('h', 'float16', '1')], /output h has dtype float16/],
    ['an unknown dtype', [tensor('x', 'complex64', '1')], [tensor('y', 'float32', '1')], /input x has dtype complex64/],
    [
      'duplicated input names',
      [tensor('x', 'float32', '1'), tensor('x', 'float32', '1')],
      [tensor('y', 'float32', '1')],
      /two inputs are both named "x"/,
    ],
    [
      'outputs without the fixed batch',
      [tensor('x', 'float32', '4,1')],
      [tensor('y', 'float32', '1')],
      /fixed batch of 4 but output y has shape \[1\]/,
    ],
  ])('refuses %s', (_case, inputs, outputs, message) => {
    const run = () => planIo('m.tflite', bare, inputs, outputs);
    expect(run).toThrow(NotRunnableError);
    expect(run).toThrow(message);
  });
});

describe('rowShape and elementCount', () => {
  it.each([
    [[4, 2, 3], 4, [2, 3], 6],
    [[1, 1], 1, [1], 1],
    [[5], 0, [5], 5],
    [[], 0, [], 1],
    [[7, 2], 1, [7, 2], 14],
  ])('shape %p with batch %p gives rows %p of %p elements', (shape, batch, row, count) => {
    const spec = { name: 'x', tensor: 'x', dtype: 'float32' as const, shape };
    expect(rowShape(spec, batch)).toEqual(row);
    expect(elementCount(rowShape(spec, batch))).toBe(count);
  });
});
