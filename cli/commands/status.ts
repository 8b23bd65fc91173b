import type { RunRecord } from '../../functions/core/run/run-record';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import { formatRun } from '../format-run';
import { parseCommandArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { resolveTarget } from '../stack/target';
import { peekDeadLetters } from '../stack/dead-letters';

/**
 * `ferry status [run] [--json]`: every run's timeline (or those whose id starts with `run`, exit 1
 * when none does), and what sits in the dead-letter topic.
 */
export const status: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.status, args);
  const { positionals } = parsed;
  try {
    const target = await resolveTarget();
    const documents = new GcsDocuments(() => target.storage, target.stateBucket);
    const all = (await documents.list<RunRecord>('runs/')).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const wanted = positionals[0];
    const runs = wanted ? all.filter((run) => run.runId === wanted || run.runId.startsWith(wanted)) : all;
    // A run asked for by name that does not exist is an error, so a script does not read "nothing" as success.
    if (wanted && runs.length === 0) {
      const known = all.slice(-5).map((run) => run.runId);
      io.err(`no run matches ${wanted}; ${known.length ? `latest runs: ${known.join(', ')}` : 'no runs yet'}`);
      return 1;
    }
    const deadLetters = await peekDeadLetters();
    if (parsed.flag('json')) {
      io.out(JSON.stringify({ runs, deadLetters }, null, 2));
      return 0;
    }
    if (runs.length === 0) io.out('no runs yet: drop an artifact with `ferry drop`');
    for (const run of runs) io.out(`${formatRun(run)}\n`);
    io.out(`dead letters: ${deadLetters.length}`);
    for (const letter of deadLetters) io.out(`  ${JSON.stringify(letter).slice(0, 300)}`);
    return 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
