import { parseCommandArgs, UsageError } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { awaitStopSignal, type SignalSource } from '../stop-signal';
import { startUiServer } from '../ui/server/server';

/**
 * `ferry ui [--port 8740] [--project PROJECT]`: serves the web UI on 127.0.0.1 until Ctrl-C,
 * reading what `ferry status` reads. It holds no credentials of its own: on a real project it acts
 * as the signed-in gcloud user (Application Default Credentials).
 */
export const uiCommand =
  (signals: SignalSource = process): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs(COMMAND_SPECS.ui, args);
    const port = parsed.number('port');
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new UsageError(COMMAND_SPECS.ui, `--port must be a whole number from 1 to 65535, got ${port}`);
    const signal = awaitStopSignal(signals);
    try {
      let server;
      try {
        server = await startUiServer({ port, project: parsed.string('project') });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          io.err(`port ${port} on 127.0.0.1 is in use (another ferry ui?): stop it, or pass --port`);
          return 1;
        }
        io.err(error instanceof Error ? error.message : String(error));
        return 1;
      }
      io.out(`ferry ui: ${server.url}`);
      io.out('Ctrl-C to stop');
      await signal.received;
      await server.close();
      return 0;
    } finally {
      signal.stopped();
    }
  };

export const ui = uiCommand();
