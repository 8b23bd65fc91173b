import { status } from '@grpc/grpc-js';
import { MAX_PUBLISH_REQUEST_BYTES, readPublishMessages } from '../../../../emulators/pubsub/publish-request';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';

function rejects(raw: unknown): string {
  try {
    readPublishMessages(raw);
  } catch (err) {
    expect((err as RpcError).code).toBe(status.INVALID_ARGUMENT);
    return (err as Error).message;
  }
  throw new Error('expected INVALID_ARGUMENT');
}

describe('readPublishMessages', () => {
  test('keeps data, attributes and ordering key', () => {
    expect(
      readPublishMessages([
        { data: Buffer.from('x'), attributes: { a: 'b' }, orderingKey: 'k' },
        { attributes: { only: 'attr' } },
      ]),
    ).toEqual([
      { data: Buffer.from('x'), attributes: { a: 'b' }, orderingKey: 'k' },
      { data: Buffer.alloc(0), attributes: { only: 'attr' }, orderingKey: '' },
    ]);
  });

  test('accepts exactly the 10 MB limit', () => {
    expect(readPublishMessages([{ data: Buffer.alloc(MAX_PUBLISH_REQUEST_BYTES) }])).toHaveLength(1);
  });

  test.each([
    ['no messages', [], 'at least one message'],
    ['not a list', 'hello', 'at least one message'],
    ['missing', undefined, 'at least one message'],
    ['empty message', [{ data: Buffer.from('a') }, {}], 'messages[1] is empty'],
    ['empty data, no attributes', [{ data: Buffer.alloc(0), attributes: {} }], 'messages[0] is empty'],
    [
      'over 10 MB in one message',
      [{ data: Buffer.alloc(MAX_PUBLISH_REQUEST_BYTES + 1) }],
      'exceeds the limit: 10485760',
    ],
    ['over 10 MB across messages', [{ data: Buffer.alloc(6e6) }, { data: Buffer.alloc(6e6) }], 'exceeds the limit'],
    ['1001 messages', Array.from({ length: 1001 }, () => ({ data: Buffer.from('x') })), 'Too many messages'],
    ['reserved attribute key', [{ attributes: { googFoo: 'x' } }], 'messages[0].attributes key'],
    ['empty attribute key', [{ attributes: { '': 'x' } }], 'attributes key'],
    ['long attribute key', [{ attributes: { ['k'.repeat(257)]: 'x' } }], 'attributes key'],
    ['long attribute value', [{ attributes: { k: 'v'.repeat(1025) } }], 'messages[0].attributes["k"]'],
    [
      '101 attributes',
      [{ attributes: Object.fromEntries(Array.from({ length: 101 }, (_v, i) => [`k${i}`, 'v'])) }],
      '101 entries',
    ],
    ['long ordering key', [{ data: Buffer.from('x'), orderingKey: 'o'.repeat(1025) }], 'ordering_key'],
  ])('rejects %s', (_why, raw, text) => {
    expect(rejects(raw)).toContain(text);
  });
});
