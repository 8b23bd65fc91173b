import type { ArtifactFiles } from '../artifacts/artifact-files';
import { detectFile, detectFolder } from '../artifacts/detect-format';

/** A model loaded by either runtime, answering TF Serving row-format predictions. */
export interface LocalModel {
  kind: 'savedmodel' | 'tflite';
  predict(instances: unknown[]): Promise<unknown[]>;
  dispose(): void;
}

/**
 * Loads an artifact with the runtime that fits it: a SavedModel folder with TensorFlow.js, a
 * TFLite file with Google's TFLite runtime (WebAssembly). Runtimes load on demand: each is heavy.
 */
export async function loadLocalModel(files: ArtifactFiles, options: { signature?: string } = {}): Promise<LocalModel> {
  const listing = await files.list();
  const single = listing.size === 1 && listing.has('');
  const detected = single
    ? detectFile(files.location, (await files.read('')).subarray(0, 16))
    : detectFolder(listing.keys());
  if (detected.kind === 'unsupported') throw new Error(`${files.location}: ${detected.format}; ${detected.advice}`);
  if (detected.kind === 'tflite') {
    const name = single ? '' : ([...listing.keys()].find((p) => p.endsWith('.tflite')) as string);
    const { loadTfliteModel } = await import('./tflite/load-tflite-model');
    const model = await loadTfliteModel(await files.read(name), {
      file: name ? `${files.location}/${name}` : files.location,
    });
    return { kind: 'tflite', predict: (instances) => model.predict(instances), dispose: () => model.dispose() };
  }
  const { loadSavedModel } = await import('./savedmodel');
  const model = await loadSavedModel(files, { signature: options.signature });
  return { kind: 'savedmodel', predict: (instances) => model.predict(instances), dispose: () => model.dispose() };
}
