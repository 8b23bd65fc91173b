import fc from 'fast-check';
import { status } from '@grpc/grpc-js';
import { parseProject, parseSubscriptionName, parseTopicName } from '../../../../emulators/pubsub/names';
import { RpcError } from '../../../../emulators/pubsub/rpc-error';

function failure(fn: () => unknown): RpcError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error('expected an RpcError');
}

describe('resource names', () => {
  test.each([
    ['projects/p1/topics/abc', 'p1', 'abc'],
    ['projects/my-project/topics/model.ready', 'my-project', 'model.ready'],
    ['projects/example.com:proj/topics/A-b_c~d+e%f', 'example.com:proj', 'A-b_c~d+e%f'],
    [`projects/p/topics/t${'x'.repeat(254)}`, 'p', `t${'x'.repeat(254)}`],
  ])('accepts %s', (name, project, id) => {
    expect(parseTopicName(name)).toEqual({ project, id, full: name });
  });

  test.each([
    ['missing', undefined, 'topic is required'],
    ['empty', '', 'topic is required'],
    ['not a string', 42, 'topic is required'],
    ['short id', 'projects/p/topics/ab', 'Invalid [topics] name'],
    ['digit first', 'projects/p/topics/1ab', 'Invalid [topics] name'],
    ['goog prefix', 'projects/p/topics/GoogleThing', 'Invalid [topics] name'],
    ['wrong collection', 'projects/p/subscriptions/abc', 'Invalid [topics] name'],
    ['extra segment', 'projects/p/topics/abc/x', 'Invalid [topics] name'],
    ['no project', 'projects//topics/abc', 'Invalid [topics] name'],
    ['too long', `projects/p/topics/t${'x'.repeat(255)}`, 'Invalid [topics] name'],
  ])('rejects %s with INVALID_ARGUMENT', (_why, name, text) => {
    const err = failure(() => parseTopicName(name));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.message).toContain(text);
  });

  test('subscriptions and projects', () => {
    expect(parseSubscriptionName('projects/p/subscriptions/sub-1').id).toBe('sub-1');
    expect(failure(() => parseSubscriptionName('projects/p/topics/sub-1')).message).toContain(
      'Invalid [subscriptions] name',
    );
    expect(parseProject('projects/ferry')).toBe('ferry');
    expect(failure(() => parseProject('ferry')).code).toBe(status.INVALID_ARGUMENT);
  });

  test('any string either parses to itself or is INVALID_ARGUMENT', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `projects/p/topics/${s}`),
        ),
        (name) => {
          try {
            expect(parseTopicName(name).full).toBe(name);
          } catch (err) {
            expect((err as RpcError).code).toBe(status.INVALID_ARGUMENT);
          }
        },
      ),
    );
  });
});
