/**
 * The shape every benchmark shares. A benchmark measures its subject and a baseline in the
 * same run so the ratio holds on a noisy machine; `npm run bench` prints them as a table.
 */
export interface BenchRow {
  /** What was measured, e.g. `inspect tf2_half_plus_two`. */
  name: string;
  value: number;
  unit: string;
  /** A figure measured in the same run to compare against, when there is a meaningful one. */
  baseline?: { name: string; value: number };
  /** Free text: sizes, counts, notes. */
  detail?: string;
}

export interface Bench {
  /** Short id used by `npm run bench -- <id>` to pick one. */
  id: string;
  title: string;
  run(): Promise<BenchRow[]>;
}

/** Milliseconds taken by `fn`, median of `repeats` runs after one warm-up. */
export async function medianMs(fn: () => unknown, repeats = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
