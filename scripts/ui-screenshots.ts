/**
 * `npm run ui:screenshots [-- --serve]`: the demo's runs on a local stack, plus one run left waiting
 * for approval, shown by `ferry ui` in Debian's chromium; writes docs/ui-workflows.png (the
 * Workflows page) and docs/ui-run.png (the rejected v2: its failing gate in red). `--serve` takes
 * none: it serves the same page on http://127.0.0.1:8740/ until Ctrl-C, to look around by hand.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runDemo } from '../cli/demo/run-demo';
import { waitForRun } from '../cli/demo/wait-for-run';
import { awaitStopSignal } from '../cli/stop-signal';
import { startUiServer } from '../cli/ui/server/server';
import { writeExampleSavedModel } from '../functions/artifacts/savedmodel';
import { runIdFor } from '../functions/core/run/run-id';
import { launchChromium } from '../test/browser/chromium';

const DOCS = join(__dirname, '..', 'docs');
const quiet = { out: () => undefined, err: (text: string) => void process.stderr.write(`${text}\n`) };

/** Waits until the page has drawn the view (app.js marks main with it) and its data. */
async function shoot(page: Page, hash: string, file: string, ready: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.locator(`main[data-view="${hash}"] ${ready}`).first().waitFor();
  await page.waitForTimeout(300); // the chart's fonts and the last layout pass
  await page.screenshot({ path: join(DOCS, file), fullPage: true });
  process.stderr.write(`wrote docs/${file}\n`);
}

async function main(): Promise<void> {
  const serve = process.argv.includes('--serve');
  const stop = awaitStopSignal();
  process.stderr.write('running the demo on a local stack…\n');
  const { runs, stack } = await runDemo(quiet);
  try {
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    // One more flowers-reviewed version, left waiting for a person: the page shows its Approve button.
    const { Storage } = await import('@google-cloud/storage');
    const storage = new Storage({ apiEndpoint: stack.cloud.storage.url, projectId: stack.cloud.projectId });
    const root = 'models/flowers-reviewed/2/';
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await storage
        .bucket(stack.buckets.artifacts)
        .file(`${root}${path}`)
        .save(Buffer.from(bytes), { resumable: false });
    const waiting = runIdFor('flowers-reviewed', '2', stack.buckets.artifacts, root);
    await waitForRun(storage, stack.buckets.state, waiting, 60_000, (r) => r.state === 'awaiting-approval');

    const ui = await startUiServer({ port: serve ? 8740 : 0 });
    if (serve) {
      process.stderr.write(`ferry ui: ${ui.url} (Ctrl-C stops it and the stack)\n`);
      await stop.received;
    } else {
      const rejected = runs.find(({ run }) => run.workflow === 'flowers' && run.state === 'rejected')?.run;
      if (!rejected) throw new Error('the demo left no rejected flowers run to show');
      const browser = await launchChromium();
      try {
        mkdirSync(DOCS, { recursive: true });
        const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, colorScheme: 'light' });
        await page.goto(ui.url);
        await shoot(page, '#/', 'ui-workflows.png', '[data-testid="split-flowers"]');
        await shoot(page, `#/run/${rejected.runId}`, 'ui-run.png', '.gate.failed');
      } finally {
        await browser.close();
      }
    }
    await ui.close();
  } finally {
    await stack.stop();
    stop.stopped();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
