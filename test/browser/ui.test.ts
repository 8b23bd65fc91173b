import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import type { Browser, Locator, Page } from 'playwright-core';
import { startUiServer, type UiServer } from '../../cli/ui/server/server';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { deployedModelIdFor } from '../../functions/core/run/run-id';
import type { RunState } from '../../functions/core/run/run-record';
import { ferryCli } from '../helpers/ferry-cli';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';
import { openUiPage } from './chromium';

/**
 * `ferry ui` in a real browser (Debian's chromium through playwright-core) on the local stack,
 * checking what a person sees: the split bar is the endpoint's split, a rejected run shows its
 * failing gate in red with the numbers, Approve (after its confirmation) moves a waiting run to
 * promoted, a refused action shows the CLI's reason. One stack for the file: each costs seconds.
 */
describe('ferry ui in chromium', () => {
  let stack: LocalStack;
  let storage: Storage;
  let ui: UiServer;
  let browser: Browser;
  let page: Page;

  const drop = async (workflow: string, version: string, b = 2) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b, numShards: 1 })))
      await putArtifact(storage, stack, `models/${workflow}/${version}/${path}`, bytes, { createOnly: true });
    return runIdOf(stack, workflow, version);
  };
  const reach = (runId: string, state: RunState) =>
    until(`${runId} ${state}`, async () =>
      (await readRun(storage, stack, runId))?.state === state ? true : undefined,
    );
  const splitOf = (name: string) =>
    stack.cloud.vertex.state().endpoints.find((e) => e.displayName === name)!.trafficSplit;
  /** What the bar shows: version → percent, read from its segments. */
  const bar = async (locator: Locator) =>
    Object.fromEntries(
      await locator
        .locator('.seg')
        .evaluateAll((segs) =>
          segs.map((s) => [s.getAttribute('data-version'), Number(s.getAttribute('data-percent'))] as const),
        ),
    );
  const style = (locator: Locator, property: string) =>
    locator.evaluate(
      (el, name) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(el)[name],
      property,
    );
  const open = async (hash: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.locator(`main[data-view="${hash}"]`).waitFor();
  };

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-ui-')), 'functions.log');
    process.env.FERRY_OPERATOR = 'ana@ops';
    const workflows = writeWorkflows({
      plain: savedModelWorkflow('plain', 'goldenSet: golden/plain.jsonl, minCandidateAnswers: 10'),
      gated: savedModelWorkflow('gated', 'goldenSet: golden/gated.jsonl, minCandidateAnswers: 10').replace(
        'validation:',
        'approval: { before: promote, timeout: 24h }\nvalidation:',
      ),
    });
    stack = await startLocalStack({ workflowsDir: workflows, timeScale: 0.0005 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    for (const name of ['plain', 'gated'])
      await putArtifact(storage, stack, `golden/${name}.jsonl`, exampleGoldenSet(0.5, 2), { createOnly: true });
    // plain: v1 promoted, then v2 (answers off by one) rejected at its canary. gated: v1 approved
    // by the CLI, then v2 waiting for a person with 10 % of the traffic.
    const plain = (async () => {
      await reach(await drop('plain', '1'), 'promoted');
      await reach(await drop('plain', '2', 3), 'rejected');
    })();
    const g1 = await drop('gated', '1');
    await reach(g1, 'awaiting-approval');
    expect((await ferryCli('approve', g1)).code).toBe(0);
    await reach(g1, 'promoted');
    await reach(await drop('gated', '2'), 'awaiting-approval');
    await plain;
    ui = await startUiServer({ port: 0, pollMs: 100 });
    ({ browser, page } = await openUiPage(ui.url));
  }, 120_000);
  afterEach(async () => {
    // A test that failed with its confirmation open must not leave it over the next test's page.
    if (await page?.locator('dialog[open]').count()) await page.keyboard.press('Escape');
  });
  afterAll(async () => {
    delete process.env.FERRY_OPERATOR;
    delete process.env.FERRY_ARTIFACTS_BUCKET;
    await browser?.close();
    await ui?.close();
    await stack?.stop();
  }, 60_000);

  it('shows each endpoint’s split as a bar that matches the endpoint', async () => {
    // The endpoint's split in versions: ferry names each deployed model after its run.
    const versions = new Map(
      [
        ['gated', '1'],
        ['gated', '2'],
        ['plain', '1'],
        ['plain', '2'],
      ].map(([w, v]) => [deployedModelIdFor(runIdOf(stack, w, v)), v]),
    );
    const inVersions = (split: Record<string, number>) =>
      Object.fromEntries(Object.entries(split).map(([id, percent]) => [versions.get(id), percent]));
    expect(inVersions(splitOf('gated'))).toEqual({ '1': 90, '2': 10 });
    expect(await bar(page.getByTestId('split-gated'))).toEqual(inVersions(splitOf('gated')));
    expect(await bar(page.getByTestId('split-plain'))).toEqual(inVersions(splitOf('plain')));
    expect(await page.getByTestId('workflow-plain').locator('[data-state="rejected"]').count()).toBe(1);
  });

  it('shows a rejected run’s failing gate in red, with its numbers and threshold', async () => {
    await open(`#/run/${runIdOf(stack, 'plain', '2')}`);
    const failed = page.locator('.gate.failed');
    expect(await failed.count()).toBe(1);
    expect(await failed.getAttribute('data-gate')).toBe('match rate');
    const text = await failed.innerText();
    expect(text).toContain('✘ failed');
    expect(text).toMatch(/candidate\s+0\.0 %/);
    expect(text).toMatch(/incumbent\s+100\.0 %/);
    expect(text).toContain('threshold ≥ 100.0 %');
    expect(text).toContain('match rate 0.0 % is below 100.0 %');
    // Red (the page's --bad, #c62828): the border and the verdict; the gates that passed are not.
    expect(await style(failed, 'borderTopColor')).toBe('rgb(198, 40, 40)');
    expect(await style(failed.locator('.verdict'), 'color')).toBe('rgb(198, 40, 40)');
    expect(await style(page.locator('.gate.passed').first(), 'borderTopColor')).not.toBe('rgb(198, 40, 40)');
    expect(await page.getByTestId('mismatches').innerText()).toMatch(
      /golden line \d+: prediction\[0\]: expected [\d.]+ ± [\d.]+, got [\d.]+ for instance \{"x":\[[\d.]+\]\}/,
    );
  });

  it('moves a waiting run to promoted with Approve, after a confirmation that says what will happen', async () => {
    const g2 = runIdOf(stack, 'gated', '2');
    await open('#/');
    const row = page.getByTestId('workflow-gated');
    // Escape leaves the confirmation without doing anything.
    await row.getByRole('button', { name: 'Reject' }).click();
    await page.locator('dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    expect((await readRun(storage, stack, g2))?.state).toBe('awaiting-approval');

    await row.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.locator('dialog[open]');
    // Approving the canary steps it up to 100 % (validated there, then promoted).
    expect(await dialog.innerText()).toContain('v2 will step up to its next traffic step');
    await dialog.getByLabel('Reason').fill('looks right');
    expect(await dialog.locator('#confirm-cmd').innerText()).toBe(`ferry approve ${g2} --reason "looks right"`);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const result = page.getByTestId('action-result');
    await result.waitFor();
    expect(await result.innerText()).toContain(`run ${g2} approved by ana@ops`);
    await reach(g2, 'promoted');
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The page follows without a reload: v2 takes the whole endpoint, the approval is gone.
    await until(
      'the bar at v2 100 %',
      async () => JSON.stringify(await bar(row.getByTestId('split-gated'))) === '{"2":100}',
    );
    expect(splitOf('gated')).toEqual({ [deployedModelIdFor(g2)]: 100 });
    expect(await row.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  }, 60_000);

  it('shows why an action was refused', async () => {
    const g3 = await drop('gated', '3');
    await reach(g3, 'awaiting-approval');
    await open(`#/run/${g3}`);
    await page.getByTestId('run-actions').getByRole('button', { name: 'Approve' }).click();
    // Someone else rejects it in a terminal while the confirmation is open.
    expect((await ferryCli('reject', g3, '--reason', 'wrong data')).code).toBe(0);
    await reach(g3, 'rejected');
    await page.locator('dialog[open]').getByRole('button', { name: 'Confirm' }).click();
    const result = page.getByTestId('action-result');
    await result.waitFor();
    expect(await result.getAttribute('class')).toBe('refused');
    expect(await result.innerText()).toContain(
      `run ${g3} is rejected, not awaiting approval: there is nothing to approve`,
    );
    await page.keyboard.press('Escape');
  }, 60_000);

  it('reaches every page from the navigation, by keyboard too', async () => {
    await open('#/');
    await page.getByRole('link', { name: runIdOf(stack, 'plain', '1') }).click();
    await page.getByRole('heading', { name: /v1 of plain/ }).waitFor();
    await page.getByRole('link', { name: 'Endpoint history' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Endpoint history: / }).waitFor();
    await page.getByRole('link', { name: 'plain', exact: true }).click();
    await page.getByRole('heading', { name: 'Endpoint history: plain' }).waitFor();
    await page.locator('[data-testid="history-chart"] canvas').waitFor();
    await page.getByRole('link', { name: 'Mobile' }).click();
    await page.getByRole('heading', { name: 'Mobile releases' }).waitFor();
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('heading', { name: 'Workflows' }).waitFor();
  });
});
