import { status } from '@grpc/grpc-js';
import { messageFromJson, messageToJson } from '../../../../emulators/rest/proto-json';
import { restError } from '../../../../emulators/rest/rest-error';
import { pubsubType } from '../../../../emulators/pubsub/rest-json';
import { matchRoute } from '../../../../emulators/pubsub/rest-routes';

const type = (name: string) => pubsubType(`google.pubsub.v1.${name}`);

describe('proto3 JSON → handler objects', () => {
  it.each([
    [
      'PublishRequest',
      { topic: 't', messages: [{ data: 'aGk=', attributes: { a: 'b' } }] },
      { topic: 't', messages: [{ data: Buffer.from('hi'), attributes: { a: 'b' } }] },
    ],
    ['PublishRequest', { messages: [{ data: 'aGk_' }] }, { messages: [{ data: Buffer.from('hi?') }] }],
    ['PullRequest', { max_messages: '5', returnImmediately: true }, { maxMessages: 5, returnImmediately: true }],
    [
      'Subscription',
      { messageRetentionDuration: '1.5s' },
      { messageRetentionDuration: { seconds: '1', nanos: 500_000_000 } },
    ],
    [
      'Subscription',
      { expirationPolicy: { ttl: '86400s' } },
      { expirationPolicy: { ttl: { seconds: '86400', nanos: 0 } } },
    ],
    [
      'SeekRequest',
      { time: '2026-01-02T03:04:05.25Z' },
      { time: { seconds: String(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000), nanos: 250_000_000 } },
    ],
    [
      'UpdateSubscriptionRequest',
      { updateMask: 'ackDeadlineSeconds,pushConfig' },
      { updateMask: { paths: ['ack_deadline_seconds', 'push_config'] } },
    ],
    ['Subscription', { state: 'ACTIVE', labels: null }, { state: 'ACTIVE' }],
  ])('reads a %s', (name, json, expected) => {
    expect(messageFromJson(type(name), json)).toEqual(expected);
  });

  it.each([
    ['PullRequest', { maxMessages: 'ten' }, 'Invalid value at \'max_messages\' (TYPE_INT32), "ten"'],
    ['PullRequest', { maxMessages: 1.5 }, "Invalid value at 'max_messages' (TYPE_INT32), 1.5"],
    ['PullRequest', { returnImmediately: 'yes' }, "Invalid value at 'return_immediately' (TYPE_BOOL)"],
    ['PullRequest', { maxMesages: 1 }, 'Unknown name "maxMesages": Cannot find field.'],
    ['PublishRequest', { messages: {} }, "Invalid value at 'messages' (TYPE_MESSAGE)"],
    ['PublishRequest', { messages: [{ data: '%%' }] }, "Invalid value at 'messages[0].data' (TYPE_BYTES)"],
    ['PublishRequest', { messages: [{ extra: 1 }] }, `Unknown name "extra" at 'messages[0]'`],
    ['Subscription', { ackDeadlineSeconds: 2 ** 31 }, "'ack_deadline_seconds' (TYPE_INT32)"],
    ['Subscription', { messageRetentionDuration: 600 }, 'google.protobuf.Duration'],
    ['Subscription', { state: 'SLEEPY' }, "Invalid value at 'state' (TYPE_ENUM)"],
    ['PullRequest', [], 'Expected an object'],
  ])('refuses a broken %s as INVALID_ARGUMENT', (name, json, message) => {
    expect(() => messageFromJson(type(name), json)).toThrow(
      expect.objectContaining({ code: status.INVALID_ARGUMENT, message: expect.stringContaining(message) }),
    );
  });
});

