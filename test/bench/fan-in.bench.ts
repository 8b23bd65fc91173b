import { seededRandom } from '../../emulators/random';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import type { Bench, BenchRow } from './harness';
import { savedModelWorkflow, seconds, startBenchStack, type BenchStack } from './pipeline-stack';

const SIZES = [10, 1000];

interface FanIn {
  files: number;
  eventsPerS: number;
  /** Storage `objects.list` calls (pages) and listings (first pages) from the first upload until the run started. */
  listCalls: number;
  listings: number;
  baselineEventsPerS: number;
}

/** A SavedModel of `shards` shards, uploaded in random order; then the same files under an unwatched prefix. */
async function fanIn(bench: BenchStack, shards: number): Promise<FanIn> {
  const files = Object.entries(
    writeExampleSavedModel({ a: 0.5, b: 2, numShards: shards, extraVariables: { count: shards - 1, elements: 1 } }),
  );
  const random = seededRandom(shards);
  files.sort(() => random() - 0.5);
  const { stack } = bench;
  await stack.cloud.storage.idle();
  let start = process.hrtime.bigint();
  await bench.putAll(
    'unwatched/',
    files.map(([path, bytes]) => [`${shards}/${path}`, bytes]),
  );
  await stack.cloud.storage.idle();
  const baselineEventsPerS = files.length / seconds(start);

  const root = `models/fanin/${shards}/`;
  const runId = runIdFor('fanin', String(shards), stack.buckets.artifacts, root);
  stack.resetStorageCalls();
  start = process.hrtime.bigint();
  await bench.putAll(root, files);
  await bench.waitForRun(runId, 'exists');
  const eventsPerS = files.length / seconds(start);
  const calls = stack.storageCalls();
  const listCalls = calls['objects.list'] ?? 0;
  const listings = listCalls - (calls['objects.list:next-page'] ?? 0);
  const run = await bench.waitForRun(runId, 'terminal');
  if (run.state !== 'promoted') throw new Error(`fan-in ${shards}: run ended ${run.state}: ${run.reason}`);
  return { files: files.length, eventsPerS, listCalls, listings, baselineEventsPerS };
}

export const bench: Bench = {
  id: 'fan-in',
  title: 'Fan-in: a multi-file SavedModel uploaded in random order becomes one run (onArtifact completeness)',
  async run(): Promise<BenchRow[]> {
    const bench = await startBenchStack({ fanin: savedModelWorkflow('fanin', 'golden/fanin.jsonl') });
    try {
      await bench.put('golden/fanin.jsonl', exampleGoldenSet(0.5, 2));
      const results: FanIn[] = [];
      for (const shards of SIZES) results.push(await fanIn(bench, shards));
      const [few, many] = results;
      return [
        ...results.map((r, i) => ({
          name: `finalize events/s, ${SIZES[i]} shards (${r.files} files) → one run`,
          value: r.eventsPerS,
          unit: 'events/s',
          baseline: { name: 'same uploads to an unwatched prefix', value: r.baselineEventsPerS },
          detail: '8 uploads in flight; until the run record exists',
        })),
        {
          name: `folder listings per artifact, ${SIZES[1]} shards`,
          value: many.listings,
          unit: 'listings',
          baseline: { name: `${SIZES[0]} shards`, value: few.listings },
          detail: 'objects.list first pages; target: constant in shards',
        },
        {
          name: `Storage objects.list calls per artifact, ${SIZES[1]} shards`,
          value: many.listCalls,
          unit: 'calls',
          baseline: { name: `${SIZES[0]} shards`, value: few.listCalls },
          detail: 'every page counted on the wire (diagnostics_channel); GCS pages hold 1,000 objects',
        },
      ];
    } finally {
      await bench.stack.stop();
    }
  },
};
