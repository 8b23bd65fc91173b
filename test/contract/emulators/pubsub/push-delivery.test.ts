import { verify } from 'node:crypto';
import { AddressInfo } from 'node:net';
import http, { Server, ServerResponse } from 'node:http';
import * as functions from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { Message, Subscription } from '@google-cloud/pubsub';
import type { PushEnvelope, PushTokenClaims } from '../../../../emulators/pubsub';
import {
  ContractHarness,
  contractTargets,
  ferryOf,
  itOn,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
  startPushTarget,
  waitFor,
  type PushCall,
} from './pubsub-test-kit';

type Target = Awaited<ReturnType<typeof startPushTarget>>;

const envelope = (call: PushCall): PushEnvelope => JSON.parse(call.body) as PushEnvelope;
const messageId = (call: PushCall): string => envelope(call).message.messageId;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The next message a streaming-pull subscriber gets, acked. */
async function receiveOne(sub: Subscription): Promise<Message> {
  const got = await new Promise<Message>((resolve) => sub.once('message', resolve));
  got.ack();
  await sub.close();
  return got;
}

// Pub/Sub push as the real service delivers it to a plain push subscription (not Eventarc):
// https://cloud.google.com/pubsub/docs/push#receive_push
// Each test runs against ferry's emulator and Google's; [ferry-only] tests read ferry's hooks
// (faults, counters, its token key) or rules Google's emulator does not implement.
describe.each(contractTargets())('push delivery (%s emulator)', (targetName) => {
  let h: ContractHarness;
  const targets: Target[] = [];
  const target = async (status?: (i: number) => number): Promise<Target> => {
    const t = await startPushTarget(status);
    targets.push(t);
    return t;
  };
  const itFerry = itOn(targetName, 'ferry');

  beforeAll(async () => {
    h = await startContractHarness(targetName, { timeScale: 0.001 });
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(async () => {
    await h.close();
    await Promise.all(targets.map((t) => t.close()));
  });

  test('a plain push is the JSON envelope {message, subscription}, application/json, without ce-* headers', async () => {
    const t = await target();
    const [topic] = await h.pubsub.createTopic('push-exact');
    await topic.createSubscription('push-exact-sub', { pushConfig: { pushEndpoint: t.url } });
    const payload = JSON.stringify({ model: 'flowers', version: 7 });
    const id = await topic.publishMessage({ data: Buffer.from(payload), attributes: { kind: 'savedmodel.ready' } });
    await waitFor('push', () => t.calls.length >= 1);

    const { headers } = t.calls[0];
    expect(headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(headers).filter((name) => name.startsWith('ce-'))).toEqual([]);
    expect(headers.authorization).toBeUndefined();
    const parsed = envelope(t.calls[0]);
    const time = parsed.message.publishTime;
    expect(new Date(time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(parsed).toEqual({
      message: {
        data: Buffer.from(payload).toString('base64'),
        attributes: { kind: 'savedmodel.ready' },
        messageId: id,
        message_id: id,
        publishTime: time,
        publish_time: time,
      },
      subscription: `projects/${PROJECT}/subscriptions/push-exact-sub`,
    });
    expect(Buffer.from(parsed.message.data as string, 'base64').toString()).toBe(payload);
    await sleep(200); // a 204 acks: nothing is pushed again
    expect(t.calls).toHaveLength(1);
  });
  // https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions
  // [ferry-only]: the token is signed by ferry's own key, checked with its pushTokenPublicKey().
  itFerry(
    '[ferry-only] with oidcToken: Authorization: Bearer <ID token> for the service account and audience',
    async () => {
      const t = await target();
      const [topic] = await h.pubsub.createTopic('push-oidc');
      const account = `invoker@${PROJECT}.iam.gserviceaccount.com`;
      await topic.createSubscription('push-oidc-sub', {
        pushConfig: {
          pushEndpoint: t.url,
          oidcToken: { serviceAccountEmail: account, audience: 'https://fn.a.run.app' },
        },
      });
      await topic.createSubscription('push-oidc-default-sub', {
        pushConfig: { pushEndpoint: t.url, oidcToken: { serviceAccountEmail: account } },
      });
      const before = Math.floor(Date.now() / 1000);
      await topic.publishMessage({ data: Buffer.from('authenticated') });
      await waitFor('two pushes', () => t.calls.length >= 2);

      const bySub = Object.fromEntries(t.calls.map((c) => [envelope(c).subscription, c.headers.authorization]));
      const claims = (authorization: string | undefined): PushTokenClaims => {
        const [scheme, token] = (authorization ?? '').split(' ');
        expect(scheme).toBe('Bearer');
        const [header, payload, signature] = token.split('.');
        const signed = Buffer.from(`${header}.${payload}`);
        const key = ferryOf(h).pushTokenPublicKey();
        expect(verify('sha256', signed, key, Buffer.from(signature, 'base64url'))).toBe(true);
        return JSON.parse(Buffer.from(payload, 'base64url').toString()) as PushTokenClaims;
      };
      const explicit = claims(bySub[`projects/${PROJECT}/subscriptions/push-oidc-sub`]);
      expect(explicit).toMatchObject({
        iss: 'https://accounts.google.com',
        aud: 'https://fn.a.run.app',
        email: account,
        email_verified: true,
      });
      expect(explicit.iat).toBeGreaterThanOrEqual(before);
      expect(explicit.exp).toBe(explicit.iat + 3600);
      // "if not specified, the Push endpoint URL will be used" (PushConfig.OidcToken.audience).
      expect(claims(bySub[`projects/${PROJECT}/subscriptions/push-oidc-default-sub`]).aud).toBe(t.url);
    },
  );

  // https://cloud.google.com/pubsub/docs/payload-unwrapping
  test('with noWrapper: the raw data is the body; writeMetadata puts metadata and attributes in headers', async () => {
    const t = await target();
    const [topic] = await h.pubsub.createTopic('push-unwrapped');
    await topic.createSubscription('push-unwrapped-sub', {
      pushConfig: { pushEndpoint: t.url, noWrapper: { writeMetadata: true } },
    });
    const id = await topic.publishMessage({ data: Buffer.from('raw bytes'), attributes: { origin: 'test' } });
    await waitFor('push', () => t.calls.length >= 1);
    expect(t.calls[0].body).toBe('raw bytes');
    expect(t.calls[0].headers).toMatchObject({
      'x-goog-pubsub-subscription-name': `projects/${PROJECT}/subscriptions/push-unwrapped-sub`,
      'x-goog-pubsub-message-id': id,
    });
    // The docs: writeMetadata "writes the Pub/Sub message attributes to <KEY>:<VAL> headers".
    // ferry does; Google's emulator (0.8.20) sends the x-goog-pubsub-* headers but not the attributes.
    expect(t.calls[0].headers.origin).toBe(targetName === 'ferry' ? 'test' : undefined);
    expect(Object.keys(t.calls[0].headers).filter((name) => name.startsWith('ce-'))).toEqual([]);
  });

  test('with noWrapper and no writeMetadata: the raw data only, no metadata or attribute headers', async () => {
    const t = await target();
    const [topic] = await h.pubsub.createTopic('push-bare');
    await topic.createSubscription('push-bare-sub', { pushConfig: { pushEndpoint: t.url, noWrapper: {} } });
    await topic.publishMessage({ data: Buffer.from('just bytes'), attributes: { origin: 'test' } });
    await waitFor('push', () => t.calls.length >= 1);
    expect(t.calls[0].body).toBe('just bytes');
    const names = Object.keys(t.calls[0].headers);
    expect(names.filter((name) => name.startsWith('x-goog-pubsub-') || name === 'origin')).toEqual([]);
  });

  test('the Functions Framework converts the envelope pushed to /projects/P/topics/T into a messagePublished CloudEvent', async () => {
    const received: Array<{ type: string; source: string; id: string; payload: string }> = [];
    functions.cloudEvent(`pubsubProbe-${targetName}`, (event: CloudEvent<unknown>) => {
      const data = event.data as { message: { data?: string } };
      received.push({
        type: event.type,
        source: event.source,
        id: event.id,
        payload: Buffer.from(data.message.data ?? '', 'base64').toString(),
      });
    });
    const server: Server = getTestServer(`pubsubProbe-${targetName}`);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const [topic] = await h.pubsub.createTopic('push-ff');
      await topic.createSubscription('push-ff-sub', {
        pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/projects/${PROJECT}/topics/push-ff` },
      });
      const id = await topic.publishMessage({ json: { step: 'register' } });
      await waitFor('function call', () => received.length >= 1);
      expect(received[0]).toEqual({
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/push-ff`,
        id,
        payload: '{"step":"register"}',
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  // Checked through the client: the dead letter is pulled from a subscription of the dead-letter topic.
  test('non-2xx is retried, then dead-lettered after 5 attempts with the source attributes', async () => {
    const t = await target(() => 503);
    const [topic] = await h.pubsub.createTopic('push-fail');
    const [dlq] = await h.pubsub.createTopic('push-fail-dlq');
    const [dlqSub] = await dlq.createSubscription('push-fail-dlq-sub');
    await topic.createSubscription('push-fail-sub', {
      pushConfig: { pushEndpoint: t.url },
      deadLetterPolicy: { deadLetterTopic: dlq.name, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 600 } },
    });
    const id = await topic.publishMessage({ data: Buffer.from('poison'), attributes: { origin: 'test' } });
    const dead = await receiveOne(dlqSub);

    expect(t.calls.map(messageId)).toEqual([id, id, id, id, id]);
    // deliveryAttempt is in the envelope only because this subscription has a dead-letter policy
    // (https://cloud.google.com/pubsub/docs/handling-failures#track-delivery-attempts). ferry sets
    // it; Google's emulator never puts it in a push envelope (a gap: its pulls do carry it).
    const attempts = targetName === 'ferry' ? [1, 2, 3, 4, 5] : [undefined, undefined, undefined, undefined, undefined];
    expect(t.calls.map((c) => envelope(c).deliveryAttempt)).toEqual(attempts);
    const publishTime = envelope(t.calls[0]).message.publishTime;
    expect(dead.data.toString()).toBe('poison');
    expect(dead.attributes).toEqual({
      origin: 'test',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: 'push-fail-sub',
      CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
      CloudPubSubDeadLetterSourceTopicPublishTime: publishTime,
    });
    await sleep(100);
    expect(t.calls).toHaveLength(5);
  });

  // Google's emulator has no retry backoff (it redelivers at once whatever the policy says):
  // the real service waits minimumBackoff, doubling up to maximumBackoff
  // (https://cloud.google.com/pubsub/docs/handling-failures#subscription_retry_policy). ferry follows the docs.
  itFerry(
    '[ferry-only] a retry policy spaces the attempts: 20 s, 40 s, 80 s, 160 s (scaled by timeScale)',
    async () => {
      const t = await target(() => 503);
      const [topic] = await h.pubsub.createTopic('push-backoff');
      const [dlq] = await h.pubsub.createTopic('push-backoff-dlq');
      const [dlqSub] = await dlq.createSubscription('push-backoff-dlq-sub');
      await topic.createSubscription('push-backoff-sub', {
        pushConfig: { pushEndpoint: t.url },
        deadLetterPolicy: { deadLetterTopic: dlq.name, maxDeliveryAttempts: 5 },
        retryPolicy: { minimumBackoff: { seconds: 20 }, maximumBackoff: { seconds: 600 } },
      });
      await topic.publishMessage({ data: Buffer.from('slowly') });
      await receiveOne(dlqSub);
      // At timeScale 0.001: 20 + 40 + 80 + 160 = 300 ms at least between the first and the last.
      expect(t.calls[4].at - t.calls[0].at).toBeGreaterThanOrEqual(300 - 5);
    },
  );

  test('without a dead-letter policy a failing push keeps retrying until it succeeds', async () => {
    const t = await target((i) => (i < 3 ? 500 : 200));
    const [topic] = await h.pubsub.createTopic('push-recover');
    await topic.createSubscription('push-recover-sub', { pushConfig: { pushEndpoint: t.url } });
    await topic.publishMessage({ data: Buffer.from('eventually') });
    await waitFor('a fourth attempt', () => t.calls.length >= 4);
    await sleep(200); // the 200 acked it: no fifth
    expect(t.calls).toHaveLength(4);
    expect(t.calls.map((c) => 'deliveryAttempt' in envelope(c))).toEqual([false, false, false, false]);
  });

  // "If a retry policy isn't set, Pub/Sub resends the message as soon as the acknowledgment
  // deadline expires or a message is negatively acknowledged."
  // https://cloud.google.com/pubsub/docs/handling-failures#subscription_retry_policy
  // ferry's emulator used to back push off 10–600 s here; it runs at timeScale 1 for this test,
  // so any backoff would show (10 s + 20 s + 40 s). Google's emulator waits about 1 s before
  // each redelivery (measured: 3 s for three), not at once: a gap, bounded here so it shows.
  test('without a retry policy a failed push is resent at once', async () => {
    const withinMs = targetName === 'ferry' ? 1_000 : 5_000;
    const real = targetName === 'ferry' ? await startContractHarness('ferry', { timeScale: 1 }) : h;
    try {
      const t = await target((i) => (i < 3 ? 500 : 204));
      const [topic] = await real.pubsub.createTopic('push-at-once');
      await topic.createSubscription('push-at-once-sub', { pushConfig: { pushEndpoint: t.url } });
      await topic.publishMessage({ data: Buffer.from('again') });
      await waitFor('four attempts', () => t.calls.length >= 4, 10_000);
      expect(t.calls[3].at - t.calls[0].at).toBeLessThan(withinMs);
    } finally {
      if (real !== h) await real.close();
    }
  });

  itFerry(
    '[ferry-only] injected push faults: failed attempts never reach the target; duplicates arrive twice',
    async () => {
      const emulator = ferryOf(h);
      const t = await target();
      const [topic] = await h.pubsub.createTopic('push-faults');
      await topic.createSubscription('push-faults-sub', { pushConfig: { pushEndpoint: t.url } });
      const before = emulator.counters();
      emulator.faults.failNext('push', 2, 500);
      const first = await topic.publishMessage({ data: Buffer.from('dropped twice') });
      await waitFor('first acked', () => emulator.counters().acked > before.acked);
      expect(t.calls.map(messageId)).toEqual([first]);
      expect(emulator.counters().delivered - before.delivered).toBe(3);

      emulator.faults.duplicateNext('push', 1);
      const second = await topic.publishMessage({ data: Buffer.from('twice') });
      await waitFor('duplicate', () => t.calls.length >= 3);
      expect(t.calls.slice(1).map(messageId)).toEqual([second, second]);
    },
  );

  test('an unreachable endpoint is a failed attempt, and ModifyPushConfig turns push off', async () => {
    const [topic] = await h.pubsub.createTopic('push-unreachable');
    const [sub] = await topic.createSubscription('push-unreachable-sub', {
      pushConfig: { pushEndpoint: 'http://127.0.0.1:9/nothing-listens' },
    });
    await topic.publishMessage({ data: Buffer.from('lost?') });
    await sleep(300); // some attempts fail meanwhile; the message stays
    await sub.modifyPushConfig({});
    const got = await receiveOne(sub);
    expect(got.data.toString()).toBe('lost?');
  });

  test('a push endpoint that is not an http(s) URL is INVALID_ARGUMENT', async () => {
    const [topic] = await h.pubsub.createTopic('push-bad-url');
    const err = await topic
      .createSubscription('push-bad-url-sub', { pushConfig: { pushEndpoint: 'ftp://example.com/x' } })
      .catch((e: unknown) => e);
    expect((err as { code?: number }).code).toBe(3);
    expect(String(err)).toMatch(/push_endpoint|endpoint/i);
  });

  test('a push not answered within the ack deadline (10 s, not scaled) is retried', async () => {
    const hits: number[] = [];
    const pending: ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      hits.push(Date.now());
      req.resume();
      if (hits.length === 1)
        pending.push(res); // hang the first delivery
      else res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const [topic] = await h.pubsub.createTopic('push-hang');
      await topic.createSubscription('push-hang-sub', {
        pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/` },
        ackDeadlineSeconds: 10,
      });
      await topic.publishMessage({ data: Buffer.from('slow target') });
      await waitFor('retry after the deadline', () => hits.length >= 2, 20_000);
      await sleep(200);
      expect(hits).toHaveLength(2);
      expect(hits[1] - hits[0]).toBeGreaterThanOrEqual(9_900);
    } finally {
      pending.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
