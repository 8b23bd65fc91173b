import { parseArgs } from 'node:util';
import { formatReport } from '../format-report';
import type { Command } from '../io';
import { errorLine, inspectPath } from '../load-artifact';

/**
 * `ferry inspect <path> [--json] [--no-crc] [--fast]`: what landed, before it costs a deployment.
 * `--fast` reads only the signatures of saved_model.pb, not its whole graph (so it can miss damage).
 */
export const inspect: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'no-crc': { type: 'boolean' }, fast: { type: 'boolean' } },
  });
  if (positionals.length !== 1) {
    io.err('usage: ferry inspect <SavedModel folder | model.tflite> [--json] [--no-crc] [--fast]');
    return 2;
  }
  const [path] = positionals;
  try {
    const report = await inspectPath(path, { verifyCrc: !values['no-crc'], fast: values.fast });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    for (const problem of report.problems) io.err(`${problem.file}: ${problem.message}`);
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    io.err(errorLine(path, error));
    return 1;
  }
};
