import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run-cli';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { captureIo } from '../helpers/capture-io';
import { stackStorage } from '../helpers/stack-io';

/**
 * `ferry drop` refuses what would start nothing or burn a version, and `ferry plan` says so first:
 * a path no workflow watches, a model whose golden set is missing. Ordered: the golden set is
 * uploaded halfway through, as a new user would after reading the refusal.
 */
describe('ferry drop and plan refuse what would start nothing or burn a version', () => {
  let stack: LocalStack;
  const dir = mkdtempSync(join(tmpdir(), 'ferry-drop-refusals-'));
  const model = join(dir, 'ex', 'savedmodel');
  const ferry = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(args, io);
    return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
  };
  const objects = async (prefix: string) =>
    (await stackStorage(stack).bucket(stack.buckets.artifacts).getFiles({ prefix }))[0].map((f) => f.name);

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    stack = await startLocalStack({ deployDurationMs: 60_000, timeScale: 0.001 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    expect((await ferry('examples', join(dir, 'ex'))).code).toBe(0);
  }, 60_000);
  afterAll(() => stack?.stop());

  it('refuses a model whose golden set is missing, uploading nothing, and plan says it would be rejected', async () => {
    const dropped = await ferry('drop', model, 'models/flowers/7/');
    expect(dropped.stderr).toMatch(
      /^gs:\/\/ferry-artifacts\/golden\/flowers\.jsonl: golden set not found \(.*flowers\.yaml, validation\.goldenSet\).*--force uploads anyway \(the run would be rejected and its version burnt\)\.$/,
    );
    expect(dropped.code).toBe(1);
    expect(await objects('models/flowers/7/')).toEqual([]);
    const planned = await ferry('plan', model, 'models/flowers/7/');
    expect(planned.stderr).toMatch(
      /gs:\/\/ferry-artifacts\/golden\/flowers\.jsonl: golden set not found .*: the run would be rejected and its version burnt$/,
    );
    expect(planned.code).toBe(1);
  });

  it('refuses a folder without the ./golden.jsonl its workflow (flowers-nightly) expects beside the model', async () => {
    const dropped = await ferry('drop', model, 'training/flowers-nightly/1/model/');
    expect(dropped.stderr).toContain(`${join(model, 'golden.jsonl')}: golden set not found`);
    expect(dropped.code).toBe(1);
    expect(await objects('training/')).toEqual([]);
  });

  it('refuses a path no workflow watches, naming the nearest; --force uploads it and says it starts nothing', async () => {
    const refused = await ferry('drop', model, 'model/flowers/7/');
    expect(refused.stderr).toMatch(
      /^model\/flowers\/7\/: no workflow watches this path, so no run would start; nearest: workflow flowers \(.*\) watches models\/flowers\/\{version\}\/\. Drop it there, or add --force/,
    );
    expect(refused.code).toBe(1);
    expect(await objects('model/')).toEqual([]);
    const forced = await ferry('drop', model, 'model/flowers/7/', '--force');
    expect(forced.stdout).toMatch(/no workflow watches this path: it starts no run/);
    expect(forced.code).toBe(0);
    expect((await objects('model/flowers/7/')).length).toBeGreaterThan(0);
  });

  it('drops the golden set saying it starts no run; then plan is clean and no run has started', async () => {
    const dropped = await ferry('drop', join(dir, 'ex', 'golden.jsonl'), 'golden/flowers.jsonl');
    expect(dropped.stdout).toMatch(
      /the golden set of flowers-reviewed \(models\/flowers-reviewed\/\{version\}\/\), flowers-staged \(models\/flowers-staged\/\{version\}\/\), flowers \(models\/flowers\/\{version\}\/\): it starts no run; their next runs use it/,
    );
    expect(dropped.code).toBe(0);
    const planned = await ferry('plan', model, 'models/flowers/7/');
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    await stack.settled();
    const status = await ferry('status', '--json');
    expect(JSON.parse(status.stdout).runs).toEqual([]);
  });

  it('uploads a folder without its ./golden.jsonl under --force, warning that no run starts until it lands', async () => {
    const forced = await ferry('drop', model, 'training/flowers-nightly/2/model/', '--force');
    expect(forced.stderr).toMatch(
      /^warning: .*golden\.jsonl: golden set not found .*; uploading anyway \(--force\): no run starts until it is uploaded beside the model$/,
    );
    expect(forced.stdout).toMatch(/workflow flowers-nightly takes it as version 2/);
    expect(forced.code).toBe(0);
    expect(await objects('training/flowers-nightly/2/model/saved_model.pb')).toHaveLength(1);
    await stack.settled();
    expect(JSON.parse((await ferry('status', '--json')).stdout).runs).toEqual([]);
  });
});
