import { formatWarning, workflowWarnings } from '../../functions/core/workflow/workflow-warnings';
import { parseCommandArgs, UsageError } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { loadCliWorkflows } from '../workflows-dir';

/**
 * `ferry workflows check [dir]`: loads every workflow file; the first bad one is named with its
 * field (exit 1). Settings that weaken a gate are printed as warnings and still exit 0.
 */
export const workflows: Command = async (args, io) => {
  const [sub, dir] = parseCommandArgs(COMMAND_SPECS.workflows, args).positionals;
  if (sub !== 'check')
    throw new UsageError(COMMAND_SPECS.workflows, `unknown subcommand "${sub}"; the one there is: check`);
  try {
    const set = loadCliWorkflows(dir);
    const warnings = set.workflows.flatMap(workflowWarnings);
    for (const w of set.workflows) io.out(`ok  ${w.file}: ${w.artifact} at ${w.match}`);
    for (const warning of warnings) io.err(`warning: ${formatWarning(warning)}`);
    io.out(`${set.workflows.length} workflow(s) valid${warnings.length ? `, ${warnings.length} warning(s)` : ''}`);
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
