import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub } from '@google-cloud/pubsub';
import { ownPubsub } from '../../emulators/local-cloud';
import { startLocalStack, WITHOUT_DEAD_LETTER, type LocalStack } from '../../emulators/local-stack';
import { optionalFunctions } from '../../emulators/stack-subscriptions';
import { pushEnvelope } from '../helpers/push-body';
import type { RunEvent } from '../../functions/pipeline/messages';
import { TOPICS } from '../../functions/pipeline/topics';

/**
 * notifyRunEvent as deployed: served by the Functions Framework in the local stack, posting to a
 * chat webhook, here a local HTTP receiver that answers what each test scripts. Push envelopes
 * are posted by hand (as test/e2e/push-envelope.test.ts does) so broken variants are exact; one
 * event goes through Pub/Sub to prove the stack subscribes the function when a webhook is set.
 */
interface Receiver {
  url: string;
  bodies: Array<{ text: string; blocks?: unknown[] }>;
  /** Statuses to answer next, in order; 200 once it is empty. */
  answers: number[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { bodies: [], answers: [] } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = receiver.answers.shift() ?? 200;
      if (status === 200) receiver.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `no (${status})`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

let sequence = 0;
const envelope = (payload: string | undefined) => pushEnvelope('notify-test', payload);

const runEvent = (patch: Partial<RunEvent> = {}): RunEvent => ({
  runId: `flowers-7-n${(sequence += 1)}`,
  workflow: 'flowers',
  state: 'failed',
  outcome: 'failed',
  detail: 'dead-lettered on validatePredictions-trigger after 10 deliveries (dead letter 77)',
  deadLetterId: '77',
  at: new Date().toISOString(),
  ...patch,
});

describe('notifyRunEvent against a local chat webhook', () => {
  let stack: LocalStack;
  let receiver: Receiver;
  let logFile: string;
  const saved = { url: process.env.FERRY_NOTIFY_WEBHOOK_URL, format: process.env.FERRY_NOTIFY_FORMAT };

  beforeAll(async () => {
    logFile = join(mkdtempSync(join(tmpdir(), 'ferry-notify-')), 'functions.log');
    process.env.FERRY_LOG_FILE = logFile;
    receiver = await startReceiver();
    process.env.FERRY_NOTIFY_WEBHOOK_URL = receiver.url;
    process.env.FERRY_NOTIFY_FORMAT = 'slack';
    stack = await startLocalStack();
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
    for (const [key, value] of [
      ['FERRY_NOTIFY_WEBHOOK_URL', saved.url],
      ['FERRY_NOTIFY_FORMAT', saved.format],
    ] as const)
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  });
  beforeEach(() => {
    receiver.bodies.length = 0;
    receiver.answers.length = 0;
  });

  const post = async (body: unknown): Promise<number> => {
    const url = `${stack.functions.notifyRunEvent}projects/${stack.cloud.projectId}/topics/${TOPICS.runEvents}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };
  const logs = () => readFileSync(logFile, 'utf8');

  it('is subscribed only with a webhook configured, without a dead-letter policy', () => {
    expect(optionalFunctions({})).toEqual([]);
    expect(WITHOUT_DEAD_LETTER.has('notifyRunEvent')).toBe(true);
    const sub = ownPubsub(stack.cloud)
      .subscriptions()
      .find((s) => s.name === `projects/${stack.cloud.projectId}/subscriptions/notifyRunEvent-trigger`);
    expect(sub?.pushEndpoint).toBe(
      `${stack.functions.notifyRunEvent}projects/${stack.cloud.projectId}/topics/${TOPICS.runEvents}`,
    );
  });

  it('posts a dead-lettered run once in Slack format; a duplicate delivery posts nothing more', async () => {
    const event = runEvent();
    const body = envelope(JSON.stringify(event));
    expect(await post(body)).toBe(204);
    expect(await post(body)).toBe(204);
    expect(receiver.bodies).toHaveLength(1);
    expect(receiver.bodies[0].text).toBe(
      `ferry: run ${event.runId} (flowers) failed: a stage message was dead-lettered`,
    );
    const section = JSON.stringify(receiver.bodies[0].blocks);
    expect(section).toContain('dead letter 77');
    expect(section).toContain(`ferry status ${event.runId}`);
  });

  it('a webhook answering 500 gets the event retried (the function fails); the retry posts it', async () => {
    receiver.answers.push(500);
    const body = envelope(
      JSON.stringify(runEvent({ state: 'rejected', outcome: 'rejected', deadLetterId: undefined })),
    );
    expect(await post(body)).toBe(500);
    expect(receiver.bodies).toHaveLength(0);
    expect(logs()).toMatch(/answered HTTP 500.*the event will be retried/);
    expect(await post(body)).toBe(204);
    expect(receiver.bodies).toHaveLength(1);
    expect(receiver.bodies[0].text).toMatch(/was rejected$/);
  });

  it('a webhook answering 429 is retried too', async () => {
    receiver.answers.push(429);
    const body = envelope(JSON.stringify(runEvent({ state: 'promoted', outcome: 'promoted' })));
    expect(await post(body)).toBe(500);
    expect(await post(body)).toBe(204);
    expect(receiver.bodies).toHaveLength(1);
  });

  it('a webhook answering 400 is logged with what to check and acknowledged', async () => {
    receiver.answers.push(400);
    const event = runEvent({ state: 'awaiting-approval', outcome: undefined, deadLetterId: undefined });
    expect(await post(envelope(JSON.stringify(event)))).toBe(204);
    expect(receiver.bodies).toHaveLength(0);
    expect(logs()).toMatch(
      new RegExp(`run ${event.runId} awaiting-approval: the chat webhook refused .*HTTP 400.*check the webhook URL`),
    );
  });

  it.each([
    ['data that is not JSON', envelope('{"runId":'), /is malformed .*not JSON/],
    ['an event without a state', envelope(JSON.stringify({ ...runEvent(), state: undefined })), /"state" is missing/],
    ['an empty payload', envelope(undefined), /no message\.data/],
  ])('acknowledges %s without posting, saying why', async (_why, body, reason) => {
    expect(await post(body)).toBe(204);
    expect(receiver.bodies).toHaveLength(0);
    const line = logs()
      .split('\n')
      .find((l) => l.includes(body.message.messageId));
    const entry = JSON.parse(line!) as { message: string };
    expect(entry).toMatchObject({ severity: 'ERROR', function: 'notifyRunEvent' });
    expect(entry.message).toMatch(reason);
  });

  it('drops an event older than the maximum event age (6 h) with a warning: a stale alert helps nobody', async () => {
    const event = runEvent({ state: 'rejected', outcome: 'rejected' });
    const body = envelope(JSON.stringify(event));
    const old = new Date(Date.now() - 7 * 3600_000).toISOString();
    Object.assign(body.message, { publishTime: old, publish_time: old });
    expect(await post(body)).toBe(204);
    expect(receiver.bodies).toHaveLength(0);
    expect(logs()).toMatch(
      new RegExp(`run ${event.runId} rejected: event ${body.message.messageId} is 42\\d min old; not posted`),
    );
  });

  it('posts nothing for states nobody is told about', async () => {
    expect(await post(envelope(JSON.stringify(runEvent({ state: 'deploying', outcome: undefined }))))).toBe(204);
    expect(receiver.bodies).toHaveLength(0);
  });

  it('receives what is published on ferry.run.events through its push subscription', async () => {
    const event = runEvent({ state: 'published', outcome: 'published', deadLetterId: undefined, detail: undefined });
    const pubsub = new PubSub({ apiEndpoint: stack.cloud.pubsubHost, projectId: stack.cloud.projectId });
    try {
      await pubsub.topic(TOPICS.runEvents).publishMessage({ json: event });
    } finally {
      await pubsub.close();
    }
    await stack.settled();
    expect(receiver.bodies.map((b) => b.text)).toEqual([
      `ferry: run ${event.runId} (flowers) was published to the mobile channels`,
    ]);
  });
});
