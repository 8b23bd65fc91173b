import fc from 'fast-check';
import { retryDelayMs } from '../../../../emulators/pubsub/backoff';
import { DeliveryRules } from '../../../../emulators/pubsub/types';

const pull: DeliveryRules = { ackDeadlineMs: 10_000, retentionMs: 1e9 };
const push: DeliveryRules = { ...pull, pushEndpoint: 'http://127.0.0.1/x' };

describe('retryDelayMs', () => {
  test.each([
    ['pull without policy', pull, [0, 0, 0]],
    // https://cloud.google.com/pubsub/docs/handling-failures: no retry policy, resent at once.
    ['push without policy', push, [0, 0, 0]],
    ['explicit policy', { ...pull, retry: { minMs: 1000, maxMs: 3000 } }, [1000, 2000, 3000]],
  ])('%s', (_why, rules, expected) => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, rules, 1))).toEqual(expected);
  });

  test("a policy's backoff is capped at its maximum and scaled by timeScale", () => {
    const policy = { ...push, retry: { minMs: 10_000, maxMs: 600_000 } };
    expect(retryDelayMs(100, policy, 1)).toBe(600_000);
    expect(retryDelayMs(1, policy, 0.001)).toBeCloseTo(10);
  });

  test('never decreases with more attempts and stays within [min, max]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 1, max: 200 }),
        (a, b, n) => {
          const rules = { ...pull, retry: { minMs: Math.min(a, b), maxMs: Math.max(a, b) } };
          const d = retryDelayMs(n, rules, 1);
          expect(d).toBeGreaterThanOrEqual(rules.retry.minMs);
          expect(d).toBeLessThanOrEqual(rules.retry.maxMs);
          expect(retryDelayMs(n + 1, rules, 1)).toBeGreaterThanOrEqual(d);
        },
      ),
    );
  });
});
