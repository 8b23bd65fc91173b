import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { runDemo, type DemoResult } from '../../cli/demo/run-demo';
import { runCli } from '../../cli/run-cli';
import { TRIGGERS } from '../../emulators/local-stack';
import { captureIo } from '../helpers/capture-io';
import {
  googleEmulatorMissing,
  startGooglePubSubEmulator,
  type GooglePubSubEmulator,
} from '../helpers/google-pubsub-emulator';
import { demoOutcomeTests } from './demo-outcomes';

const MISSING = googleEmulatorMissing();
if (MISSING) console.warn(`skipping the demo on Google's Pub/Sub emulator: ${MISSING}`);

/**
 * What `npm start -- --pubsub=HOST:PORT` runs, on Google's own Pub/Sub emulator: the same runs
 * must end the same way as on ferry's, with the triggers created on Google's emulator.
 */
(MISSING ? describe.skip : describe)("the demo on Google's Pub/Sub emulator", () => {
  jest.setTimeout(240_000);
  let google: GooglePubSubEmulator;
  beforeAll(async () => {
    google = await startGooglePubSubEmulator('ferry-local');
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
  }, 120_000);
  afterAll(() => google?.stop());

  describe('runDemo with pubsubHost: the same outcomes as on ferry’s emulator', () => {
    let result: DemoResult;
    const io = captureIo();
    beforeAll(async () => {
      result = await runDemo(io, { deployDurationMs: 30 * 60_000, timeScale: 0.0005, pubsubHost: google.host });
    }, 120_000);
    afterAll(() => result?.stack.stop());

    it("started no Pub/Sub of its own and wired the triggers on Google's", async () => {
      expect(result.stack.cloud.pubsub).toBeUndefined();
      expect(result.stack.cloud.env.PUBSUB_EMULATOR_HOST).toBe(google.host);
      const client = new PubSub({ apiEndpoint: google.host, projectId: 'ferry-local' });
      try {
        const [subscriptions] = await client.getSubscriptions();
        const names = subscriptions.map((s) => s.name.split('/').pop());
        expect(names).toEqual(expect.arrayContaining(Object.values(TRIGGERS).map((fn) => `${fn}-trigger`)));
        const [registerModel] = await client.subscription('registerModel-trigger').getMetadata();
        expect(registerModel.deadLetterPolicy?.deadLetterTopic).toBe('projects/ferry-local/topics/ferry.dead-letter');
        expect(registerModel.pushConfig?.pushEndpoint).toBe(
          `${result.stack.functions.registerModel}projects/ferry-local/topics/ferry.savedmodel.ready`,
        );
      } finally {
        await client.close();
      }
    });

    demoOutcomeTests(() => ({ result, stdout: io.stdout }));
  });

  describe('`npm start -- --pubsub=HOST:PORT` (ferry demo), after a first stack used the same emulator', () => {
    it('ends every run as expected, with no dead letters, and exits 0', async () => {
      const io = captureIo();
      const code = await runCli(['demo', `--pubsub=${google.host}`], io);
      const text = io.stdout.join('\n');
      expect(text).toContain(`Pub/Sub ${google.host} (external)`);
      const summary = text.split('\nsummary\n')[1] ?? '';
      expect(summary.match(/^ {2}[✔✘] .*$/gm)?.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
        '✔ models/flowers/1/ promoted (expected promoted)',
        '✔ models/flowers/2/ rejected (expected rejected)',
        '✔ models/flowers/3/ promoted (expected promoted)',
        '✔ models/flowers-reviewed/1/ promoted (expected promoted)',
        '✔ models/flowers-staged/1/ in staging promoted (expected promoted)',
        '✔ models/flowers-staged/1/ in production promoted (expected promoted)',
        '✔ mobile/flowers/1/model.tflite published (expected published)',
        '✔ mobile/flowers/2/model.tflite rejected (expected rejected)',
        '✔ mobile/flowers-staged/1/model.tflite published (expected published)',
      ]);
      expect(summary).toMatch(/dead letters: 0/);
      expect(io.stderr).toEqual([]);
      expect(code).toBe(0);
    });
  });
});