describe('handler objects → proto3 JSON', () => {
  it('writes bytes as base64, int64 as strings, Duration and Timestamp as strings, and omits defaults', () => {
    const json = messageToJson(type('PullResponse'), {
      receivedMessages: [
        {
          ackId: 'a1',
          deliveryAttempt: 0,
          message: {
            data: Buffer.from('hi'),
            attributes: {},
            messageId: '7',
            publishTime: { seconds: '1767323045', nanos: 120_000_000 },
            orderingKey: '',
          },
        },
      ],
    });
    expect(json).toEqual({
      receivedMessages: [
        { ackId: 'a1', message: { data: 'aGk=', messageId: '7', publishTime: '2026-01-02T03:04:05.120Z' } },
      ],
    });
    expect(
      messageToJson(type('Subscription'), {
        name: 's',
        ackDeadlineSeconds: 10,
        messageRetentionDuration: { seconds: '604800', nanos: 0 },
        retryPolicy: { minimumBackoff: { seconds: '0', nanos: 500_000_000 } },
        state: 'ACTIVE',
        extra: 'not a field',
      }),
    ).toEqual({
      name: 's',
      ackDeadlineSeconds: 10,
      messageRetentionDuration: '604800s',
      retryPolicy: { minimumBackoff: '0.500s' },
      state: 'ACTIVE',
    });
  });

  it('round-trips what it reads', () => {
    const json = {
      name: 's',
      topic: 't',
      ackDeadlineSeconds: 20,
      messageRetentionDuration: '3600s',
      labels: { a: 'b' },
    };
    expect(messageToJson(type('Subscription'), messageFromJson(type('Subscription'), json))).toEqual(json);
  });
});

describe('REST error shape', () => {
  it.each([
    [status.INVALID_ARGUMENT, 400, 'INVALID_ARGUMENT'],
    [status.NOT_FOUND, 404, 'NOT_FOUND'],
    [status.ALREADY_EXISTS, 409, 'ALREADY_EXISTS'],
    [status.FAILED_PRECONDITION, 400, 'FAILED_PRECONDITION'],
    [status.RESOURCE_EXHAUSTED, 429, 'RESOURCE_EXHAUSTED'],
    [status.UNAVAILABLE, 503, 'UNAVAILABLE'],
    [status.DEADLINE_EXCEEDED, 504, 'DEADLINE_EXCEEDED'],
    [status.UNIMPLEMENTED, 501, 'UNIMPLEMENTED'],
    [status.INTERNAL, 500, 'INTERNAL'],
    [status.CANCELLED, 499, 'CANCELLED'],
  ])('maps gRPC code %i to HTTP %i %s', (code, httpStatus, name) => {
    expect(restError(code, 'why')).toEqual({
      httpStatus,
      body: { error: { code: httpStatus, message: 'why', status: name } },
    });
  });
});

describe('REST routes (google.api.http of pubsub.proto)', () => {
  it.each([
    ['PUT', '/v1/projects/p/topics/t', 'CreateTopic', 'projects/p/topics/t'],
    ['GET', '/v1/projects/p/topics', 'ListTopics', 'projects/p'],
    ['GET', '/v1/projects/p/topics/t/subscriptions', 'ListTopicSubscriptions', 'projects/p/topics/t'],
    ['POST', '/v1/projects/p/topics/t:publish', 'Publish', 'projects/p/topics/t'],
    ['POST', '/v1/projects/example.com:p/subscriptions/s:pull', 'Pull', 'projects/example.com:p/subscriptions/s'],
    ['PATCH', '/v1/projects/p/subscriptions/s', 'UpdateSubscription', 'projects/p/subscriptions/s'],
    ['POST', '/v1/projects/p/subscriptions/s:modifyAckDeadline', 'ModifyAckDeadline', 'projects/p/subscriptions/s'],
    ['DELETE', '/v1/projects/p/subscriptions/a%2Bb', 'DeleteSubscription', 'projects/p/subscriptions/a+b'],
  ])('%s %s → %s', (verb, path, rpc, value) => {
    expect(matchRoute(verb, path)).toEqual({ route: expect.objectContaining({ rpc }), value });
  });

  it.each([
    ['POST', '/v1/projects/p/topics/t'],
    ['GET', '/v1/projects/p/buckets'],
    ['POST', '/v1/projects/p/topics/t:unknownVerb'],
  ])('matches nothing for %s %s', (verb, path) => {
    expect(matchRoute(verb, path)).toBeUndefined();
  });
});
