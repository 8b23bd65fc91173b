import { readTflite, type TfliteInfo } from '../../artifacts/tflite/read-tflite';
import { NotRunnableError } from '../errors';
import { parseInstances, toPredictions, type InputSpec, type OutputValue } from '../instances';
import { elementCount, planIo, rowShape, type IoPlan, type TfliteTensorSpec } from './io-specs';
import { refusal } from './refusal';
import { readValues, writeValues, zeroValues } from './tensor-copy';
import {
  retireWasm,
  tfliteWasm,
  type TfliteWasm,
  type WasmBuild,
  type WasmRunner,
  type WasmTensor,
} from './tflite-wasm';

export type { TfliteTensorSpec } from './io-specs';

/** A model loaded into the TFLite wasm runtime; call `dispose()` to free its wasm memory. */
export interface TfliteModel {
  readonly inputs: TfliteTensorSpec[];
  readonly outputs: TfliteTensorSpec[];
  /** What the reader found in the file. */
  readonly info: TfliteInfo;
  /**
   * TF Serving row-format instances in, row-format predictions out (validated with
   * `parseInstances`; throws `InstancesError` naming e.g. `instances[3].x`).
   */
  predict(instances: unknown[]): Promise<unknown[]>;
  dispose(): void;
}

export interface LoadTfliteOptions {
  /** Name used in error messages, e.g. the gs:// URI. */
  file?: string;
  /** Which wasm build; the default is fine outside benchmarks. */
  build?: WasmBuild;
}

/** Larger models cannot fit beside the runtime in the 2 GB wasm heap. */
export const MAX_TFLITE_BYTES = 1024 * 1024 * 1024;
/** Infer calls between yields to the event loop, so a long golden set does not starve other work. */
const INFERS_PER_YIELD = 512;

/**
 * Loads a `.tflite` file into Google's TFLite runtime (WebAssembly build shipped in
 * @tensorflow/tfjs-tflite) so ferry can validate mobile models with the runtime apps use.
 * Corrupt files → `TfliteError`; models the runtime refuses (custom ops...) → `NotRunnableError`.
 * https://www.tensorflow.org/lite/guide/inference
 */
export async function loadTfliteModel(bytes: Uint8Array, options: LoadTfliteOptions = {}): Promise<TfliteModel> {
  const file = options.file ?? 'model.tflite';
  const info = readTflite(bytes, file);
  if (bytes.byteLength > MAX_TFLITE_BYTES) {
    throw new NotRunnableError(
      `not runnable: ${file} is ${bytes.byteLength} bytes; the TFLite wasm runtime holds at most ${MAX_TFLITE_BYTES}`,
      'model size',
    );
  }
  const wasm = await tfliteWasm(options.build);
  const { module } = wasm;
  wasm.takeLog();
  const pointer = module._malloc(bytes.byteLength);
  if (!pointer)
    throw new NotRunnableError(
      `not runnable: ${file}: the TFLite wasm heap cannot hold ${bytes.byteLength} more bytes`,
      'model size',
    );
  let runner: WasmRunner | undefined;
  const handles: WasmTensor[] = [];
  try {
    module.HEAPU8.set(bytes, pointer);
    const status = module.TFLiteWebModelRunner.CreateFromBufferAndOptions(pointer, bytes.byteLength, {
      numThreads: 1,
      enableProfiling: false,
      maxProfilingBufferEntries: 1,
    });
    if (!status.ok()) {
      const message = status.errorMessage();
      status.delete();
      throw refusal(file, message, wasm.takeLog(), info.customOperators);
    }
    // Like tfjs-tflite, keep the StatusOr alive: the runner it hands out is freed by runner.delete().
    runner = status.value();
    const inputs = handlesOf(runner.GetInputs(), handles);
    const outputs = handlesOf(runner.GetOutputs(), handles);
    return new LoadedModel(file, info, wasm, runner, pointer, inputs, outputs, planIo(file, info, inputs, outputs));
  } catch (error) {
    for (const handle of handles) handle.delete();
    runner?.delete();
    if (isWasmTrap(error)) {
      retireWasm(wasm, error.message);
      throw new NotRunnableError(
        `not runnable: ${file}: the TFLite runtime crashed loading it (${error.message}); later loads use a fresh runtime`,
        'runtime crash',
      );
    }
    if (!wasm.aborted) module._free(pointer);
    throw error;
  }
}

