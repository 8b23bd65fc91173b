import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** A tensor handle of the web runner: `data()` is a view into wasm memory (re-fetch after growth). */
export interface WasmTensor {
  readonly id: number;
  readonly name: string;
  /** `float32`, `int32`, `uint8`, `int64`, `bool`... */
  readonly dataType: string;
  /** Comma-separated dims, e.g. `1,256,256,3`. */
  readonly shape: string;
  data(): ArrayLike<number | bigint> & { set(values: ArrayLike<number | bigint>): void };
  delete(): void;
}

interface WasmVector {
  size(): number;
  get(index: number): WasmTensor;
  delete(): void;
}

export interface WasmRunner {
  GetInputs(): WasmVector;
  GetOutputs(): WasmVector;
  Infer(): boolean;
  delete(): void;
}

interface StatusOrRunner {
  ok(): boolean;
  errorMessage(): string;
  value(): WasmRunner;
  delete(): void;
}

/** The part of the Emscripten module (tflite_web_api_cc.js) ferry drives. */
export interface TfliteWasmModule {
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  HEAPU8: Uint8Array;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(
      pointer: number,
      length: number,
      options: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number },
    ): StatusOrRunner;
  };
}

export type WasmBuild = 'simd' | 'plain';

/** One live instance of Google's TFLite runtime compiled to WebAssembly. */
export interface TfliteWasm {
  readonly module: TfliteWasmModule;
  readonly build: WasmBuild;
  /** Set once the module aborted or trapped; its memory can no longer be trusted. */
  aborted: string | null;
  /** Runtime log lines (TFLite writes its refusals here) since the last `takeLog()`. */
  takeLog(): string[];
}

const FILES: Record<WasmBuild, string> = { simd: 'tflite_web_api_cc_simd', plain: 'tflite_web_api_cc' };
const MAX_LOG_LINES = 200;

/**
 * The SIMD build is kept: both load in Node 20 (no threads needed) and SIMD runs conv nets faster
 * (see test/bench/tflite.bench.ts). Threaded builds need Web Workers and are not used.
 */
export const DEFAULT_BUILD: WasmBuild = 'simd';

export function wasmDirectory(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-tflite/package.json')), 'wasm');
}

const instances = new Map<WasmBuild, Promise<TfliteWasm>>();
const live = new Map<WasmBuild, TfliteWasm>();

/**
 * The process-wide TFLite wasm runtime, loaded lazily on first use (about 40 ms and 30 MB; the
 * function's cold start does not pay it unless a TFLite model is validated). An instance that
 * aborted is dropped, so the next call loads a fresh one and one bad model cannot break later loads.
 * How tfjs-tflite drives the same module: node_modules/@tensorflow/tfjs-tflite/dist/tf-tflite.node.js
 */
export function tfliteWasm(build: WasmBuild = DEFAULT_BUILD): Promise<TfliteWasm> {
  let pending = instances.get(build);
  if (!pending) {
    pending = instantiate(build);
    instances.set(build, pending);
    pending.catch(() => instances.delete(build));
  }
  return pending;
}

/** Marks an instance dead (abort or trap) so the next `tfliteWasm()` starts a new one. */
export function retireWasm(wasm: TfliteWasm, reason: string): void {
  wasm.aborted ??= reason;
  if (live.get(wasm.build) === wasm) {
    live.delete(wasm.build);
    instances.delete(wasm.build);
  }
}

async function instantiate(build: WasmBuild): Promise<TfliteWasm> {
  const base = join(wasmDirectory(), FILES[build]);
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = await readFile(`${base}.wasm`);
  } catch (error) {
    throw new Error(
      `${base}.wasm: cannot read the TFLite WebAssembly runtime (${(error as Error).message}); reinstall @tensorflow/tfjs-tflite`,
    );
  }
  const factoryModule = (await import(`${base}.js`)) as { default: (options: object) => Promise<TfliteWasmModule> };
  let log: string[] = [];
  const record = (line: string): void => {
    if (log.length < MAX_LOG_LINES) log.push(line);
  };
  const wasm: TfliteWasm = {
    module: undefined as unknown as TfliteWasmModule,
    build,
    aborted: null,
    takeLog() {
      const lines = log;
      log = [];
      return lines;
    },
  };
  const module = await factoryModule.default({
    wasmBinary,
    print: record,
    printErr: record,
    onAbort: (what: unknown) => retireWasm(wasm, `the TFLite runtime aborted (${String(what)})`),
  });
  (wasm as { module: TfliteWasmModule }).module = module;
  wasm.takeLog(); // the XNNPACK banner and other start-up chatter
  live.set(build, wasm);
  return wasm;
}
