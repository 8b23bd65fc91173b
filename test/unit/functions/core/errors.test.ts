import { status } from '@grpc/grpc-js';
import { PortError, classifyError, errorMessage, isPortError, retryLater } from '../../../../functions/core/errors';
import { GRPC } from '../../../../functions/core/grpc-codes';

const withCode = (code: unknown, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error('x'), { code, ...extra });

describe('classifyError', () => {
  it.each([
    ['gRPC UNAVAILABLE', withCode(14), 'transient'],
    ['gRPC DEADLINE_EXCEEDED', withCode(4), 'transient'],
    ['gRPC RESOURCE_EXHAUSTED', withCode(8), 'transient'],
    ['gRPC INVALID_ARGUMENT', withCode(3), 'permanent'],
    ['gRPC FAILED_PRECONDITION', withCode(9), 'permanent'],
    ['gRPC NOT_FOUND', withCode(5), 'permanent'],
    ['HTTP 429', withCode(429), 'transient'],
    ['HTTP 503', withCode(503), 'transient'],
    ['HTTP 412', withCode(412), 'permanent'],
    ['HTTP 400 in status', withCode(undefined, { status: 400 }), 'permanent'],
    ['a reset socket', withCode('ECONNRESET'), 'transient'],
    ['firebase-admin 429', withCode('machine-learning/resource-exhausted'), 'transient'],
    ['firebase-admin UNAVAILABLE', withCode('machine-learning/service-unavailable'), 'transient'],
    ['firebase-admin INVALID_ARGUMENT', withCode('machine-learning/invalid-argument'), 'permanent'],
    ['firebase-admin unknown error', withCode('machine-learning/unknown-error'), 'permanent'],
    ['a plain error', new Error('bad artifact'), 'permanent'],
    ['a busy port', new PortError('busy', 'endpoints/1: operation in progress'), 'transient'],
    ['a not-found port', new PortError('not-found', 'endpoints/1: gone'), 'permanent'],
    ['an already-exists port', new PortError('already-exists', 'endpoints/1: exists'), 'permanent'],
    ['an invalid port', new PortError('invalid', 'endpoints/1: bad split'), 'permanent'],
    ['retryLater', retryLater('wait'), 'transient'],
    ['a string', 'oops', 'permanent'],
  ])('%s is %s', (_name, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });
});

describe('errorMessage', () => {
  it('keeps the first line', () => {
    expect(errorMessage(new Error('first\nsecond'))).toBe('first');
    expect(errorMessage(42)).toBe('42');
  });
});

describe('PortError', () => {
  it('is told apart by kind', () => {
    const error = new PortError('busy', 'endpoints/1: operation in progress', { cause: 'x' });
    expect(isPortError(error)).toBe(true);
    expect(isPortError(error, 'busy')).toBe(true);
    expect(isPortError(error, 'not-found')).toBe(false);
    expect(isPortError(Object.assign(new Error('5 NOT_FOUND'), { code: 5, kind: 'not-found' }), 'not-found')).toBe(
      false,
    );
    expect(error).toMatchObject({ name: 'PortError', message: 'endpoints/1: operation in progress', cause: 'x' });
  });
});

describe('GRPC', () => {
  it.each(Object.entries(GRPC))('%s is %i as in @grpc/grpc-js', (name, code) => {
    expect(status[name as keyof typeof status]).toBe(code);
  });
});
