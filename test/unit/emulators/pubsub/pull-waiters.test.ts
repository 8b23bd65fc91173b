import { PullWaiters } from '../../../../emulators/pubsub/pull-waiters';

const SUB = 'projects/p/subscriptions/sub1';

describe('PullWaiters', () => {
  test('wake resolves true only for subscriptions with ready messages', async () => {
    const waiters = new PullWaiters();
    const a = waiters.wait(SUB, 10_000, new AbortController().signal);
    const b = waiters.wait('projects/p/subscriptions/other', 50, new AbortController().signal);
    waiters.wake((name) => name === SUB);
    expect(await a).toBe(true);
    expect(await b).toBe(false); // its bound passed without a wake
  });

  test('an abort, a zero bound and closeAll end waits with false; closed waiters refuse new waits', async () => {
    const waiters = new PullWaiters();
    const controller = new AbortController();
    const aborted = waiters.wait(SUB, 10_000, controller.signal);
    controller.abort();
    expect(await aborted).toBe(false);
    expect(await waiters.wait(SUB, 0, new AbortController().signal)).toBe(false);

    const pending = waiters.wait(SUB, 10_000, new AbortController().signal);
    waiters.closeAll();
    expect(await pending).toBe(false);
    expect(await waiters.wait(SUB, 10_000, new AbortController().signal)).toBe(false);
  });

  test('wakeSubscription wakes that subscription only', async () => {
    const waiters = new PullWaiters();
    const mine = waiters.wait(SUB, 10_000, new AbortController().signal);
    const other = waiters.wait('projects/p/subscriptions/other', 100, new AbortController().signal);
    waiters.wakeSubscription(SUB);
    expect(await mine).toBe(true);
    expect(await other).toBe(false);
  });
});
