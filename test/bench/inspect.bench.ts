import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderFiles, memoryFiles } from '../../functions/artifacts/artifact-files';
import { inspectFile, inspectFolder } from '../../functions/artifacts/inspect-artifact';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { FIXTURES } from '../helpers/fixtures';
import { medianMs, type Bench, type BenchRow } from './harness';

/** Reading every file of an artifact, the least any inspection must do. */
async function readAll(dir: string): Promise<void> {
  const files = folderFiles(dir);
  for (const path of (await files.list()).keys()) await files.read(path);
}

/** `ferry inspect` on every TensorFlow-made fixture (and a generated 1,000-shard model), against reading its bytes alone. */
export const bench: Bench = {
  id: 'inspect',
  title: 'Inspecting artifacts (readers + checkpoint crc32c)',
  async run() {
    const rows: BenchRow[] = [];
    {
      const savedModels = join(FIXTURES, 'savedmodel');
      for (const name of readdirSync(savedModels).sort()) {
        const dir = join(savedModels, name);
        const baseline = await medianMs(() => readAll(dir), 9);
        rows.push({
          name: `inspect savedmodel/${name}`,
          value: await medianMs(() => inspectFolder(folderFiles(dir)), 9),
          unit: 'ms',
          baseline: { name: 'read files', value: baseline },
        });
      }
      const tflites = join(FIXTURES, 'tflite');
      for (const name of readdirSync(tflites).sort()) {
        const path = join(tflites, name);
        const baseline = await medianMs(() => readFileSync(path), 9);
        rows.push({
          name: `inspect tflite/${name}`,
          value: await medianMs(() => inspectFile(new Uint8Array(readFileSync(path)), path), 9),
          unit: 'ms',
          baseline: { name: 'read file', value: baseline },
        });
      }
    }
    const wide = writeExampleSavedModel({
      a: 0.5,
      b: 2,
      numShards: 1000,
      extraVariables: { count: 999, elements: 256 },
    });
    const bytes = Object.values(wide).reduce((sum, b) => sum + b.byteLength, 0);
    const inMemory = memoryFiles(wide, 'generated');
    rows.push({
      name: 'inspect generated SavedModel, 1,000 shards (in memory)',
      value: await medianMs(() => inspectFolder(inMemory), 5),
      unit: 'ms',
      baseline: {
        name: 'completeness only (--no-crc)',
        value: await medianMs(() => inspectFolder(inMemory, { verifyCrc: false }), 5),
      },
      detail: `${(bytes / 1e6).toFixed(1)} MB`,
    });
    return rows;
  },
};
