import type { TfliteRunner } from '../pipeline/ports';

/**
 * Runs candidates with Google's TFLite runtime (WASM), loading it only when a mobile model arrives.
 * Each call loads its own model and frees it afterwards: two runs on one instance must never share
 * (or dispose) each other's model, and loading a model costs well under a millisecond.
 */
export class WasmTfliteRunner implements TfliteRunner {
  async predict(bytes: Uint8Array, instances: unknown[]): Promise<unknown[]> {
    const { loadTfliteModel } = await import('../runtime/tflite/load-tflite-model');
    const model = await loadTfliteModel(bytes);
    try {
      return await model.predict(instances);
    } finally {
      model.dispose();
    }
  }
}
