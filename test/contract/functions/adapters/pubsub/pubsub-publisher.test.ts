import { PubSub } from '@google-cloud/pubsub';
import { PubSubPublisher } from '../../../../../functions/adapters/pubsub/pubsub-publisher';
import { PROJECT, startHarness, type Harness } from '../../../emulators/pubsub/pubsub-test-kit';

/** ferry's publisher through @google-cloud/pubsub against the Pub/Sub emulator. */
describe('PubSubPublisher', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.pubsub.createTopic('ferry.run.events');
    await h.pubsub.topic('ferry.run.events').createSubscription('inbox');
  });
  afterAll(() => h.close());

  it('publishes JSON with attributes, and keeps working once its client is replaced (a local stack restarted in one process)', async () => {
    let client = new PubSub({ apiEndpoint: h.emulator.host, projectId: PROJECT });
    const publisher = new PubSubPublisher(() => client);
    await publisher.publish('ferry.run.events', { runId: 'a' }, { kind: 'first' });
    await client.close();
    client = new PubSub({ apiEndpoint: h.emulator.host, projectId: PROJECT });
    await publisher.publish('ferry.run.events', { runId: 'b' });
    await client.close();
    const sub = h.pubsub.subscription('inbox');
    const received: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received only ${JSON.stringify(received)}`)), 10_000);
      sub.on('message', (m: { data: Buffer; attributes: Record<string, string>; ack(): void }) => {
        m.ack();
        received.push({ json: JSON.parse(m.data.toString('utf8')) as unknown, attributes: m.attributes });
        if (received.length === 2) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await sub.close();
    expect(received).toEqual(
      expect.arrayContaining([
        { json: { runId: 'a' }, attributes: { kind: 'first' } },
        { json: { runId: 'b' }, attributes: {} },
      ]),
    );
  });
});
