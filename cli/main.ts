/** Entry point of the `ferry` command; each subcommand lives in `cli/commands/`. */
import { dropOutputOnEpipe } from './io';
import { runCli } from './run-cli';

dropOutputOnEpipe();

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