/** A wasm trap or Emscripten abort (WebAssembly.RuntimeError; not in this project's TS lib). */
function isWasmTrap(error: unknown): error is Error {
  return error instanceof Error && error.constructor.name === 'RuntimeError';
}

function handlesOf(
  vector: { size(): number; get(i: number): WasmTensor; delete(): void },
  all: WasmTensor[],
): WasmTensor[] {
  const list: WasmTensor[] = [];
  for (let i = 0; i < vector.size(); i += 1) list.push(vector.get(i));
  vector.delete();
  all.push(...list);
  return list;
}

class LoadedModel implements TfliteModel {
  readonly inputs: TfliteTensorSpec[];
  readonly outputs: TfliteTensorSpec[];
  private disposed = false;
  private readonly signature: Record<string, InputSpec>;

  constructor(
    private readonly file: string,
    readonly info: TfliteInfo,
    private readonly wasm: TfliteWasm,
    private readonly runner: WasmRunner,
    private readonly pointer: number,
    private readonly inputHandles: WasmTensor[],
    private readonly outputHandles: WasmTensor[],
    private readonly plan: IoPlan,
  ) {
    this.inputs = plan.inputs;
    this.outputs = plan.outputs;
    const asInstance = (spec: TfliteTensorSpec): InputSpec => ({
      dtype: spec.dtype,
      shape: [1, ...rowShape(spec, plan.batch)],
    });
    this.signature = Object.fromEntries(plan.inputs.map((spec) => [spec.name, asInstance(spec)]));
  }

  async predict(instances: unknown[]): Promise<unknown[]> {
    this.usable();
    const parsed = parseInstances(instances, this.signature);
    const perInfer = Math.max(this.plan.batch, 1);
    const rows: Array<Record<string, OutputValue>> = [];
    for (let start = 0, infers = 0; start < parsed.length; start += perInfer, infers += 1) {
      if (infers > 0 && infers % INFERS_PER_YIELD === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        this.usable();
      }
      const chunk = parsed.slice(start, start + perInfer);
      this.plan.inputs.forEach((spec, i) => {
        const view = this.inputHandles[i].data();
        const size = elementCount(rowShape(spec, this.plan.batch));
        for (let row = 0; row < perInfer; row += 1) {
          if (row < chunk.length) writeValues(view, spec.dtype, chunk[row][spec.name].values, row * size);
          else zeroValues(view, spec.dtype, row * size, size);
        }
      });
      this.infer();
      chunk.forEach(() => rows.push({}));
      this.plan.outputs.forEach((spec, i) => {
        const view = this.outputHandles[i].data();
        const shape = rowShape(spec, this.plan.batch);
        const size = elementCount(shape);
        chunk.forEach((_, row) => {
          rows[start + row][spec.name] = { shape, values: readValues(view, spec.dtype, row * size, size) };
        });
      });
    }
    return toPredictions(rows);
  }

  private infer(): void {
    let ok: boolean;
    try {
      ok = this.runner.Infer();
    } catch (error) {
      if (!isWasmTrap(error)) throw error;
      retireWasm(this.wasm, error.message);
      throw new Error(
        `${this.file}: the TFLite runtime crashed during inference (${error.message}); load the model again`,
      );
    }
    if (!ok) {
      const log = this.wasm.takeLog().join('; ');
      throw new Error(
        `${this.file}: TFLite inference failed${log ? ` (${log})` : ''}; check the model with tf.lite.Interpreter`,
      );
    }
  }

  private usable(): void {
    if (this.disposed) throw new Error(`${this.file}: the model was disposed; load it again`);
    if (this.wasm.aborted) throw new Error(`${this.file}: ${this.wasm.aborted}; load the model again`);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.wasm.aborted) return; // its memory is gone with the instance
    for (const handle of [...this.inputHandles, ...this.outputHandles]) handle.delete();
    this.runner.delete();
    this.wasm.module._free(this.pointer);
  }
}
