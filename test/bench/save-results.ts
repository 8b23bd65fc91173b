import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchRow } from './harness';

export interface BenchResults {
  machine: Record<string, unknown>;
  at: string;
  /** `error`: the benchmark threw; its figures are missing from this run. */
  results: Array<{ bench: string; title: string; rows: BenchRow[]; error?: string }>;
}

/** The machine a run was measured on: figures mean little without it. */
export function describeMachine(): Record<string, unknown> {
  let commit: string | undefined;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    commit = undefined;
  }
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${release()}`,
    commit,
  };
}

export function formatValue(value: number): string {
  if (value >= 1000) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A markdown page of one run: the machine, then one table per benchmark with each figure beside its baseline. */
export function resultsMarkdown(results: BenchResults): string {
  const lines = [
    '# ferry benchmark results',
    '',
    `Measured ${results.at} with \`npm run bench -- --json\` on: ${Object.entries(results.machine)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(', ')}.`,
    'Each figure sits beside a baseline measured in the same run on the same machine, so the ratio is the figure to compare.',
    '',
  ];
  for (const { bench, title, rows, error } of results.results) {
    if (error) {
      lines.push(`## ${cell(title)} (\`${bench}\`)`, '', `**Failed in this run:** ${cell(error)}`, '');
      continue;
    }
    lines.push(
      `## ${cell(title)} (\`${bench}\`)`,
      '',
      '| figure | value | baseline | ratio | notes |',
      '|---|---:|---|---:|---|',
    );
    for (const row of rows) {
      const base = row.baseline ? `${cell(row.baseline.name)}: ${formatValue(row.baseline.value)}` : '';
      const ratio = row.baseline && row.baseline.value !== 0 ? `×${formatValue(row.value / row.baseline.value)}` : '';
      lines.push(
        `| ${cell(row.name)} | ${formatValue(row.value)} ${cell(row.unit)} | ${base} | ${ratio} | ${cell(row.detail ?? '')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes `bench/results/<date>.json` and `bench/results/latest.md` (the page the README links to). */
export function saveResults(results: BenchResults, root = join(__dirname, '..', '..')): string[] {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${results.at.slice(0, 10)}.json`);
  const markdown = join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(markdown, resultsMarkdown(results));
  return [json, markdown];
}
