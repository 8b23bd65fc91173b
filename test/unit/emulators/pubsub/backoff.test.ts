import fc from 'fast-check';
import { retryDelayMs } from '../../../../emulators/pubsub/backoff';
import { DeliveryRules } from '../../../../emulators/pubsub/types';

const pull: DeliveryRules = { ackDeadlineMs: 10_000, retentionMs: 1e9 };
const push: DeliveryRules = { ...pull, pushEndpoint: 'http://127.0.0.1/x' };

describe('retryDelayMs', () => {
  test.each([
    ['pull without policy', pull, [0, 0, 0]],
    ['push default 10 s doubling', push, [10_000, 20_000, 40_000]],
    ['explicit policy', { ...pull, retry: { minMs: 1000, maxMs: 3000 } }, [1000, 2000, 3000]],
  ])('%s', (_why, rules, expected) => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, rules, 1))).toEqual(expected);
  });

  test('default push backoff is capped at 600 s and scaled by timeScale', () => {
    expect(retryDelayMs(100, push, 1)).toBe(600_000);
    expect(retryDelayMs(1, push, 0.001)).toBeCloseTo(10);
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
