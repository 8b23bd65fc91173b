import { Message, Subscription, v1 } from '@google-cloud/pubsub';
import { grpc } from 'google-gax';
import {
  ContractHarness,
  contractTargets,
  ferryOf,
  itOn,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
  waitFor,
} from './pubsub-test-kit';

type Duplex = ReturnType<v1.SubscriberClient['streamingPull']>;
interface Received {
  receivedMessages?: Array<{ ackId?: string; message?: { messageId?: string; data?: Buffer } }>;
}

/** Opens a raw StreamingPull and records responses and the final error. */
function openStream(client: v1.SubscriberClient) {
  const stream: Duplex = client.streamingPull();
  const responses: Received[] = [];
  const state: { error?: { code?: number; details?: string } } = {};
  stream.on('data', (r: Received) => responses.push(r));
  stream.on('error', (err: { code?: number; details?: string }) => (state.error = err));
  return { stream, responses, state };
}

// On ferry's emulator and Google's; [ferry-only] tests count what the server sent (ferry's counters).
describe.each(contractTargets())('StreamingPull (%s emulator)', (targetName) => {
  let h: ContractHarness;
  let raw: v1.SubscriberClient;
  const subPath = (id: string) => `projects/${PROJECT}/subscriptions/${id}`;
  const itFerry = itOn(targetName, 'ferry');
  const pullNow = async (id: string) =>
    (await raw.pull({ subscription: subPath(id), maxMessages: 10, returnImmediately: true }))[0].receivedMessages ?? [];

  beforeAll(async () => {
    h = await startContractHarness(targetName);
    raw = new v1.SubscriberClient(h.rawOptions);
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(async () => {
    await raw.close();
    await h.close();
  });

  test('acks and modacks sent on the stream itself', async () => {
    const [topic] = await h.pubsub.createTopic('raw-stream');
    await topic.createSubscription('raw-stream-sub');
    const s = openStream(raw);
    s.stream.write({ subscription: subPath('raw-stream-sub'), streamAckDeadlineSeconds: 10 });
    const ids = [
      await topic.publishMessage({ data: Buffer.from('one') }),
      await topic.publishMessage({ data: Buffer.from('two') }),
    ];
    const got = await waitFor('two messages', () => {
      const all = s.responses.flatMap((r) => r.receivedMessages ?? []);
      return all.length >= 2 ? all : undefined;
    });
    expect(got.map((m) => m.message?.messageId).sort()).toEqual([...ids].sort());
    s.stream.write({ ackIds: [got[0].ackId], modifyDeadlineAckIds: [got[1].ackId], modifyDeadlineSeconds: [0] });
    const again = await waitFor(
      'redelivery of the modacked one',
      () => s.responses.flatMap((r) => r.receivedMessages ?? [])[2],
    );
    expect(again.message?.messageId).toBe(got[1].message?.messageId);
    s.stream.write({ ackIds: [again.ackId] });
    s.stream.end();
    await new Promise((r) => setTimeout(r, 200));
    // Both acks held: nothing is left to pull once the stream's leases are gone.
    expect(await pullNow('raw-stream-sub')).toEqual([]);
  });

  test.each([
    [
      'missing subscription',
      { subscription: 'projects/ferry-test/subscriptions/none-here', streamAckDeadlineSeconds: 10 },
      grpc.status.NOT_FOUND,
    ],
    ['bad subscription name', { subscription: 'none', streamAckDeadlineSeconds: 10 }, grpc.status.INVALID_ARGUMENT],
    [
      'stream ack deadline below 10',
      { subscription: 'projects/ferry-test/subscriptions/raw-stream-sub', streamAckDeadlineSeconds: 5 },
      grpc.status.INVALID_ARGUMENT,
    ],
    [
      'no stream ack deadline',
      { subscription: 'projects/ferry-test/subscriptions/raw-stream-sub' },
      grpc.status.INVALID_ARGUMENT,
    ],
  ])('first request with %s ends the stream', async (_why, request, code) => {
    const s = openStream(raw);
    s.stream.write(request);
    const err = await waitFor('stream error', () => s.state.error);
    expect(err.code).toBe(code);
  });

  test('mismatched modify lists end the stream with INVALID_ARGUMENT', async () => {
    const s = openStream(raw);
    s.stream.write({ subscription: subPath('raw-stream-sub'), streamAckDeadlineSeconds: 10 });
    s.stream.write({ modifyDeadlineAckIds: ['ack-1', 'ack-2'], modifyDeadlineSeconds: [10] });
    const err = await waitFor('stream error', () => s.state.error);
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    // ferry's message names the two fields; Google's emulator words it its own way.
    expect(err.details).toMatch(targetName === 'ferry' ? /modify_deadline/ : /must have the same size/);
  });

  // Flow control is per stream in Pub/Sub; one stream makes the count exact.
  itFerry(
    '[ferry-only] flow control: no more than maxMessages outstanding on a stream until some are acked',
    async () => {
      const [topic] = await h.pubsub.createTopic('flow-control');
      const [created] = await topic.createSubscription('flow-control-sub');
      const sub = h.pubsub.subscription(created.name, {
        flowControl: { maxMessages: 2, allowExcessMessages: false },
        streamingOptions: { maxStreams: 1 },
      });
      try {
        await flowControlScenario(sub);
      } finally {
        await sub.close();
      }
    },
  );

  async function flowControlScenario(sub: Subscription): Promise<void> {
    const topic = h.pubsub.topic('flow-control');
    const created = sub;
    const held: Message[] = [];
    const emulator = ferryOf(h);
    const before = emulator.counters().delivered;
    sub.on('message', (m: Message) => held.push(m));
    await Promise.all([1, 2, 3, 4, 5].map((i) => topic.publishMessage({ data: Buffer.from(`m${i}`) })));
    await waitFor('two held', () => held.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    expect(emulator.subscriptions().find((s) => s.name === created.name)?.backlog).toBe(5);
    expect(held.length).toBe(2);
    expect(emulator.counters().delivered - before).toBe(2); // the server kept the other 3 back
    held.splice(0).forEach((m) => m.ack());
    await waitFor('the next two', () => held.length >= 2);
    held.splice(0).forEach((m) => m.ack());
    await waitFor('the last one', () => held.length >= 1);
    held.splice(0).forEach((m) => m.ack());
    await waitFor('all acked', () => emulator.subscriptions().find((s) => s.name === created.name)?.backlog === 0);
  }

  test('deleting a subscription closes its streams with NOT_FOUND', async () => {
    const [topic] = await h.pubsub.createTopic('delete-while-streaming');
    const [sub] = await topic.createSubscription('delete-while-streaming-sub');
    const s = openStream(raw);
    s.stream.write({ subscription: sub.name, streamAckDeadlineSeconds: 10 });
    await new Promise((r) => setTimeout(r, 50));
    await sub.delete();
    const err = await waitFor('stream error', () => s.state.error);
    expect(err.code).toBe(grpc.status.NOT_FOUND);
  });
});
