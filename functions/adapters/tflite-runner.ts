import type { TfliteRunner } from '../pipeline/ports';

/** Runs candidates with Google's TFLite runtime (WASM), loading it only when a mobile model arrives. */
export class WasmTfliteRunner implements TfliteRunner {
  private loaded?: { bytes: Uint8Array; model: import('../runtime/tflite/load-tflite-model').TfliteModel };

  async predict(bytes: Uint8Array, instances: unknown[]): Promise<unknown[]> {
    if (this.loaded?.bytes !== bytes) {
      this.loaded?.model.dispose();
      const { loadTfliteModel } = await import('../runtime/tflite/load-tflite-model');
      this.loaded = { bytes, model: await loadTfliteModel(bytes) };
    }
    return this.loaded.model.predict(instances);
  }
}
