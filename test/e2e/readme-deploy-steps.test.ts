import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { runCli } from '../../cli/run-cli';
import { writeStackConfig, type StackConfig } from '../../cli/stack/write-stack-config';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { runIdFor } from '../../functions/core/run/run-id';
import { findGcloud } from '../contract/emulators/storage/gcloud-cli';
import { captureIo } from '../helpers/capture-io';
import { deployStepCommands } from '../helpers/readme-deploy-steps';
import { stackStorage } from '../helpers/stack-io';

const exec = promisify(execFile);
const REPO = join(__dirname, '..', '..');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const GCLOUD = findGcloud();
if (!GCLOUD) console.warn("gcloud is not on PATH: skipping the README's Deploy steps 3 and 4 against the local stack.");
/** Each line starts gcloud (2–5 s idle, far more on a loaded runner) or `npm run ferry` (tsx). */
const LINE_TIMEOUT_MS = 120_000;

/**
 * The README's Deploy steps 3 to 5, read from README.md and run line by line with bash and the
 * real gcloud, in a terminal that has only the line `ferry up` prints exported: the runs they start
 * on the local stack must end promoted (SavedModel) and published (TFLite).
 */
(GCLOUD ? describe : describe.skip)("README's Deploy steps 3 to 5 against the local stack", () => {
  jest.setTimeout(10 * LINE_TIMEOUT_MS);
  let stack: LocalStack;
  let config: StackConfig;
  let work: string;
  const outputs: string[] = [];

  /** A terminal's environment: the user's own, without any stack or gcloud variable, plus the printed line. */
  const runLine = async (line: string): Promise<string> => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => !(name in config.env) && !name.startsWith('CLOUDSDK_') && !name.startsWith('FERRY_'),
      ),
    );
    try {
      const { stdout, stderr } = await exec('bash', ['-c', `${config.exportLine}\n${line}`], {
        cwd: work,
        env,
        timeout: LINE_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      });
      return `${stdout}\n${stderr}`;
    } catch (error) {
      const { stderr, message } = error as { stderr?: string; message: string };
      throw new Error(`README line failed: ${line}\n${message}\n${stderr ?? ''}`);
    }
  };

  beforeAll(async () => {
    // Inside the repository, as after step 2's `cd terraform`: `npm run ferry` finds package.json.
    mkdirSync(join(REPO, '.ferry'), { recursive: true });
    work = mkdtempSync(join(REPO, '.ferry', 'readme-steps-'));
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({ deployDurationMs: 60_000, timeScale: 0.001 });
    config = writeStackConfig(stack, join(work, '.ferry'));
    // The files step 3 names, as `ferry examples` writes them (y = 0.5x + 2, what the golden sets hold).
    expect(await runCli(['examples', join(work, 'ex')], captureIo())).toBe(0);
    mkdirSync(join(work, 'export'));
    renameSync(join(work, 'ex', 'savedmodel'), join(work, 'export', '7'));
    copyFileSync(join(work, 'ex', 'golden.jsonl'), join(work, 'golden.jsonl'));
    copyFileSync(join(work, 'ex', 'golden.jsonl'), join(work, 'mobile-golden.jsonl'));
    copyFileSync(join(work, 'ex', 'model.tflite'), join(work, 'model.tflite'));
    // Step 5's request.json, in the input of `ferry examples`' model.
    writeFileSync(join(work, 'request.json'), JSON.stringify({ instances: [{ x: [1] }, { x: [4] }] }));
    for (const line of deployStepCommands(README, 3)) outputs.push(await runLine(line));
  }, 10 * LINE_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const savedModelRun = () => runIdFor('flowers', '7', stack.buckets.artifacts, 'models/flowers/7/');
  const mobileRun = () => runIdFor('flowers-mobile', '7', stack.buckets.artifacts, 'mobile/flowers/7/model.tflite');

  it('starts runs that end promoted (SavedModel) and published (TFLite)', async () => {
    const storage = stackStorage(stack);
    const promoted = await waitForRun(storage, stack.buckets.state, savedModelRun());
    const published = await waitForRun(storage, stack.buckets.state, mobileRun());
    expect([promoted.state, published.state]).toEqual(['promoted', 'published']);
    expect(Object.keys(published.mobile?.channels ?? {}).sort()).toEqual(['firebaseMl', 'firebaseStorage']);
    expect(stack.deadLetters()).toEqual([]);
  });

  it("step 4 pulls the runs' events with gcloud and shows them with ferry status", async () => {
    await stack.settled();
    const [pull, ...rest] = deployStepCommands(README, 4);
    expect(pull).toMatch(/^gcloud pubsub subscriptions pull ferry-run-events-audit/);
    const events = await runLine(pull);
    for (const [runId, state] of [
      [savedModelRun(), 'promoted'],
      [mobileRun(), 'published'],
    ]) {
      expect(events).toContain(runId);
      expect(events).toMatch(new RegExp(`"runId":"${runId}"[^\\n]*"state":"${state}"`));
    }
    const status = (await Promise.all(rest.map(runLine))).join('\n');
    expect(status).toMatch(new RegExp(`${savedModelRun()} .*✔ promoted`));
    expect(status).toMatch(new RegExp(`${mobileRun()} .*✔ published`));
  });

  it('step 5 lists the endpoint, describes the promoted model and predicts with gcloud ai', async () => {
    await stack.settled();
    const [list, describeModel, predict] = deployStepCommands(README, 5);
    expect(await runLine(list)).toMatch(/^ferry-flowers +flowers$/m);
    const model = await runLine(describeModel);
    expect(model).toMatch(/^displayName: flowers$/m);
    expect(model).toMatch(/^- default$/m);
    expect(model).toContain('endpoint: projects/ferry-local/locations/us-central1/endpoints/ferry-flowers');
    // y = 0.5x + 2, served by the promoted SavedModel.
    expect(await runLine(predict)).toMatch(/^\[\[2\.5\], \[4(\.0)?\]\]$/m);
  });
});
