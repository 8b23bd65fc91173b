/**
 * Pull calls waiting for messages. `Pull` without `returnImmediately` (the default; the flag is
 * deprecated) "wait[s] (for a bounded amount of time) until at least one message is available,
 * rather than returning no messages" (PullRequest.return_immediately in pubsub.proto). The delivery
 * loop wakes a subscription's waiters when it has ready messages; a waiter also ends at its bound,
 * when its call is cancelled (client deadline, closed connection) or when the emulator stops.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#pullrequest
 */
export class PullWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private closed = false;

  /**
   * Resolves true when `subscription` may have messages now, false when the wait is over without
   * any (bound reached, `signal` aborted, emulator stopping).
   */
  wait(subscription: string, ms: number, signal: AbortSignal): Promise<boolean> {
    if (this.closed || signal.aborted || ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const set = this.waiting.get(subscription) ?? new Set<() => void>();
      this.waiting.set(subscription, set);
      const finish = (woken: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        set.delete(wake);
        if (set.size === 0 && this.waiting.get(subscription) === set) this.waiting.delete(subscription);
        resolve(woken && !this.closed);
      };
      const wake = (): void => finish(true);
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), ms);
      signal.addEventListener('abort', onAbort);
      set.add(wake);
    });
  }

  /** Wakes the waiters of every subscription `hasReady` says has deliverable messages. */
  wake(hasReady: (subscription: string) => boolean): void {
    for (const [name, set] of [...this.waiting]) if (hasReady(name)) for (const wake of [...set]) wake();
  }

  /** Wakes the waiters of one subscription (deleted: their next lease answers NOT_FOUND). */
  wakeSubscription(subscription: string): void {
    for (const wake of [...(this.waiting.get(subscription) ?? [])]) wake();
  }

  /** Ends every wait (empty answers) and refuses new ones: the emulator is stopping. */
  closeAll(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const wake of [...set]) wake();
  }
}
