import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run-cli';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { captureIo } from '../helpers/capture-io';
import { putArtifact, stackStorage } from '../helpers/stack-io';

/** `ferry examples`, `plan`, `drop` and `status` against a running local stack, as a person uses them. */
describe('ferry drop, status and plan on the local stack', () => {
  let stack: LocalStack;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    stack = await startLocalStack({ deployDurationMs: 60_000, timeScale: 0.001 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    await putArtifact(stackStorage(stack), stack, 'golden/flowers.jsonl', exampleGoldenSet(0.5, 2));
    expect(await runCli(['examples', join(dir, 'ex')], captureIo())).toBe(0);
  }, 60_000);
  afterAll(() => stack?.stop());

  it('plans a first deployment against the empty endpoint, changing nothing', async () => {
    const io = captureIo();
    expect(await runCli(['plan', join(dir, 'ex', 'savedmodel'), 'models/flowers/5/'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/workflow flowers .* takes models\/flowers\/5\/ as version 5/);
    expect(text).toMatch(/endpoint "flowers": does not exist yet/);
    expect(text).toMatch(/deploy at 100 %/);
    expect(stack.cloud.vertex.state().endpoints).toEqual([]);
  });

  it('refuses to plan a path no workflow watches', async () => {
    const io = captureIo();
    expect(await runCli(['plan', join(dir, 'ex', 'savedmodel'), 'datasets/x/1/'], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/datasets\/x\/1\/: no workflow watches this path/);
  });

  it('drops an artifact and shows its timeline in status, then refuses to drop the same version again', async () => {
    const io = captureIo();
    expect(await runCli(['drop', join(dir, 'ex', 'savedmodel'), 'models/flowers/5/'], io)).toBe(0);
    let status = { runs: [] as Array<{ state: string; root: string }>, deadLetters: [] as unknown[] };
    for (let i = 0; i < 100 && !status.runs.some((r) => r.state === 'promoted'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const json = captureIo();
      expect(await runCli(['status', '--json'], json)).toBe(0);
      status = JSON.parse(json.stdout.join(''));
    }
    expect(status.runs).toEqual([expect.objectContaining({ root: 'models/flowers/5/', state: 'promoted' })]);
    expect(status.deadLetters).toEqual([]);
    const text = captureIo();
    await runCli(['status', 'flowers-5'], text);
    expect(text.stdout.join('\n')).toMatch(/✔ promoted[\s\S]*registered[\s\S]*decision at 100 %: pass/);
    const unknown = captureIo();
    expect(await runCli(['status', 'flowers-99'], unknown)).toBe(1);
    expect(unknown.stderr).toEqual([expect.stringMatching(/^no run matches flowers-99; latest runs: flowers-5/)]);
    const again = captureIo();
    expect(await runCli(['drop', join(dir, 'ex', 'savedmodel'), 'models/flowers/5/'], again)).toBe(1);
    expect(again.stderr[0]).toMatch(/exists already: artifact versions are immutable/);
  });

  it('plans a canary against the endpoint as it is now', async () => {
    const io = captureIo();
    expect(await runCli(['plan', join(dir, 'ex', 'savedmodel'), 'models/flowers/6/'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/deploy at 10 % \(split \{"0":10,"\d+":90\}/);
  });

  it('checks workflow files and names a bad field', async () => {
    const ok = captureIo();
    expect(await runCli(['workflows', 'check'], ok)).toBe(0);
    expect(ok.stdout.at(-1)).toMatch(/workflow\(s\) valid/);
    const badDir = mkdtempSync(join(tmpdir(), 'ferry-bad-workflows-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(badDir, 'x.yaml'),
      'name: x\nmatch: models/x/{version}/\nartifact: savedmodel\nmodel: {displayName: x}\nendpoint: {displayName: x}\nvalidation: {goldenSet: g.jsonl}\nrollout: {canaryPercent: 0}\n',
    );
    const bad = captureIo();
    expect(await runCli(['workflows', 'check', badDir], bad)).toBe(1);
    expect(bad.stderr[0]).toMatch(/x\.yaml: rollout\.canaryPercent: must be >= 1/);
  });
});
