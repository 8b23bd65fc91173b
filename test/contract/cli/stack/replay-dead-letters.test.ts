import { v1 } from '@google-cloud/pubsub';
import { runCli } from '../../../../cli/run-cli';
import { DEAD_LETTER_INBOX } from '../../../../emulators/stack-subscriptions';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { captureIo } from '../../../helpers/capture-io';
import {
  contractTargets,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
  type ContractHarness,
} from '../../emulators/pubsub/pubsub-test-kit';

const SOURCE = 'registerModel-trigger';

/**
 * `ferry replay` through the official client on ferry's and Google's Pub/Sub emulators: the source
 * topic is read from the source subscription's metadata (GetSubscription), the message goes back
 * with its own attributes only, and the letter leaves the inbox. The letter is published with the
 * attributes Pub/Sub adds when it dead-letters (real dead-lettering is covered on the stack by
 * test/e2e/cli-status-replay.test.ts).
 */
describe.each(contractTargets())('ferry replay on the %s Pub/Sub emulator', (target) => {
  let harness: ContractHarness;
  const saved = { host: process.env.PUBSUB_EMULATOR_HOST, project: process.env.FERRY_PROJECT };

  beforeAll(async () => {
    harness = await startContractHarness(target);
    process.env.PUBSUB_EMULATOR_HOST = harness.host;
    process.env.FERRY_PROJECT = PROJECT;
    const { pubsub } = harness;
    await pubsub.createTopic(TOPICS.deadLetter);
    await pubsub.createTopic(TOPICS.savedModelReady);
    await pubsub.topic(TOPICS.deadLetter).createSubscription(DEAD_LETTER_INBOX);
    await pubsub.topic(TOPICS.savedModelReady).createSubscription(SOURCE);
  }, 90_000);
  afterAll(async () => {
    await harness?.close();
    for (const [name, value] of [
      ['PUBSUB_EMULATOR_HOST', saved.host],
      ['FERRY_PROJECT', saved.project],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }, HARNESS_START_TIMEOUT_MS);

  const cli = async (...args: string[]) => {
    const io = captureIo();
    const code = await runCli(['replay', ...args], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };

  it('lists, then republishes to the source topic with the original attributes, once', async () => {
    const data = JSON.stringify({ runId: 'flowers-7-abc' });
    const id = await harness.pubsub.topic(TOPICS.deadLetter).publishMessage({
      data: Buffer.from(data),
      attributes: {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        CloudPubSubDeadLetterSourceDeliveryCount: '5',
        CloudPubSubDeadLetterSourceSubscription: SOURCE,
        CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
        CloudPubSubDeadLetterSourceTopicPublishTime: new Date().toISOString(),
      },
    });

    const listing = await cli();
    expect(listing.code).toBe(0);
    expect(listing.out).toContain(
      `${id}  ${SOURCE} (5 deliveries) → projects/${PROJECT}/topics/${TOPICS.savedModelReady}`,
    );

    expect(await cli(id)).toMatchObject({ code: 0, err: '' });
    const subscriber = new v1.SubscriberClient(harness.rawOptions);
    const [pulled] = await subscriber.pull({
      subscription: `projects/${PROJECT}/subscriptions/${SOURCE}`,
      maxMessages: 10,
    });
    await subscriber.close();
    expect(pulled.receivedMessages).toHaveLength(1);
    const message = pulled.receivedMessages![0].message!;
    expect(Buffer.from(message.data ?? '').toString()).toBe(data);
    expect(message.attributes).toEqual({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });

    const again = await cli(id);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`no parked dead letter ${id}`);
  });
});
