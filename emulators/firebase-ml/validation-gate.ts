/**
 * Test control over when model validations finish. While held, a validation that is due (its
 * `validationDelayMs` has passed, or it had none) waits, so its model stays locked for exactly as
 * long as the test wants: "locked" can be asserted however slow the machine, where a delay window
 * could have run out first. `release()` lets them finish and resolves once they have, so the next
 * read sees the model unlocked with its verdict. Open unless held: production-like by default.
 */
export class ValidationGate {
  private closed?: { opened: Promise<void>; open: () => void };
  private readonly running = new Set<Promise<void>>();

  get held(): boolean {
    return this.closed !== undefined;
  }

  /** Validations that come due from now on wait for `release()`. */
  hold(): void {
    if (this.closed) return;
    let open = (): void => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.closed = { opened, open };
  }

  /** Lets every held validation finish; resolves when they (and any running) have finished. */
  async release(): Promise<void> {
    const closed = this.closed;
    this.closed = undefined;
    closed?.open();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Runs a due validation now, or once released. Never rejects: `finish` handles its own errors. */
  pass(finish: () => Promise<void>): void {
    const closed = this.closed;
    const work = (closed ? closed.opened : Promise.resolve()).then(finish);
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }
}
