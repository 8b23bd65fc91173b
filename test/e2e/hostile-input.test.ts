import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { peekDeadLetters } from '../../cli/stack/dead-letters';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { MAX_GOLDEN_BYTES, MAX_GOLDEN_EXAMPLES } from '../../functions/core/validation/golden-set';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

/** Hostile object names and oversized golden sets through onArtifact and validatePredictions, on the local stack. */
describe('hostile input on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;
  const model = Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 }));

  beforeAll(async () => {
    const dir = writeWorkflows(
      Object.fromEntries(
        ['hostile', 'bigbytes', 'manylines'].map((name) => [
          name,
          savedModelWorkflow(name, `goldenSet: golden/${name}.jsonl, minCandidateAnswers: 5`),
        ]),
      ),
      'ferry-hostile-',
    );
    process.env.FERRY_LOG_FILE = join(dir, 'functions.log');
    stack = await startLocalStack({ workflowsDir: dir, maxDeliveryAttempts: 5 });
    storage = stackStorage(stack);
    await put('golden/hostile.jsonl', exampleGoldenSet(0.5, 2));
  }, 60_000);
  afterAll(() => stack?.stop());

  const put = (name: string, contents: Uint8Array | string) => putArtifact(storage, stack, name, contents);
  const runsStored = async () =>
    (await storage.bucket(stack.buckets.state).getFiles({ prefix: 'runs/' }))[0].map((f) => f.name);

  /** Roots a whole SavedModel is uploaded under; none may start a run, crash a function or lose an event. */
  const HOSTILE: Array<[string, string]> = [
    ['a ".." segment climbing out of the version', 'models/hostile/1/../2/'],
    ['a "." segment', 'models/hostile/3/./'],
    ['".." inside the folder', 'models/hostile/4/variables/../'],
    ['a control character in the version', 'models/hostile/5\u0007/'],
    ['a newline in the version', 'models/hostile/5\n6/'],
    ['a unicode version', 'models/hostile/ünï/'],
    ['a right-to-left override', 'models/hostile/7\u202e/'],
    ['an empty version segment', 'models/hostile//'],
    ['a name past the 1,024-byte limit', `models/hostile/8/${'x/'.repeat(520)}`],
  ];

  it.each(HOSTILE)('starts no run for %s, and loses nothing', async (_what, root) => {
    const before = await runsStored();
    for (const [path, bytes] of model) {
      // GCS refuses some names itself (the emulator does as GCS does); whatever it takes reaches onArtifact.
      await put(`${root}${path}`, bytes).catch((error: { code?: number }) => expect(error.code).toBe(400));
    }
    await stack.cloud.storage.idle();
    expect(await runsStored()).toEqual(before);
    expect(stack.cloud.storage.deliveryStats().dropped).toBe(0);
    expect(stack.deadLetters()).toEqual([]);
  });

  it('parks malformed finalize events where `ferry status` shows them, and acks them', async () => {
    const events = [
      {
        bucket: stack.buckets.artifacts,
        name: 'models/hostile/9/saved_model.pb',
        generation: 'NaN',
        metageneration: '1',
        size: '1',
      },
      { bucket: stack.buckets.artifacts, name: 42, generation: '1', metageneration: '1', size: '1' },
      {
        bucket: stack.buckets.artifacts,
        name: 'models/hostile/9/x',
        generation: '1'.repeat(400),
        metageneration: '1',
        size: '-1',
      },
    ];
    for (const [i, data] of events.entries()) {
      const response = await fetch(stack.functions.onArtifact, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'ce-id': `hostile-${i}`,
          'ce-specversion': '1.0',
          'ce-type': 'google.cloud.storage.object.v1.finalized',
          'ce-source': `//storage.googleapis.com/projects/_/buckets/${stack.buckets.artifacts}`,
          'ce-time': new Date().toISOString(),
        },
        body: JSON.stringify(data),
      });
      expect(response.status).toBeLessThan(300);
    }
    const ours = () =>
      stack.deadLetters().filter((d) => String((d.data as { eventId?: string }).eventId).startsWith('hostile-'));
    await stack.settled(); // every event answered and every letter it parked delivered to the recorder
    const parked = ours().sort((a, b) =>
      String((a.data as { eventId: string }).eventId).localeCompare((b.data as { eventId: string }).eventId),
    );
    expect(parked.map((d) => (d.data as { error: string }).error)).toEqual([
      expect.stringMatching(/"generation" must be a decimal string/),
      expect.stringMatching(/"name" must be a string, got 42/),
      expect.stringMatching(/"generation" must be a decimal string/),
    ]);
    const shown = await peekDeadLetters(100);
    expect(shown.filter((d) => String((d.data as { eventId?: string }).eventId).startsWith('hostile-'))).toHaveLength(
      3,
    );
  });

  it.each([
    [
      'bigbytes',
      `above the ${MAX_GOLDEN_BYTES}-byte limit`,
      () => `${'{"instance": {"x": [1]}, "expected": [2.5]}\n'.repeat(Math.ceil((MAX_GOLDEN_BYTES + 1) / 42))}`,
    ],
    [
      'manylines',
      `more than ${MAX_GOLDEN_EXAMPLES} examples`,
      () => '{"instance":{"x":[1]},"expected":[2.5]}\n'.repeat(MAX_GOLDEN_EXAMPLES + 1),
    ],
  ])(
    'rejects an oversized golden set (%s) before deploying, naming the file',
    async (name, reason, golden) => {
      await put(`golden/${name}.jsonl`, golden());
      for (const [path, bytes] of model) await put(`models/${name}/1/${path}`, bytes);
      const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, name, '1'), 60_000);
      expect(run.state).toBe('rejected');
      expect(run.reason).toContain(`gs://ferry-artifacts/golden/${name}.jsonl`);
      expect(run.reason).toContain(reason);
      expect(
        stack.cloud.vertex.state().models.some((m) => m.versions.some((v) => v.labels.ferry_workflow === name)),
      ).toBe(false);
    },
    90_000,
  );

  it('still promotes a good artifact with an odd but legal version afterwards', async () => {
    const version = `Rc.1_final-${'9'.repeat(50)}`;
    for (const [path, bytes] of model) await put(`models/hostile/${version}/${path}`, bytes);
    const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, 'hostile', version), 60_000);
    expect(run.state).toBe('promoted');
    const labelled = stack.cloud.vertex
      .state()
      .models.flatMap((m) => m.versions)
      .find((v) => v.labels.ferry_run === run.runId);
    expect(labelled?.versionAliases).toEqual(expect.arrayContaining(['default', `vrc-1-final-${'9'.repeat(50)}`]));
  }, 90_000);
});
