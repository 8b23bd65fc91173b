import type { RunRecord } from '../../functions/core/run/run-record';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import { formatRun } from '../format-run';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { resolveTarget } from '../stack/target';
import { peekDeadLetters } from '../stack/dead-letters';

/** `ferry status [run] [--json]`: every run's timeline (or one run's), and what sits in the dead-letter topic. */
export const status: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.status, args);
  const { positionals } = parsed;
  try {
    const target = await resolveTarget();
    const documents = new GcsDocuments(() => target.storage, target.stateBucket);
    let runs = (await documents.list<RunRecord>('runs/')).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (positionals[0])
      runs = runs.filter((run) => run.runId === positionals[0] || run.runId.startsWith(positionals[0]));
    const deadLetters = await peekDeadLetters();
    if (parsed.flag('json')) {
      io.out(JSON.stringify({ runs, deadLetters }, null, 2));
      return 0;
    }
    if (runs.length === 0)
      io.out(positionals[0] ? `no run matches ${positionals[0]}` : 'no runs yet: drop an artifact with `ferry drop`');
    for (const run of runs) io.out(`${formatRun(run)}\n`);
    io.out(`dead letters: ${deadLetters.length}`);
    for (const letter of deadLetters) io.out(`  ${JSON.stringify(letter).slice(0, 300)}`);
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
