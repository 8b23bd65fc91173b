import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import type { Browser, Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../cli/ui/server/server';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { runIdFor } from '../../functions/core/run/run-id';
import type { RunState } from '../../functions/core/run/run-record';
import type { Gates } from '../../functions/core/workflow/types';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, stackStorage, writeWorkflows } from '../helpers/stack-io';
import { openUiPage } from './chromium';

/** Staging canaries at 50 % with looser gates; production at 10 % with the workflow's own. */
const STAGED = [
  'name: staged',
  'match: models/staged/{version}/',
  'artifact: savedmodel',
  'model: { displayName: staged }',
  'rollout: { canaryPercent: 10, steps: [100] }',
  'validation: { goldenSet: golden/staged.jsonl, minCandidateAnswers: 10, gates: { maxErrorRate: 0.05 } }',
  'environments:',
  '  - name: staging',
  '    endpoint: { displayName: staged-staging }',
  '    rollout: { canaryPercent: 50, steps: [100] }',
  '    gates: { maxErrorRate: 0.2 }',
  '  - name: production',
  '    endpoint: { displayName: staged-production }',
  '',
].join('\n');

interface History {
  workflow: string;
  environment?: string;
  environments?: string[];
  points: Array<{ split: Record<string, number> }>;
}

/**
 * `ferry ui` for a workflow with environments, on the local stack and in chromium: each run's
 * page judges with its own environment's gates, and each environment's endpoint has its own
 * history (they used to be one history mixing both endpoints' runs, drawn as production's).
 */
describe('ferry ui: a workflow with staging and production', () => {
  let stack: LocalStack;
  let storage: Storage;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;

  const productionId = (version: string) =>
    runIdFor('staged', version, stack.buckets.artifacts, `models/staged/${version}/`, 1, 'production');
  const reach = (runId: string, state: RunState) =>
    until(`${runId} ${state}`, async () =>
      (await readRun(storage, stack, runId))?.state === state ? true : undefined,
    );
  const get = async <T>(path: string) => {
    const response = await fetch(new URL(path, ui.url));
    return { status: response.status, body: (await response.json()) as T };
  };
  /** Every split a history drew, as `v1:50 v2:50`. */
  const splits = (history: History) =>
    history.points.map((p) =>
      Object.entries(p.split)
        .map(([version, percent]) => `${version}:${percent}`)
        .sort()
        .join(' '),
    );

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-ui-')), 'functions.log');
    stack = await startLocalStack({ workflowsDir: writeWorkflows({ staged: STAGED }), timeScale: 0.0005 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    await putArtifact(storage, stack, 'golden/staged.jsonl', exampleGoldenSet(0.5, 2), { createOnly: true });
    for (const version of ['1', '2']) {
      for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
        await putArtifact(storage, stack, `models/staged/${version}/${path}`, bytes, { createOnly: true });
      await reach(runIdOf(stack, 'staged', version), 'promoted');
      await reach(productionId(version), 'promoted');
    }
    ui = await startUiServer({ port: 0, pollMs: 100 });
    ({ browser, page } = await openUiPage(ui.url));
  }, 120_000);
  afterAll(async () => {
    delete process.env.FERRY_ARTIFACTS_BUCKET;
    await browser?.close();
    await ui?.close();
    await stack?.stop();
  }, 60_000);

  it("gives each run its own environment's gates", async () => {
    const staging = await get<{ gates: Gates }>(`/api/runs/${runIdOf(stack, 'staged', '2')}`);
    const production = await get<{ gates: Gates }>(`/api/runs/${productionId('2')}`);
    expect(staging.body.gates.maxErrorRate).toBe(0.2);
    expect(production.body.gates.maxErrorRate).toBe(0.05);
  });

  it("keeps each environment's endpoint history apart; production's by default", async () => {
    const production = await get<History>('/api/endpoints/staged/history');
    expect(production.status).toBe(200);
    expect(production.body).toMatchObject({ environment: 'production', environments: ['staging', 'production'] });
    const staging = await get<History>('/api/endpoints/staged/history?environment=staging');
    expect(staging.body.environment).toBe('staging');
    // v2's canary: 10 % in production, 50 % in staging; neither history holds the other's.
    expect(splits(production.body)).toContain('v1:90 v2:10');
    expect(splits(production.body)).not.toContain('v1:50 v2:50');
    expect(splits(staging.body)).toContain('v1:50 v2:50');
    expect(splits(staging.body)).not.toContain('v1:90 v2:10');
    for (const history of [production.body, staging.body]) expect(history.points.at(-1)?.split).toEqual({ v2: 100 });
    for (const [asked, shown] of [
      ['qa', 'qa'],
      ['', ''],
      ['STAGING', 'STAGING'],
      ['%2e%2e%2fstaging', '../staging'],
    ])
      expect(await get(`/api/endpoints/staged/history?environment=${asked}`)).toEqual({
        status: 404,
        body: { error: `staged has no environment "${shown}" (it lists staging, production)` },
      });
    // A workflow without environments has none to ask for.
    expect((await get<{ error: string }>('/api/endpoints/nobody/history?environment=staging')).status).toBe(404);
  });

  it('shows one endpoint history per environment, linked from the other', async () => {
    await page.evaluate(() => (location.hash = '#/endpoint/staged'));
    await page.getByRole('heading', { name: 'Endpoint history: staged (production)' }).waitFor();
    const environments = page.getByRole('navigation', { name: 'Environments' });
    expect(await environments.getByRole('link', { name: 'production' }).getAttribute('aria-current')).toBe('page');
    await environments.getByRole('link', { name: 'staging' }).click();
    await page.getByRole('heading', { name: 'Endpoint history: staged (staging)' }).waitFor();
    await page.locator('[data-testid="history-chart"] canvas').waitFor();
    expect(await page.locator('table.history').textContent()).toContain('v2 50');
  });
});
