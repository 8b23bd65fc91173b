import { PortError } from '../core/errors';
import type { TfliteRunner } from '../pipeline/ports';
import { NotRunnableError } from '../runtime/errors';

/**
 * Runs candidates with Google's TFLite runtime (WASM), loading it only when a mobile model arrives.
 * Each call loads its own model and frees it afterwards: two runs on one instance must never share
 * (or dispose) each other's model, and loading a model costs well under a millisecond. The
 * runtime's NotRunnableError becomes the port's `not-runnable`, with the same message.
 */
export class WasmTfliteRunner implements TfliteRunner {
  async predict(bytes: Uint8Array, instances: unknown[]): Promise<unknown[]> {
    try {
      const { loadTfliteModel } = await import('../runtime/tflite/load-tflite-model');
      const model = await loadTfliteModel(bytes);
      try {
        return await model.predict(instances);
      } finally {
        model.dispose();
      }
    } catch (error) {
      if (error instanceof NotRunnableError) throw new PortError('not-runnable', error.message, { cause: error });
      throw error;
    }
  }
}
