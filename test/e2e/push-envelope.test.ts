import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, TRIGGERS, WITHOUT_DEAD_LETTER, type LocalStack } from '../../emulators/local-stack';
import { ownPubsub } from '../../emulators/local-cloud';
import type { PushEnvelope } from '../../emulators/pubsub';
import { pushEnvelope } from '../helpers/push-body';

/**
 * What production does: Pub/Sub POSTs the push envelope to `<function uri>/projects/P/topics/T`
 * and the Functions Framework (its own test server here, as the stack serves every function)
 * turns it into the messagePublished CloudEvent the handler is registered for. These posts are
 * made by hand, so the envelope and its broken variants are exactly what the test says.
 * @see https://cloud.google.com/pubsub/docs/push#receive_push
 */
const VALID: Record<string, object> = {
  registerModel: { runId: 'no-such-run' },
  deployModel: { runId: 'no-such-run' },
  awaitOperation: { runId: 'no-such-run', purpose: 'deploy', startedAt: new Date().toISOString() },
  validatePredictions: { runId: 'no-such-run', step: -1 },
  publishMobile: { runId: 'no-such-run' },
};
const STAGES = Object.keys(VALID);
const topicOf = (fn: string) => Object.entries(TRIGGERS).find(([, f]) => f === fn)![0];

const envelope = (payload: string | undefined, patch: Partial<PushEnvelope> = {}) =>
  pushEnvelope('push-test', payload, patch);

describe('raw Pub/Sub push bodies through the Functions Framework', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    stack = await startLocalStack();
  }, 60_000);
  afterAll(() => stack?.stop());

  const post = async (fn: string, body: unknown): Promise<number> => {
    const url = `${stack.functions[fn]}projects/${stack.cloud.projectId}/topics/${topicOf(fn)}`;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };
  /** The messages a function parked on ferry.dead-letter. */
  const parked = (fn: string) =>
    stack
      .deadLetters()
      .map((d) => d.data as { function?: string; eventId?: string; error?: string; data?: unknown })
      .filter((d) => d.function === fn);

  it('the stack subscribes the five stage functions (and onDeadLetter, reconcile) as terraform does', () => {
    expect(
      Object.values(TRIGGERS)
        .filter((fn) => !WITHOUT_DEAD_LETTER.has(fn))
        .sort(),
    ).toEqual([...STAGES].sort());
    // Subscribed as terraform/modules/cloud-function does: the function's URL + /projects/P/topics/T.
    const endpoints = Object.fromEntries(
      ownPubsub(stack.cloud)
        .subscriptions()
        .map((s) => [s.name, s.pushEndpoint]),
    );
    for (const [topic, fn] of Object.entries(TRIGGERS))
      expect(endpoints[`projects/${stack.cloud.projectId}/subscriptions/${fn}-trigger`]).toBe(
        `${stack.functions[fn]}projects/${stack.cloud.projectId}/topics/${topic}`,
      );
    // Without FERRY_NOTIFY_WEBHOOK_URL the optional notifier is neither served nor subscribed.
    expect(process.env.FERRY_NOTIFY_WEBHOOK_URL).toBeUndefined();
    expect(stack.functions.notifyRunEvent).toBeUndefined();
    expect(Object.keys(endpoints).filter((name) => name.includes('notifyRunEvent'))).toEqual([]);
  });

  it.each(STAGES)('%s: a valid envelope reaches the stage, which reads the run', async (fn) => {
    await stack.settled();
    const before = parked(fn).length;
    stack.resetStorageCalls();
    const status = await post(fn, envelope(JSON.stringify(VALID[fn])));
    await stack.settled();
    expect(status).toBeLessThan(600);
    expect(stack.storageCalls()['objects.get'] ?? 0).toBeGreaterThan(0);
    expect(parked(fn)).toHaveLength(before);
  });

  it.each(STAGES)('%s: a stage message it cannot parse is parked under the message id', async (fn) => {
    const body = envelope(JSON.stringify({ ...VALID[fn], runId: 'Not A Run Id!' }));
    expect(await post(fn, body)).toBe(204);
    await stack.settled();
    const letter = parked(fn).find((d) => d.eventId === body.message.messageId);
    expect(letter?.error).toMatch(/runId/);
    expect(letter?.data).toMatchObject({ message: { data: body.message.data, messageId: body.message.messageId } });
  });

  it.each([
    ['data that is not base64 of JSON', envelope(undefined, {}), '%%% not base64 %%%', /not JSON/],
    ['data that is base64 of something else than JSON', envelope('<xml/>'), undefined, /not JSON/],
    [
      'an empty payload (left unconverted by the Functions Framework)',
      envelope(undefined),
      undefined,
      /no message\.data/,
    ],
  ])('parks %s', async (_why, body, rawData, error) => {
    if (rawData) body.message.data = rawData;
    expect(await post('registerModel', body)).toBe(204);
    await stack.settled();
    const letter = parked('registerModel').find((d) => d.eventId === body.message.messageId);
    expect(letter?.error).toMatch(error);
  });

  it('parks an envelope without message (nothing to decode, no id)', async () => {
    const before = parked('registerModel').length;
    expect(await post('registerModel', { subscription: 'projects/ferry-local/subscriptions/by-hand' })).toBe(204);
    await stack.settled();
    const letters = parked('registerModel').slice(before);
    expect(letters).toHaveLength(1);
    expect(letters[0].error).toMatch(/no message\.data/);
  });

  it('reads an envelope without subscription, which the Functions Framework leaves unconverted, as the envelope', async () => {
    const body = envelope(JSON.stringify({ runId: 'Not A Run Id!' }));
    delete (body as Partial<PushEnvelope>).subscription;
    expect(await post('registerModel', body)).toBe(204);
    await stack.settled();
    expect(parked('registerModel').find((d) => d.eventId === body.message.messageId)?.error).toMatch(/runId/);
  });

  it('onDeadLetter and the reconciler take the envelope too', async () => {
    await stack.settled();
    stack.resetStorageCalls();
    expect(await post('reconcile', envelope('{}'))).toBe(204);
    expect(stack.storageCalls()['objects.list'] ?? 0).toBeGreaterThan(0);
    expect(await post('onDeadLetter', envelope(JSON.stringify({ function: 'x', error: 'y' })))).toBe(204);
  });
});
