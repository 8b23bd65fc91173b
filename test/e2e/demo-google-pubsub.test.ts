import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { runCli } from '../../cli/run-cli';
import { TRIGGERS } from '../../emulators/local-stack';
import { captureIo } from '../helpers/capture-io';
import { externalPubsubMissing, startExternalPubsub, type ExternalPubsub } from '../helpers/external-pubsub';

const MISSING = externalPubsubMissing();
if (MISSING) console.warn(`skipping the demo on Google's Pub/Sub emulator: ${MISSING}`);

/**
 * What `npm start -- --pubsub=HOST:PORT` runs, on Google's own Pub/Sub emulator: the same runs
 * must end the same way as on ferry's, with the triggers created on Google's emulator.
 */
(MISSING ? describe.skip : describe)("the demo on Google's Pub/Sub emulator", () => {
  jest.setTimeout(240_000);
  let google: ExternalPubsub;
  const io = captureIo();
  let code: number;

  beforeAll(async () => {
    google = await startExternalPubsub('ferry-local');
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    code = await runCli(['demo', `--pubsub=${google.host}`], io);
  }, 240_000);
  afterAll(() => google?.stop());

  it('ends every run as expected, with no dead letters, and exits 0', () => {
    const summary = io.stdout.join('\n').split('\nsummary\n')[1] ?? '';
    expect(summary.match(/^ {2}[✔✘] .*$/gm)?.map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      '✔ models/flowers/1/ promoted (expected promoted)',
      '✔ models/flowers/2/ rejected (expected rejected)',
      '✔ models/flowers/3/ promoted (expected promoted)',
      '✔ mobile/flowers/1/model.tflite published (expected published)',
      '✔ mobile/flowers/2/model.tflite rejected (expected rejected)',
    ]);
    expect(summary).toMatch(/dead letters: 0/);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
  });

  it("ran on Google's emulator: it holds the trigger subscriptions, and ferry's was not started", async () => {
    expect(io.stdout.join('\n')).toContain(`Pub/Sub ${google.host} (external)`);
    const client = new PubSub({ apiEndpoint: google.host, projectId: 'ferry-local' });
    try {
      const [subscriptions] = await client.getSubscriptions();
      const names = subscriptions.map((s) => s.name.split('/').pop());
      expect(names).toEqual(expect.arrayContaining(Object.values(TRIGGERS).map((fn) => `${fn}-trigger`)));
      const [registerModel] = await client.subscription('registerModel-trigger').getMetadata();
      expect(registerModel.deadLetterPolicy?.deadLetterTopic).toBe('projects/ferry-local/topics/ferry.dead-letter');
      expect(registerModel.pushConfig?.pushEndpoint).toMatch(
        /\/projects\/ferry-local\/topics\/ferry\.savedmodel\.ready$/,
      );
    } finally {
      await client.close();
    }
  });
});
