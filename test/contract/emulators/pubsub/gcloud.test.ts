import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gcloud as runGcloud, GCLOUD_TIMEOUT_MS, hasGcloud } from '../../../helpers/gcloud';
import {
  ContractHarness,
  contractTargets,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
} from './pubsub-test-kit';

const HAS_GCLOUD = hasGcloud();
if (!HAS_GCLOUD) console.warn('gcloud is not on PATH: skipping the gcloud pubsub contract test.');
const describeWithGcloud = HAS_GCLOUD ? describe : describe.skip;

/**
 * Google's own CLI against the emulator's REST surface, configured the way the README tells users
 * (`api_endpoint_overrides/pubsub`), through properties in the environment so each command is one
 * gcloud start. https://cloud.google.com/sdk/gcloud/reference/pubsub
 */
describeWithGcloud.each(contractTargets())('gcloud pubsub against the %s emulator', (targetName) => {
  jest.setTimeout(5 * GCLOUD_TIMEOUT_MS);
  let h: ContractHarness;
  let config: string;

  const gcloud = (...args: string[]): Promise<string> =>
    runGcloud({ dir: config, project: PROJECT, overrides: { pubsub: `http://${h.host}/` } }, ...args);

  beforeAll(async () => {
    config = mkdtempSync(join(tmpdir(), 'ferry-gcloud-'));
    h = await startContractHarness(targetName);
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(async () => {
    await h.close();
    rmSync(config, { recursive: true, force: true });
  });

  it('creates and lists topics, publishes, creates a subscription and pulls with --auto-ack', async () => {
    await gcloud('pubsub', 'topics', 'create', 'gcloud-events');
    expect((await h.pubsub.topic('gcloud-events').exists())[0]).toBe(true);
    const topics = JSON.parse(await gcloud('pubsub', 'topics', 'list')) as { name: string }[];
    expect(topics.map((t) => t.name)).toContain(`projects/${PROJECT}/topics/gcloud-events`);

    await gcloud('pubsub', 'subscriptions', 'create', 'gcloud-events-audit', '--topic=gcloud-events');
    const published = JSON.parse(
      await gcloud('pubsub', 'topics', 'publish', 'gcloud-events', '--message=hello from gcloud', '--attribute=k=v'),
    ) as { messageIds: string[] };
    expect(published.messageIds).toHaveLength(1);

    const pulled = JSON.parse(await gcloud('pubsub', 'subscriptions', 'pull', 'gcloud-events-audit', '--auto-ack')) as {
      ackStatus?: string;
      message: { data: string; attributes: Record<string, string>; messageId: string };
    }[];
    expect(pulled).toHaveLength(1);
    expect(Buffer.from(pulled[0].message.data, 'base64').toString()).toBe('hello from gcloud');
    expect(pulled[0].message).toMatchObject({ attributes: { k: 'v' }, messageId: published.messageIds[0] });
    // --auto-ack acked it: nothing is left (REST pull with returnImmediately, so it does not wait).
    const left = await fetch(`http://${h.host}/v1/projects/${PROJECT}/subscriptions/gcloud-events-audit:pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' }, // Google's emulator answers 404 without it
      body: JSON.stringify({ maxMessages: 10, returnImmediately: true }),
    }).then((r) => r.json() as Promise<{ receivedMessages?: unknown[] }>);
    expect(left.receivedMessages ?? []).toEqual([]);
  });
});
