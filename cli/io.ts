/** Where a command writes; tests pass their own to capture output. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Set once stdout's reader has gone (`ferry status | head`): the rest of the output is dropped
 * and the command still finishes (ferry up still stops its stack), its exit code standing.
 */
let stdoutGone = false;

/** Turns EPIPE on a stream into "stop writing to it" instead of an unhandled 'error' and a stack trace. */
export function dropOutputOnEpipe(stream: NodeJS.EventEmitter = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutGone = true;
  });
}

export const processIo: CliIo = {
  out: (text) => {
    if (!stdoutGone) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

/** A command: takes its own arguments, returns the exit code. */
export type Command = (args: string[], io: CliIo) => Promise<number>;
