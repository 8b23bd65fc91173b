import {
  ContractHarness,
  contractTargets,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
  waitFor,
} from './pubsub-test-kit';

/** Google's emulator serves gRPC and REST on one port; so does ferry's (PUBSUB_EMULATOR_HOST). */
describe.each(contractTargets())('pubsub emulator: gRPC and REST on the same port at once (%s)', (targetName) => {
  let h: ContractHarness;
  beforeAll(async () => {
    h = await startContractHarness(targetName);
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(() => h.close());

  it('sees topics and messages from either protocol', async () => {
    const rest = (method: string, path: string, body?: unknown) =>
      fetch(`http://${h.host}/v1/projects/${PROJECT}${path}`, {
        method,
        // Google's emulator answers a body without this header with a plain-text 404; ferry's accepts it.
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, json: await r.json() }));

    const [topic] = await h.pubsub.createTopic('both-ways');
    await topic.createSubscription('both-ways-grpc');
    expect((await rest('GET', '/topics/both-ways')).status).toBe(200);
    await rest('PUT', '/subscriptions/both-ways-rest', { topic: topic.name });

    // A streaming pull (gRPC, HTTP/2) stays open while REST calls come and go on the same port.
    const received: string[] = [];
    const sub = h.pubsub.subscription('both-ways-grpc');
    sub.on('message', (m) => {
      received.push(m.data.toString());
      m.ack();
    });
    await Promise.all([
      rest('POST', '/topics/both-ways:publish', { messages: [{ data: Buffer.from('via REST').toString('base64') }] }),
      topic.publishMessage({ data: Buffer.from('via gRPC') }),
    ]);
    await waitFor('both messages on the gRPC stream', () => received.length === 2);
    expect(received.sort()).toEqual(['via REST', 'via gRPC']);

    const pulled = await rest('POST', '/subscriptions/both-ways-rest:pull', { maxMessages: 10 });
    const texts = pulled.json.receivedMessages.map((r: { message: { data: string } }) =>
      Buffer.from(r.message.data, 'base64').toString(),
    );
    expect(texts.sort()).toEqual(['via REST', 'via gRPC']);
    await sub.close();
  });
});
