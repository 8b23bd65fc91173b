import { join, resolve } from 'node:path';

/**
 * `test/fixtures`: real artifacts made by TensorFlow (TF Serving, TensorFlow.js and MediaPipe
 * test data, Apache License 2.0), vendored with their origins and known answers in its README.
 */
export const FIXTURES = resolve(__dirname, '..', 'fixtures');

/** Absolute path of a fixture, e.g. `fixture('tflite/add4.tflite')`. */
export function fixture(relativePath: string): string {
  return join(FIXTURES, relativePath);
}
