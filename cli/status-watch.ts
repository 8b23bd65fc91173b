import type { CliIo } from './io';

/** How often `ferry status --watch` reads the state bucket again: a person's refresh rate, cheap on GCS. */
export const WATCH_INTERVAL_MS = 1000;

/** Clears a terminal and moves to its top left, so each frame replaces the last. */
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

export interface WatchOptions {
  /** The whole status as text, read afresh. */
  render(): Promise<string>;
  io: CliIo;
  /** Resolves when watching should end: Ctrl-C for a person, a condition for a test. */
  stop: Promise<unknown>;
  intervalMs?: number;
  /** On a terminal each frame replaces the last; into a pipe or file frames follow one another. */
  clearScreen?: boolean;
  /** Called with each frame printed (tests end the watch on what they saw). */
  onFrame?(frame: string): void;
}

/**
 * Redraws only when the status changed, so a quiet stack prints nothing and a pipe gets one frame
 * per change. A read that fails (the stack restarting) is shown once and retried on the next tick.
 */
export async function watchStatus(options: WatchOptions): Promise<void> {
  const { io, intervalMs = WATCH_INTERVAL_MS } = options;
  let stopped = false;
  void options.stop.then(() => {
    stopped = true;
  });
  let last: string | undefined;
  let wake: () => void = () => undefined;
  const stopNow = options.stop.then(() => wake());
  while (!stopped) {
    let frame: string;
    try {
      frame = await options.render();
    } catch (error) {
      frame = `status unavailable, retrying: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (frame !== last && !stopped) {
      last = frame;
      io.out(options.clearScreen ? `${CLEAR_SCREEN}${frame}` : `--- ${new Date().toISOString()}\n${frame}`);
      options.onFrame?.(frame);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
      if (stopped) wake();
    });
  }
  await stopNow;
}
