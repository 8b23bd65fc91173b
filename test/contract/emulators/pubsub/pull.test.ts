import { v1 } from '@google-cloud/pubsub';
import { grpc } from 'google-gax';
import { startPubSubEmulator } from '../../../../emulators/pubsub';
import {
  ContractHarness,
  contractTargets,
  describeFerryOnly,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
} from './pubsub-test-kit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Unary Pull. Without `returnImmediately` (the default; the flag is deprecated) "the system will
 * wait (for a bounded amount of time) until at least one message is available, rather than
 * returning no messages" (PullRequest.return_immediately,
 * https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#pullrequest).
 * ferry's emulator answered empty at once until this; Google's emulator waits (about 90 s).
 */
describe.each(contractTargets())('Pull (%s emulator)', (targetName) => {
  let h: ContractHarness;
  let raw: v1.SubscriberClient;
  const subPath = (id: string) => `projects/${PROJECT}/subscriptions/${id}`;

  beforeAll(async () => {
    h = await startContractHarness(targetName);
    raw = new v1.SubscriberClient(h.rawOptions);
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(async () => {
    await raw.close();
    await h.close();
  });

  test('without returnImmediately it waits for a message published later, then answers with it', async () => {
    const [topic] = await h.pubsub.createTopic('long-poll');
    await topic.createSubscription('long-poll-sub');
    const started = Date.now();
    const pulled = raw.pull({ subscription: subPath('long-poll-sub'), maxMessages: 10 });
    await sleep(500);
    const id = await topic.publishMessage({ data: Buffer.from('worth the wait') });
    const [response] = await pulled;
    expect(response.receivedMessages?.map((r) => r.message?.messageId)).toEqual([id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  test('the REST pull waits the same way', async () => {
    const [topic] = await h.pubsub.createTopic('long-poll-rest');
    await topic.createSubscription('long-poll-rest-sub');
    const started = Date.now();
    const pulled = fetch(`http://${h.host}/v1/${subPath('long-poll-rest-sub')}:pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ maxMessages: 10 }),
    }).then((r) => r.json() as Promise<{ receivedMessages?: Array<{ message: { messageId: string } }> }>);
    await sleep(500);
    const id = await topic.publishMessage({ data: Buffer.from('over REST') });
    const body = await pulled;
    expect(body.receivedMessages?.map((r) => r.message.messageId)).toEqual([id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  test('with returnImmediately an empty subscription answers empty at once', async () => {
    const [topic] = await h.pubsub.createTopic('no-wait');
    await topic.createSubscription('no-wait-sub');
    const started = Date.now();
    const [response] = await raw.pull({
      subscription: subPath('no-wait-sub'),
      maxMessages: 10,
      returnImmediately: true,
    });
    expect(response.receivedMessages ?? []).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  // ferry's emulator lets the client's deadline end the call (DEADLINE_EXCEEDED) and drops the
  // waiter; Google's answers empty just before the deadline. Either way no message is lost.
  test('a waiting Pull whose deadline passes ends without taking a message with it', async () => {
    const [topic] = await h.pubsub.createTopic('gone-puller');
    await topic.createSubscription('gone-puller-sub');
    const ended = await raw
      .pull({ subscription: subPath('gone-puller-sub'), maxMessages: 10 }, { timeout: 300, retry: null })
      .then(
        ([r]) => r.receivedMessages ?? [],
        (e: { code?: number }) => e.code,
      );
    expect(ended).toEqual(targetName === 'ferry' ? grpc.status.DEADLINE_EXCEEDED : []);
    const id = await topic.publishMessage({ data: Buffer.from('for whoever is still there') });
    const [response] = await raw.pull({ subscription: subPath('gone-puller-sub'), maxMessages: 10 });
    expect(response.receivedMessages?.map((r) => r.message?.messageId)).toEqual([id]);
  });

  // Not documented either way: ferry answers NOT_FOUND at once, as a Pull on a missing
  // subscription gets (and as streams of a deleted subscription end); Google's emulator keeps the
  // call until just before its deadline (3 s here), then answers empty.
  test('a waiting Pull on a subscription that is deleted ends (ferry: at once, NOT_FOUND)', async () => {
    const timeout = targetName === 'ferry' ? 20_000 : 3_000;
    const [topic] = await h.pubsub.createTopic('deleted-under-pull');
    const [sub] = await topic.createSubscription('deleted-under-pull-sub');
    const started = Date.now();
    const pulled = raw.pull({ subscription: sub.name, maxMessages: 10 }, { timeout, retry: null }).then(
      ([r]) => r.receivedMessages ?? [],
      (e: { code?: number }) => e.code,
    );
    await sleep(300);
    await sub.delete();
    expect(await pulled).toEqual(targetName === 'ferry' ? grpc.status.NOT_FOUND : []);
    if (targetName === 'ferry') expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describeFerryOnly("Pull's bound and shutdown (Google's waits about 90 s and has no option)", () => {
  /** An emulator with one empty subscription, and a raw subscriber on it. */
  async function idle(pullWaitMs: number) {
    const emulator = await startPubSubEmulator({ pullWaitMs });
    const options = { servicePath: '127.0.0.1', port: emulator.port, sslCreds: grpc.credentials.createInsecure() };
    const client = new v1.SubscriberClient(options);
    const publisher = new v1.PublisherClient(options);
    await publisher.createTopic({ name: `projects/${PROJECT}/topics/idle` });
    await client.createSubscription({
      name: `projects/${PROJECT}/subscriptions/idle-sub`,
      topic: `projects/${PROJECT}/topics/idle`,
    });
    const pull = () =>
      client.pull({ subscription: `projects/${PROJECT}/subscriptions/idle-sub`, maxMessages: 1 }, { retry: null });
    const close = async () => {
      await client.close();
      await publisher.close();
      await emulator.stop();
    };
    return { emulator, pull, close };
  }

  test('an idle Pull answers empty once pullWaitMs has passed', async () => {
    const e = await idle(300);
    try {
      const started = Date.now();
      const [response] = await e.pull();
      const waited = Date.now() - started;
      expect(response.receivedMessages ?? []).toEqual([]);
      expect(waited).toBeGreaterThanOrEqual(280);
      expect(waited).toBeLessThan(3_000);
    } finally {
      await e.close();
    }
  });

  test('stop() releases a waiting Pull instead of waiting for its bound', async () => {
    const e = await idle(20_000);
    try {
      const waiting = e.pull().catch((err: unknown) => err);
      await sleep(200);
      const stopping = Date.now();
      await e.emulator.stop();
      await waiting;
      expect(Date.now() - stopping).toBeLessThan(2_000);
    } finally {
      await e.close();
    }
  });

  test('a bad pullWaitMs is refused', async () => {
    await expect(startPubSubEmulator({ pullWaitMs: -1 })).rejects.toThrow('pullWaitMs must be a number >= 0');
  });
});
