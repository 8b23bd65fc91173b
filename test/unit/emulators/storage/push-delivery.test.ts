import { FaultInjector } from '../../../../emulators/faults';
import { backoffMs, PushSubscription } from '../../../../emulators/storage/push-delivery';

describe('backoffMs', () => {
  it.each([
    [1, 1, 100],
    [2, 1, 200],
    [3, 1, 400],
    [5, 1, 1000],
    [9, 1, 1000],
    [3, 0.01, 4],
  ])('after attempt %i with timeScale %d waits %d ms', (attempt, timeScale, expected) => {
    expect(backoffMs({ minBackoffMs: 100, maxBackoffMs: 1000, maxAttempts: 10 }, attempt, timeScale)).toBeCloseTo(
      expected,
    );
  });
});

describe('PushSubscription', () => {
  it.each([
    [{ minBackoffMs: 1, maxBackoffMs: 2, maxAttempts: 0 }, 'http://127.0.0.1:1/', /maxAttempts >= 1/],
    [{ minBackoffMs: 5, maxBackoffMs: 2, maxAttempts: 1 }, 'http://127.0.0.1:1/', /minBackoffMs <= maxBackoffMs/],
    [{ minBackoffMs: -1, maxBackoffMs: 2, maxAttempts: 1 }, 'http://127.0.0.1:1/', /0 <= minBackoffMs/],
    [{ minBackoffMs: 1, maxBackoffMs: 2, maxAttempts: 1 }, 'nope', /Invalid URL/],
  ])('refuses retry %j / url %j', (retry, url, message) => {
    expect(() => new PushSubscription({ url, eventTypes: [], retry }, new FaultInjector())).toThrow(message);
  });

  it('matches on event type and bucket', () => {
    const subscription = new PushSubscription(
      {
        url: 'http://127.0.0.1:1/',
        eventTypes: ['google.cloud.storage.object.v1.finalized'],
        bucket: 'a-bucket',
        retry: { minBackoffMs: 1, maxBackoffMs: 1, maxAttempts: 1 },
      },
      new FaultInjector(),
    );
    const event = (type: string, bucket: string) => ({ type, data: { bucket } }) as never;
    expect(subscription.matches(event('google.cloud.storage.object.v1.finalized', 'a-bucket'))).toBe(true);
    expect(subscription.matches(event('google.cloud.storage.object.v1.deleted', 'a-bucket'))).toBe(false);
    expect(subscription.matches(event('google.cloud.storage.object.v1.finalized', 'b-bucket'))).toBe(false);
  });
});
