import { folderFiles, type ArtifactFiles } from '../../functions/artifacts/artifact-files';
import { loadSavedModel } from '../../functions/runtime/savedmodel/load-saved-model';
import { fixture } from '../helpers/fixtures';
import { Bench, BenchRow, medianMs } from './harness';

const INSTANCES = 10_000;

/** tf2_half_plus_two (y = 0.5x + 2), made by TensorFlow. */
function subject(): { name: string; files: ArtifactFiles } {
  return { name: 'tf2_half_plus_two', files: folderFiles(fixture('savedmodel/tf2_half_plus_two')) };
}

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

export const bench: Bench = {
  id: 'savedmodel-runtime',
  title: 'SavedModel runtime (frozen graph on TensorFlow.js CPU): load, predictions/s, memory',
  async run() {
    const { name, files } = subject();
    const rssBefore = maxRssMb();
    const xs = Array.from({ length: INSTANCES }, (_, i) => (i % 100) / 10);
    const coldStart = process.hrtime.bigint();
    (await loadSavedModel(files)).dispose();
    const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
    const loadMs = await medianMs(async () => (await loadSavedModel(files)).dispose(), 10);
    const runner = await loadSavedModel(files);
    const rows: BenchRow[] = [];
    try {
      const check = (await runner.predict([1, 2, 5])) as number[];
      if (Math.abs(check[2] - 4.5) > 1e-5) throw new Error(`${name} predicted ${JSON.stringify(check)}`);
      const batchedMs = await medianMs(() => runner.predict(xs), 5);
      const plainMs = await medianMs(() => xs.map((x) => 0.5 * x + 2), 20);
      const single = xs.slice(0, 500);
      const unbatchedMs = await medianMs(async () => {
        for (const x of single) await runner.predict([x]);
      }, 3);
      rows.push(
        {
          name: `first load ${name}`,
          value: coldMs,
          unit: 'ms',
          detail: 'includes TensorFlow.js backend and protobuf schema set-up (modules already imported)',
        },
        {
          name: `load ${name}`,
          value: loadMs,
          unit: 'ms',
          detail: 'decode saved_model.pb, freeze, restore checkpoint, build tfjs GraphModel (warm process)',
        },
        {
          name: `predict ${INSTANCES} instances (batches of 1024)`,
          value: INSTANCES / (batchedMs / 1000),
          unit: 'instances/s',
          baseline: { name: 'plain JS 0.5x + 2 over the same numbers', value: INSTANCES / (plainMs / 1000) },
          detail: `${batchedMs.toFixed(1)} ms per request, incl. instance parsing and row formatting`,
        },
        {
          name: 'predict one instance per call',
          value: single.length / (unbatchedMs / 1000),
          unit: 'instances/s',
          detail: `${single.length} sequential calls`,
        },
        {
          name: 'peak RSS after load + predict',
          value: maxRssMb(),
          unit: 'MB',
          baseline: { name: 'peak RSS before loading', value: rssBefore },
          detail: 'process-wide maxRSS (includes earlier benches when run together)',
        },
      );
    } finally {
      runner.dispose();
    }
    return rows;
  },
};
