import type { Browser } from 'playwright-core';
import { buildOverview } from '../../cli/ui/server/overview';
import { startUiServer } from '../../cli/ui/server/server';
import type { UiState } from '../../cli/ui/server/ui-state';
import { deployedModelIdFor } from '../../functions/core/run/run-id';
import type { RunRecord, RunState } from '../../functions/core/run/run-record';
import type { EndpointInfo } from '../../functions/pipeline/ports';
import { launchChromium } from '../browser/chromium';
import type { Bench, BenchRow } from './harness';

const WORKFLOWS = ['flowers', 'flowers-reviewed', 'fraud', 'churn', 'ranking'];
const LOADS = 7;

/** A run record shaped as the pipeline writes one: six timeline entries and a gate decision. */
function runRecord(workflow: string, n: number, state: RunState): RunRecord {
  const runId = `${workflow}-${n}-0123456789`;
  const t0 = Date.UTC(2026, 10, 30, 8, 0, 0) + n * 60_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const id = deployedModelIdFor(runId);
  const passed = state !== 'rejected';
  const states: RunState[] = ['checked', 'registered', 'deploying', 'deployed', 'promoting', state];
  return {
    runId,
    workflow,
    kind: 'savedmodel',
    bucket: 'ferry-artifacts',
    root: `models/${workflow}/${n}/`,
    version: String(n),
    state,
    step: 0,
    ...(state === 'promoted' || state === 'rejected' ? { outcome: state } : {}),
    createdAt: at(0),
    updatedAt: at(40),
    timeline: states.map((s, i) => ({ state: s, at: at(i * 8), detail: `${s}: a line a person reads, with numbers` })),
    model: {
      name: 'projects/p/locations/us-central1/models/1',
      versionId: String(n),
      versionName: `projects/p/locations/us-central1/models/1@${n}`,
      servingImage: 'tf-cpu.2-15',
    },
    deployment: { deployedModelId: id, previousSplit: { '1000000001': 100 }, split: { '1000000001': 90, [id]: 10 } },
    decisions: [
      {
        passed,
        reasons: passed
          ? []
          : ['match rate 0.0 % is below 99.0 % (first mismatch: golden line 1: expected 0.5, got 1.5)'],
        candidate: { deployedModelId: id, requests: 7, answers: 22, matchRate: passed ? 1 : 0, p95LatencyMs: 13.5 },
        incumbent: { deployedModelId: '1000000001', requests: 49, answers: 166, matchRate: 1, p95LatencyMs: 8.4 },
        requests: 56,
        failedRequests: 0,
        errorRate: 0,
        transportErrors: 0,
        step: -1,
        trafficPercent: 10,
      },
    ],
  };
}

/** `count` runs over five workflows, newest first ending the way most runs do. */
function state(count: number): UiState {
  const runs = Array.from({ length: count }, (_, n) =>
    runRecord(WORKFLOWS[n % WORKFLOWS.length], n + 1, n % 7 === 3 ? 'rejected' : 'promoted'),
  );
  const endpoint = (workflow: string): EndpointInfo | undefined => {
    const last = runs.filter((r) => r.workflow === workflow && r.state === 'promoted').at(-1);
    if (!last) return undefined;
    const id = last.deployment!.deployedModelId;
    return { name: `endpoints/${workflow}`, trafficSplit: { [id]: 100 }, deployedModels: [] };
  };
  return {
    source: 'local',
    runs: async () => runs,
    run: async (runId) => runs.find((r) => r.runId === runId),
    endpoint: async (workflow) => endpoint(workflow),
    overview: async () =>
      buildOverview({
        source: 'local',
        now: new Date(),
        workflows: WORKFLOWS.map((name) => ({ name, artifact: 'savedmodel', endpoint: { displayName: name } })),
        runs,
        endpoints: Object.fromEntries(WORKFLOWS.map((w) => [w, endpoint(w)])),
        defaultHolders: {},
        deadLetters: 0,
        waitingForFiles: [],
      }),
    close: async () => undefined,
  };
}

/**
 * Median over fresh page loads of the Workflows page: first contentful paint, and the first view
 * drawn with its data (app.js marks `ferry:first-view`), both from navigation start.
 */
async function firstPaint(browser: Browser, url: string): Promise<{ fcp: number; view: number; rows: number }> {
  const samples: Array<{ fcp: number; view: number; rows: number }> = [];
  for (let i = 0; i < LOADS; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.locator('main[data-view="#/"]').waitFor();
    samples.push(
      await page.evaluate(() => {
        const perf = (
          globalThis as unknown as { performance: { getEntriesByName(n: string): Array<{ startTime: number }> } }
        ).performance;
        return {
          fcp: perf.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
          view: perf.getEntriesByName('ferry:first-view')[0]?.startTime ?? NaN,
          rows: 0,
        };
      }),
    );
    samples[i].rows = await page.locator('table.runs tbody tr').count();
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    fcp: median(samples.map((s) => s.fcp)),
    view: median(samples.map((s) => s.view)),
    rows: samples[0].rows,
  };
}

export const bench: Bench = {
  id: 'ui-first-paint',
  title: 'ferry ui: first paint of the Workflows page in chromium, 50 runs vs none (median of 7 fresh loads)',
  async run(): Promise<BenchRow[]> {
    const browser = await launchChromium();
    const rows: BenchRow[] = [];
    try {
      const measured: Record<number, { fcp: number; view: number; rows: number }> = {};
      for (const count of [0, 50]) {
        const ui = await startUiServer({ port: 0, state: state(count) });
        try {
          measured[count] = await firstPaint(browser, ui.url);
        } finally {
          await ui.close();
        }
      }
      if (measured[50].rows !== 50) throw new Error(`the page listed ${measured[50].rows} runs, not 50`);
      rows.push({
        name: 'Workflows page drawn with 50 runs',
        value: measured[50].view,
        unit: 'ms',
        baseline: { name: 'with no run', value: measured[0].view },
        detail: `first contentful paint ${measured[50].fcp.toFixed(0)} ms; budget 1000 ms`,
      });
      return rows;
    } finally {
      await browser.close();
    }
  },
};
