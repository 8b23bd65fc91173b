/** The signals that stop `ferry up`: Ctrl-C, `kill <pid>`, the terminal closing. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export type SignalSource = Pick<NodeJS.Process, 'on' | 'off'> & { exit(code: number): void };

/**
 * Catches stop signals from the call on (install it before starting anything, so no signal finds
 * the process without a handler and kills it outright) and resolves on the first one. Repeats are
 * caught too: through bin/ferry.js a Ctrl-C arrives twice (from the terminal and forwarded by the
 * wrapper, possibly late), and one during the stop must not kill it halfway, leaving
 * `.ferry/stack.json` behind. After `stopped()`, with nothing left to clean up, a further stop
 * signal ends the process at once.
 */
export function awaitStopSignal(source: SignalSource = process): {
  received: Promise<NodeJS.Signals>;
  stopped(): void;
} {
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const onSignal = (signal: NodeJS.Signals) => resolve(signal);
  const exitNow = () => source.exit(0);
  for (const signal of STOP_SIGNALS) source.on(signal, onSignal);
  return {
    received,
    stopped: () => {
      for (const signal of STOP_SIGNALS) {
        source.off(signal, onSignal);
        source.on(signal, exitNow);
      }
    },
  };
}
