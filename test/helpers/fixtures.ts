import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `../shared/fixtures` beside the checkout: real artifacts made by TensorFlow (never copied in). */
export const SHARED_FIXTURES = resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

export const haveSharedFixtures = existsSync(SHARED_FIXTURES);

/** Absolute path of a shared fixture, e.g. `fixture('tflite/add4.tflite')`. */
export function fixture(relativePath: string): string {
  return join(SHARED_FIXTURES, relativePath);
}

/**
 * `describe` for suites that read `../shared/fixtures`. On a fresh clone without it the
 * suite announces that it is skipped; the project's generated artifacts cover the same paths.
 */
export function describeWithFixtures(name: string, body: () => void): void {
  if (haveSharedFixtures) {
    describe(name, body);
    return;
  }
  const skipped = describe.skip;
  console.warn(`[ferry tests] skipped "${name}": ${SHARED_FIXTURES} is not present`);
  skipped(name, body);
}
