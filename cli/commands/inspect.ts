import { formatReport } from '../format-report';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { errorLine, inspectPath } from '../load-artifact';

/**
 * `ferry inspect <path> [--json] [--no-crc] [--fast]`: what landed, before it costs a deployment.
 * `--fast` reads only the signatures of saved_model.pb, not its whole graph (so it can miss damage).
 */
export const inspect: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.inspect, args);
  const [path] = parsed.positionals;
  try {
    const report = await inspectPath(path, { verifyCrc: !parsed.flag('no-crc'), fast: parsed.flag('fast') });
    io.out(parsed.flag('json') ? JSON.stringify(report, null, 2) : formatReport(report));
    for (const problem of report.problems) io.err(`${problem.file}: ${problem.message}`);
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(errorLine(path, error));
    return 1;
  }
};
