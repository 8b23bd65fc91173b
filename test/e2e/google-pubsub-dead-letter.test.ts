import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForRun } from '../../cli/demo/wait-for-run';
import { ownPubsub } from '../../emulators/local-cloud';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import {
  googleEmulatorMissing,
  startGooglePubSubEmulator,
  type GooglePubSubEmulator,
} from '../helpers/google-pubsub-emulator';
import { until } from '../helpers/until';
import { putArtifact, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const MISSING = googleEmulatorMissing();
if (MISSING) console.warn(`skipping dead-lettering on Google's Pub/Sub emulator: ${MISSING}`);
const UNAVAILABLE = 14;
const WORKFLOW = 'gdl';
/** Google's emulator retries a failing push on its own clock: 5 attempts took 81 s here. */
const DEAD_LETTER_WITHIN_MS = 200_000;

/**
 * The stack's dead-letter policy on Google's emulator: a stage that keeps failing (Vertex
 * UploadModel unavailable) is dead-lettered after 5 attempts, the stack sees the letter through
 * its recorder subscription, and onDeadLetter ends the run failed with its id.
 */
(MISSING ? describe.skip : describe)("a dead-lettered stage message on Google's Pub/Sub emulator", () => {
  let google: GooglePubSubEmulator;
  let stack: LocalStack;

  beforeAll(async () => {
    google = await startGooglePubSubEmulator('ferry-gdl');
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack({
      projectId: 'ferry-gdl',
      pubsubHost: google.host,
      workflowsDir: writeWorkflows({ [WORKFLOW]: savedModelWorkflow(WORKFLOW, `goldenSet: golden/${WORKFLOW}.jsonl`) }),
      maxDeliveryAttempts: 5,
    });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await google?.stop();
  });

  it('names what needs ferry’s own emulator instead of pretending', async () => {
    expect(() => ownPubsub(stack.cloud)).toThrow(`the external one at ${google.host}`);
    await expect(stack.settled()).rejects.toThrow(/an external one \(pubsubHost\) does not show it/);
  });

  it(
    'ends the run failed with the forwarded dead letter, which names its source subscription',
    async () => {
      const storage = stackStorage(stack);
      await putArtifact(storage, stack, `golden/${WORKFLOW}.jsonl`, exampleGoldenSet(0.5, 2));
      stack.cloud.vertex.faults.failNext('UploadModel', 100_000, UNAVAILABLE, 'The service is currently unavailable.');
      for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
        await putArtifact(storage, stack, `models/${WORKFLOW}/1/${path}`, bytes);
      const run = await waitForRun(storage, stack.buckets.state, runIdOf(stack, WORKFLOW, '1'), DEAD_LETTER_WITHIN_MS);
      // onDeadLetter and the stack's recorder are two push subscriptions on ferry.dead-letter, which
      // Google's emulator serves each on its own time: the run can end before the recorder has its copy.
      const letters = await until("the recorder's copy of the dead letter", () =>
        stack.deadLetters().length > 0 ? stack.deadLetters() : undefined,
      );
      expect(letters).toEqual([
        expect.objectContaining({
          source: 'registerModel-trigger',
          attributes: expect.objectContaining({ CloudPubSubDeadLetterSourceDeliveryCount: '5' }),
        }),
      ]);
      expect(run).toMatchObject({ state: 'failed', outcome: 'failed' });
      expect(run.reason).toMatch(/dead letter/);
    },
    DEAD_LETTER_WITHIN_MS + 30_000,
  );
});
