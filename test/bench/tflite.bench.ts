import { readFileSync } from 'node:fs';
import { readTflite } from '../../functions/artifacts/tflite/read-tflite';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { parseInstances, toPredictions } from '../../functions/runtime/instances';
import { loadTfliteModel } from '../../functions/runtime/tflite/load-tflite-model';
import { retireWasm, tfliteWasm, type WasmBuild } from '../../functions/runtime/tflite/tflite-wasm';
import { fixture } from '../helpers/fixtures';
import { medianMs, type Bench, type BenchRow } from './harness';

const INSTANCES = 10_000;
const FRAMES = 100;
const WIDE = 65_536;

/** half_plus_two.tflite, made by the TFLite converter. */
function halfPlusTwo(): { bytes: Uint8Array; source: string } {
  return {
    bytes: new Uint8Array(readFileSync(fixture('tflite/half_plus_two.tflite'))),
    source: 'half_plus_two.tflite',
  };
}

async function freshWasmMs(build: WasmBuild): Promise<number> {
  return medianMs(async () => {
    retireWasm(await tfliteWasm(build), 'benchmark: measure a fresh load');
    await tfliteWasm(build);
  }, 5);
}

async function predictionsPerSecond(bytes: Uint8Array, build: WasmBuild, instances: number[][]): Promise<number> {
  const model = await loadTfliteModel(bytes, { build });
  try {
    return (INSTANCES / (await medianMs(() => model.predict(instances), 9))) * 1000;
  } finally {
    model.dispose();
  }
}

/** The same request path without the runtime: validation, arithmetic, response shaping. */
async function plainJsPerSecond(instances: number[][]): Promise<number> {
  const ms = await medianMs(() => {
    const parsed = parseInstances(instances, { x: { dtype: 'float32', shape: [1, 1] } });
    return toPredictions(
      parsed.map((p) => ({ y: { shape: [1], values: [Math.fround(0.5 * (p.x.values[0] as number) + 2)] } })),
    );
  }, 9);
  return (INSTANCES / ms) * 1000;
}

/** Runtime compute alone: 100 Infer calls of y = 0.5x + 2 over 65,536 floats, on the module directly. */
async function inferOnlyMs(build: WasmBuild): Promise<number> {
  const bytes = writeExampleTflite({ a: 0.5, b: 2, batch: WIDE });
  const { module } = await tfliteWasm(build);
  const pointer = module._malloc(bytes.length);
  module.HEAPU8.set(bytes, pointer);
  const runner = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, bytes.length, {
    numThreads: 1,
    enableProfiling: false,
    maxProfilingBufferEntries: 1,
  }).value();
  try {
    return await medianMs(() => {
      for (let i = 0; i < 100; i += 1) runner.Infer();
    }, 5);
  } finally {
    runner.delete();
    module._free(pointer);
  }
}

async function selfieRows(): Promise<BenchRow[]> {
  const path = fixture('tflite/selfie_segmentation.tflite');
  const bytes = new Uint8Array(readFileSync(path));
  const rows: BenchRow[] = [
    {
      name: 'readTflite selfie_segmentation (249 KB, 246 ops)',
      value: await medianMs(() => readTflite(bytes), 20),
      unit: 'ms',
    },
  ];
  const start = process.hrtime.bigint();
  try {
    const model = await loadTfliteModel(bytes);
    const frame = [{ input_1: Array.from({ length: 256 }, () => Array.from({ length: 256 }, () => [0.5, 0.5, 0.5])) }];
    const ms = await medianMs(async () => {
      for (let i = 0; i < FRAMES; i += 1) await model.predict(frame);
    }, 1);
    model.dispose();
    rows.push({ name: `selfie_segmentation ${FRAMES} frames`, value: (FRAMES / ms) * 1000, unit: 'frames/s' });
  } catch (error) {
    rows.push({
      name: `selfie_segmentation ${FRAMES} frames: refused at load`,
      value: Number(process.hrtime.bigint() - start) / 1e6,
      unit: 'ms to refuse',
      detail: (error as Error).message.slice(0, 120),
    });
  }
  return rows;
}

export const bench: Bench = {
  id: 'tflite',
  title: 'TFLite: reader, wasm runtime load, predictions',
  async run() {
    const rssStartMb = process.memoryUsage().rss / 2 ** 20;
    const { bytes, source } = halfPlusTwo();
    const instances = Array.from({ length: INSTANCES }, (_, i) => [i / 100]);
    const simdLoad = await freshWasmMs('simd');
    const plainLoad = await freshWasmMs('plain');
    const modelLoad = await medianMs(async () => (await loadTfliteModel(bytes)).dispose(), 20);
    const simd = await predictionsPerSecond(bytes, 'simd', instances);
    const plain = await predictionsPerSecond(bytes, 'plain', instances);
    const js = await plainJsPerSecond(instances);
    const rows: BenchRow[] = [
      {
        name: 'wasm runtime load (simd build)',
        value: simdLoad,
        unit: 'ms',
        baseline: { name: 'non-simd build', value: plainLoad },
      },
      {
        name: `model load ${source}`,
        value: modelLoad,
        unit: 'ms',
        detail: 'readTflite + copy into wasm + interpreter build + dispose',
      },
      {
        name: `predict ${INSTANCES} instances (simd)`,
        value: simd,
        unit: 'predictions/s',
        baseline: { name: 'same path in plain JS arithmetic', value: js },
        detail: source,
      },
      {
        name: `predict ${INSTANCES} instances (non-simd)`,
        value: plain,
        unit: 'predictions/s',
        baseline: { name: 'simd build', value: simd },
        detail: 'per-instance JS (parse, copy, reshape) dominates; noisy',
      },
      {
        name: `100 Infer calls over ${WIDE} floats (simd)`,
        value: await inferOnlyMs('simd'),
        unit: 'ms',
        baseline: { name: 'non-simd build', value: await inferOnlyMs('plain') },
      },
      ...(await selfieRows()),
    ];
    rows.push({
      name: 'peak RSS',
      value: process.resourceUsage().maxRSS / 1024,
      unit: 'MB',
      baseline: { name: 'RSS when the bench started', value: rssStartMb },
    });
    return rows;
  },
};
