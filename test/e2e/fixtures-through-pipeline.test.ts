import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { dropArtifact } from '../../cli/stack/drop-artifact';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { runIdFor } from '../../functions/core/run/run-id';
import { fixture } from '../helpers/fixtures';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const golden = (lines: Array<[unknown, unknown]>) =>
  lines.map(([instance, expected]) => JSON.stringify({ instance, expected })).join('\n');

/** TensorFlow-made artifacts through the whole pipeline: the known answers from the fixtures README. */
describe('TensorFlow fixtures through the pipeline', () => {
  let stack: LocalStack;
  let storage: Storage;

  beforeAll(async () => {
    const dir = writeWorkflows(
      {
        tf1: savedModelWorkflow('tf1', 'goldenSet: golden/tf1.jsonl, minCandidateAnswers: 3'),
        tf2: savedModelWorkflow('tf2', 'goldenSet: golden/tf2.jsonl, minCandidateAnswers: 3'),
        hpt: 'name: hpt\nmatch: mobile/hpt/{version}/model.tflite\nartifact: tflite\nmobile: {modelName: half_plus_two}\nvalidation: {goldenSet: golden/hpt.jsonl}\n',
      },
      'ferry-fixture-workflows-',
    );
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    stack = await startLocalStack({ workflowsDir: dir, deployDurationMs: 60_000, timeScale: 0.001 });
    storage = stackStorage(stack);
    const put = (name: string, text: string) => putArtifact(storage, stack, name, text);
    await put(
      'golden/tf1.jsonl',
      golden([
        [{ x: [1] }, [2.5]],
        [{ x: [2] }, [3]],
        [{ x: [5] }, [4.5]],
      ]),
    );
    await put(
      'golden/tf2.jsonl',
      golden([
        [{ x: 1 }, 2.5],
        [{ x: 2 }, 3],
        [{ x: 5 }, 4.5],
      ]),
    );
    await put(
      'golden/hpt.jsonl',
      golden([
        [{ x: [1] }, [2.5]],
        [{ x: [3] }, [3.5]],
      ]),
    );
  }, 60_000);
  afterAll(() => stack?.stop());

  it.each([
    ['tf1', 'savedmodel/tf1_half_plus_two'],
    ['tf2', 'savedmodel/tf2_half_plus_two'],
  ])('promotes %s (%s) with the known answers', async (workflow, path) => {
    await dropArtifact(storage, stack.buckets.artifacts, fixture(path), `models/${workflow}/1/`);
    const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, workflow, '1'));
    expect(run.state).toBe('promoted');
    expect(run.decisions?.at(-1)?.candidate.matchRate).toBe(1);
  });

  it('publishes half_plus_two.tflite after running it in the TFLite runtime', async () => {
    await dropArtifact(
      storage,
      stack.buckets.artifacts,
      fixture('tflite/half_plus_two.tflite'),
      'mobile/hpt/1/model.tflite',
    );
    const run = await waitForRun(
      storage,
      stack.buckets.state,
      runIdFor('hpt', '1', stack.buckets.artifacts, 'mobile/hpt/1/model.tflite'),
    );
    expect(run.state).toBe('published');
    expect(run.mobile?.validation).toMatchObject({ examples: 2, matches: 2 });
  });

  it('refuses the custom-op TFLite model before any channel', async () => {
    await dropArtifact(
      storage,
      stack.buckets.artifacts,
      fixture('tflite/parse_example_custom_op.tflite'),
      'mobile/hpt/2/model.tflite',
    );
    const run = await waitForRun(
      storage,
      stack.buckets.state,
      runIdFor('hpt', '2', stack.buckets.artifacts, 'mobile/hpt/2/model.tflite'),
    );
    expect(run.state).toBe('rejected');
    expect(run.reason).toMatch(/custom op ParseExampleV2/);
    expect(stack.cloud.firebaseMl.models().filter((m) => (m.tags ?? []).includes('v2'))).toEqual([]);
  });
});
