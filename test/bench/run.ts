/**
 * `npm run bench [-- ids...] [--json]`: runs every `test/bench/*.bench.ts` (or the named ones) and
 * prints each figure beside the baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchRow } from './harness';

function format(value: number): string {
  if (value >= 1000) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort();
  const results: Array<{ bench: string; title: string; rows: BenchRow[] }> = [];
  for (const file of files) {
    const { bench } = (await import(join(__dirname, file))) as { bench: Bench };
    if (wanted.length > 0 && !wanted.includes(bench.id)) continue;
    if (!json) process.stdout.write(`\n## ${bench.title} (${bench.id})\n`);
    const rows = await bench.run();
    results.push({ bench: bench.id, title: bench.title, rows });
    if (json) continue;
    for (const row of rows) {
      const base = row.baseline ? `  vs ${row.baseline.name} ${format(row.baseline.value)} (×${format(row.value / row.baseline.value)})` : '';
      process.stdout.write(`  ${row.name.padEnd(56)} ${format(row.value).padStart(10)} ${row.unit}${base}${row.detail ? `  [${row.detail}]` : ''}\n`);
    }
  }
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), platform: process.platform };
  if (json) process.stdout.write(`${JSON.stringify({ machine, at: new Date().toISOString(), results }, null, 2)}\n`);
  else process.stdout.write(`\nmachine: ${JSON.stringify(machine)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
