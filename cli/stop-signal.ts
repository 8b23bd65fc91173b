/** The signals that stop `ferry up`: Ctrl-C, `kill <pid>`, the terminal closing. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

type SignalSource = Pick<NodeJS.Process, 'on' | 'off'>;

/**
 * Waits for the first stop signal, and keeps catching them until `release()`: through
 * bin/ferry.js a Ctrl-C arrives twice (from the terminal and forwarded by the wrapper), and a
 * repeat during the stop must not kill the process halfway, leaving `.ferry/stack.json` behind.
 */
export function awaitStopSignal(source: SignalSource = process): {
  received: Promise<NodeJS.Signals>;
  release(): void;
} {
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((done) => {
    resolve = done;
  });
  const onSignal = (signal: NodeJS.Signals) => resolve(signal);
  for (const signal of STOP_SIGNALS) source.on(signal, onSignal);
  return {
    received,
    release: () => {
      for (const signal of STOP_SIGNALS) source.off(signal, onSignal);
    },
  };
}
