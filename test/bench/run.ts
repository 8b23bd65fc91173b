/**
 * `npm run bench [-- ids...] [--json]`: runs every `test/bench/*.bench.ts` (or the named ones) and
 * prints each figure beside the baseline measured in the same run. `--json` prints JSON instead
 * and saves `bench/results/<date>.json` plus `bench/results/latest.md` (machine described).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench } from './harness';
import { describeMachine, formatValue, saveResults, type BenchResults } from './save-results';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const results: BenchResults['results'] = [];
  for (const file of files) {
    const { bench } = (await import(join(__dirname, file))) as { bench: Bench };
    if (wanted.length > 0 && !wanted.includes(bench.id)) continue;
    process.stderr.write(`bench ${bench.id}…\n`);
    if (!json) process.stdout.write(`\n## ${bench.title} (${bench.id})\n`);
    let rows;
    try {
      rows = await bench.run();
    } catch (error) {
      // One broken benchmark must not cost the figures of the others: record it and go on.
      const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 300) : String(error);
      process.stderr.write(`bench ${bench.id} failed: ${message}\n`);
      results.push({ bench: bench.id, title: bench.title, rows: [], error: message });
      process.exitCode = 1;
      continue;
    }
    results.push({ bench: bench.id, title: bench.title, rows });
    if (json) continue;
    for (const row of rows) {
      const base = row.baseline
        ? `  vs ${row.baseline.name} ${formatValue(row.baseline.value)} (×${formatValue(row.value / row.baseline.value)})`
        : '';
      process.stdout.write(
        `  ${row.name.padEnd(52)} ${formatValue(row.value).padStart(10)} ${row.unit}${base}${row.detail ? `  [${row.detail}]` : ''}\n`,
      );
    }
  }
  const machine = describeMachine();
  if (json) {
    const all: BenchResults = { machine, at: new Date().toISOString(), results };
    process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    for (const saved of saveResults(all)) process.stderr.write(`saved ${saved}\n`);
  } else process.stdout.write(`\nmachine: ${JSON.stringify(machine)}\n`);
}

main()
  .then(() => {
    // Benchmarks start servers and clients; whatever they leave open must not keep the run alive.
    process.exit(process.exitCode ?? 0);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
