import { status } from '@grpc/grpc-js';
import { page, toWireMessage } from '../../../../emulators/pubsub/grpc-handler';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';

describe('page', () => {
  const items = Array.from({ length: 5 }, (_v, i) => i);
  test.each([
    [2, '', [0, 1], '2'],
    [2, '4', [4], ''],
    [0, '', [0, 1, 2, 3, 4], ''],
    [10, '5', [], ''],
  ])('pageSize %i token "%s"', (size, token, expected, next) => {
    expect(page(items, size, token)).toEqual({ items: expected, nextPageToken: next });
  });

  test.each(['x', '-1', '1.5'])('bad token %s is INVALID_ARGUMENT', (token) => {
    expect(() => page(items, 1, token)).toThrow(RpcError);
    try {
      page(items, 1, token);
    } catch (err) {
      expect((err as RpcError).code).toBe(status.INVALID_ARGUMENT);
    }
  });
});

test('toWireMessage writes the publish time as a Timestamp', () => {
  const wire = toWireMessage({
    messageId: '9',
    topic: 't',
    data: Buffer.from('x'),
    attributes: {},
    publishTimeMs: 1_700_000_000_123,
    orderingKey: '',
  });
  expect(wire.publishTime).toEqual({ seconds: '1700000000', nanos: 123_000_000 });
});
