import { PubSub } from '@google-cloud/pubsub';
import { startPubSubEmulator, type PubSubEmulator } from '../../../emulators/pubsub';
import {
  createStackSubscriptions,
  DEAD_LETTER_INBOX,
  DEAD_LETTER_RECORDER,
  RUN_EVENTS_AUDIT,
  TRIGGERS,
  WITHOUT_DEAD_LETTER,
} from '../../../emulators/stack-subscriptions';

const PROJECT = 'stack-subs';
const urls = (port: number) =>
  Object.fromEntries(Object.values(TRIGGERS).map((fn, i) => [fn, `http://127.0.0.1:${port + i}/`]));

/**
 * ferry's topics and subscriptions created through the official client, as on an external
 * emulator that an earlier stack used: its subscriptions are replaced, pointing at the new stack.
 */
describe('createStackSubscriptions', () => {
  let emulator: PubSubEmulator;
  let client: PubSub;
  beforeAll(async () => {
    emulator = await startPubSubEmulator({});
    client = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
  });
  afterAll(async () => {
    await client.close();
    await emulator.stop();
  });

  const options = (port: number, replaceExisting: boolean) => ({
    projectId: PROJECT,
    functions: urls(port),
    deadLetterRecorderUrl: `http://127.0.0.1:${port - 1}/`,
    maxDeliveryAttempts: 7,
    replaceExisting,
  });

  it('declares push triggers with retry and dead-letter policies, the inbox, the recorder and the audit subscription', async () => {
    await createStackSubscriptions(client, options(20000, false));
    const [subscriptions] = await client.getSubscriptions();
    const names = subscriptions.map((s) => s.name.split('/').pop()).sort();
    expect(names).toEqual(
      [
        ...Object.values(TRIGGERS).map((fn) => `${fn}-trigger`),
        DEAD_LETTER_INBOX,
        DEAD_LETTER_RECORDER,
        RUN_EVENTS_AUDIT,
      ].sort(),
    );
    for (const [topic, fn] of Object.entries(TRIGGERS)) {
      const [meta] = await client.subscription(`${fn}-trigger`).getMetadata();
      expect(meta.topic).toBe(`projects/${PROJECT}/topics/${topic}`);
      expect(meta.pushConfig?.pushEndpoint).toBe(`${urls(20000)[fn]}projects/${PROJECT}/topics/${topic}`);
      expect(meta.retryPolicy?.minimumBackoff?.seconds).toBe('10');
      expect(meta.deadLetterPolicy?.maxDeliveryAttempts ?? undefined).toBe(WITHOUT_DEAD_LETTER.has(fn) ? undefined : 7);
    }
  });

  it('refuses to run twice on ferry’s own emulator, and on an external one replaces what an earlier stack left', async () => {
    await expect(createStackSubscriptions(client, options(30000, false))).rejects.toMatchObject({ code: 6 });
    await createStackSubscriptions(client, options(30000, true));
    const [meta] = await client.subscription('registerModel-trigger').getMetadata();
    expect(meta.pushConfig?.pushEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:3000\d\//);
    const [recorder] = await client.subscription(DEAD_LETTER_RECORDER).getMetadata();
    expect(recorder.pushConfig?.pushEndpoint).toBe('http://127.0.0.1:29999/');
  });
});
