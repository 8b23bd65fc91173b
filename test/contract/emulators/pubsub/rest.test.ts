import { restCaller } from '../../../helpers/rest-call';
import {
  ContractHarness,
  contractTargets,
  ferryOf,
  itOn,
  PROJECT,
  HARNESS_START_TIMEOUT_MS,
  startContractHarness,
} from './pubsub-test-kit';

/**
 * The REST surface with raw HTTP, the way gcloud and curl call it.
 * Routes: the google.api.http bindings of pubsub.proto; errors: https://cloud.google.com/apis/design/errors
 * @see https://cloud.google.com/pubsub/docs/reference/rest
 */
/**
 * Where Google's emulator (0.8.20) differs, by case, with the status it answers. The real REST
 * front end refuses unknown query parameters (400 "Cannot bind query parameter") and answers
 * unknown paths in the JSON error shape (https://cloud.google.com/apis/design/errors); ferry
 * does, Google's emulator ignores the parameter (200) and answers "Not Found" in plain text.
 */
const GOOGLE_GAPS: Record<string, number> = {
  'an unknown query parameter': 200,
  'an unknown path': 404,
};

describe.each(contractTargets())('pubsub emulator REST surface (raw HTTP on the gRPC port; %s)', (targetName) => {
  let h: ContractHarness;
  let base: string;
  const itFerry = itOn(targetName, 'ferry');

  const call = restCaller(() => base);

  beforeAll(async () => {
    h = await startContractHarness(targetName);
    base = `http://${h.host}/v1/projects/${PROJECT}`;
  }, HARNESS_START_TIMEOUT_MS);
  afterAll(() => h.close());

  it('creates, gets, lists and deletes topics', async () => {
    expect(await call('PUT', '/topics/rest-topic', { labels: { team: 'ml' } })).toEqual({
      status: 200,
      json: { name: `projects/${PROJECT}/topics/rest-topic`, labels: { team: 'ml' } },
    });
    expect((await call('PUT', '/topics/rest-topic', {})).json.error).toMatchObject({
      code: 409,
      status: 'ALREADY_EXISTS',
    });
    expect((await call('GET', '/topics/rest-topic')).json.name).toBe(`projects/${PROJECT}/topics/rest-topic`);
    await call('PUT', '/topics/rest-topic-2', {});
    const page1 = await call('GET', '/topics?pageSize=1&alt=json');
    expect(page1.json.topics).toHaveLength(1);
    expect(page1.json.nextPageToken).toBeDefined();
    expect(await call('DELETE', '/topics/rest-topic-2')).toEqual({ status: 200, json: {} });
    expect((await call('GET', '/topics/rest-topic-2')).status).toBe(404);
  });

  it('publishes, pulls, extends and acknowledges with proto3 JSON (base64 data, Duration, Timestamp)', async () => {
    await call('PUT', '/topics/rest-flow', {});
    const sub = await call('PUT', '/subscriptions/rest-flow-sub', {
      topic: `projects/${PROJECT}/topics/rest-flow`,
      ackDeadlineSeconds: 30,
      messageRetentionDuration: '3600s',
    });
    expect(sub.json).toMatchObject({ ackDeadlineSeconds: 30, messageRetentionDuration: '3600s' });
    // Subscription.state (output only) is ACTIVE in the real API's answers; Google's emulator leaves it out.
    expect(sub.json.state).toBe(targetName === 'ferry' ? 'ACTIVE' : undefined);
    expect((await call('GET', '/topics/rest-flow/subscriptions')).json.subscriptions).toEqual([
      `projects/${PROJECT}/subscriptions/rest-flow-sub`,
    ]);

    const published = await call('POST', '/topics/rest-flow:publish', {
      messages: [{ data: Buffer.from('héllo').toString('base64'), attributes: { kind: 'test' } }],
    });
    expect(published.json.messageIds).toHaveLength(1);

    const pulled = await call('POST', '/subscriptions/rest-flow-sub:pull', { maxMessages: 10 });
    expect(pulled.status).toBe(200);
    const [received] = pulled.json.receivedMessages;
    expect(Buffer.from(received.message.data, 'base64').toString()).toBe('héllo');
    expect(received.message).toMatchObject({ attributes: { kind: 'test' }, messageId: published.json.messageIds[0] });
    expect(received.message.publishTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    const ackIds = [received.ackId];
    expect(
      await call('POST', '/subscriptions/rest-flow-sub:modifyAckDeadline', { ackIds, ackDeadlineSeconds: 60 }),
    ).toEqual({ status: 200, json: {} });
    expect(await call('POST', '/subscriptions/rest-flow-sub:acknowledge', { ackIds })).toEqual({
      status: 200,
      json: {},
    });
    expect(
      (await call('POST', '/subscriptions/rest-flow-sub:pull', { maxMessages: 10, returnImmediately: true })).json,
    ).toEqual({});

    const patched = await call('PATCH', '/subscriptions/rest-flow-sub', {
      subscription: { ackDeadlineSeconds: 45 },
      updateMask: 'ackDeadlineSeconds',
    });
    expect(patched.json.ackDeadlineSeconds).toBe(45);
    expect((await call('GET', '/subscriptions')).json.subscriptions.map((s: { name: string }) => s.name)).toContain(
      `projects/${PROJECT}/subscriptions/rest-flow-sub`,
    );
    expect(await call('DELETE', '/subscriptions/rest-flow-sub')).toEqual({ status: 200, json: {} });
  });

  it.each([
    [
      'bad JSON',
      'POST',
      '/topics/rest-broken:publish',
      '{"messages": [',
      400,
      'INVALID_ARGUMENT',
      /Invalid JSON payload/,
    ],
    [
      'an unknown field',
      'POST',
      '/topics/rest-broken:publish',
      { mesages: [] },
      400,
      'INVALID_ARGUMENT',
      /Unknown name "mesages"/,
    ],
    [
      'a wrong type',
      'POST',
      '/subscriptions/rest-broken-sub:pull',
      { maxMessages: 'ten' },
      400,
      'INVALID_ARGUMENT',
      /max_messages/,
    ],
    [
      'data that is not base64',
      'POST',
      '/topics/rest-broken:publish',
      { messages: [{ data: 'not base64!' }] },
      400,
      'INVALID_ARGUMENT',
      /messages\[0\]\.data/,
    ],
    ['no messages', 'POST', '/topics/rest-broken:publish', {}, 400, 'INVALID_ARGUMENT', /at least one message/],
    [
      'a missing maxMessages',
      'POST',
      '/subscriptions/rest-broken-sub:pull',
      {},
      400,
      'INVALID_ARGUMENT',
      /max_messages/,
    ],
    [
      'a subscription without topic',
      'PUT',
      '/subscriptions/rest-no-topic',
      {},
      400,
      'INVALID_ARGUMENT',
      /topic is required/,
    ],
    [
      'an unknown topic',
      'POST',
      '/topics/rest-nowhere:publish',
      { messages: [{ data: 'eA==' }] },
      404,
      'NOT_FOUND',
      /rest-nowhere/,
    ],
    ['an unknown subscription', 'GET', '/subscriptions/rest-nowhere', undefined, 404, 'NOT_FOUND', /rest-nowhere/],
    ['an unknown query parameter', 'GET', '/topics?pageSise=1', undefined, 400, 'INVALID_ARGUMENT', /pageSise/],
    [
      'an unimplemented RPC (DetachSubscription)',
      'POST',
      '/subscriptions/rest-broken-sub:detach',
      {},
      501,
      'UNIMPLEMENTED',
      /DetachSubscription/,
    ],
    [
      'a Seek with no target',
      'POST',
      '/subscriptions/rest-broken-sub:seek',
      {},
      400,
      'INVALID_ARGUMENT',
      /time or a snapshot/,
    ],
    ['an unknown path', 'GET', '/buckets', undefined, 404, 'NOT_FOUND', /buckets/],
  ])('answers %s in the REST error shape', async (name, method, path, body, code, status, message) => {
    await call('PUT', '/topics/rest-broken', {});
    await call('PUT', '/subscriptions/rest-broken-sub', { topic: `projects/${PROJECT}/topics/rest-broken` });
    const res = await call(method, path, body);
    const gap = targetName === 'google' ? GOOGLE_GAPS[name] : undefined;
    if (gap) {
      expect(res.status).toBe(gap);
      return;
    }
    expect(res.status).toBe(code);
    // Codes and statuses agree on both; the messages that name the field are ferry's (Google's
    // emulator says "Payload isn't valid for request." to most of them).
    const wording = targetName === 'ferry' ? expect.stringMatching(message) : expect.any(String);
    expect(res.json).toEqual({ error: { code, status, message: wording } });
  });

  // https://cloud.google.com/pubsub/quotas#resource_limits; Google's emulator does not enforce it.
  itFerry('[ferry-only] refuses a publish over the 10 MB request limit as INVALID_ARGUMENT', async () => {
    await call('PUT', '/topics/rest-big', {});
    const data = Buffer.alloc(10 * 1024 * 1024 + 1, 1).toString('base64');
    const res = await call('POST', '/topics/rest-big:publish', { messages: [{ data }] });
    expect(res).toEqual({
      status: 400,
      json: {
        error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/payload size exceeds/) },
      },
    });
  });

  itFerry('[ferry-only] consults the fault injector under the RPC name, as gRPC calls do', async () => {
    ferryOf(h).faults.failNext('GetTopic', 1, 14);
    await call('PUT', '/topics/rest-faulty', {});
    expect((await call('GET', '/topics/rest-faulty')).json.error).toMatchObject({ code: 503, status: 'UNAVAILABLE' });
    expect((await call('GET', '/topics/rest-faulty')).status).toBe(200);
  });
});
