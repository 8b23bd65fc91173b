import type { RunRecord } from '../../functions/core/run/run-record';
import { GcsDocuments } from '../../functions/adapters/gcs/gcs-documents';
import { formatRun } from '../format-run';
import { parseCommandArgs, UsageError, type ParsedArgs } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import { resolveTarget } from '../stack/target';
import { peekDeadLetters } from '../stack/dead-letters';
import { formatPending, readPendingArtifacts, type PendingArtifact } from '../stack/pending-artifacts';
import { filterRuns, parseSince, parseState, type RunFilter } from '../status-filter';
import { watchStatus } from '../status-watch';
import { awaitStopSignal, type SignalSource } from '../stop-signal';

/**
 * `ferry status [run] [--json] [--watch] [--workflow NAME] [--state STATE] [--since DURATION|ISO]`:
 * every run's timeline (or those whose id starts with `run`, exit 1 when none does), and what
 * sits in the dead-letter topic. `--watch` redraws on each change until Ctrl-C (a test passes its
 * own signal source to end the watch without signalling its process).
 */
export const statusCommand =
  (signals: SignalSource = process): Command =>
  async (args, io) => {
    const parsed = parseCommandArgs(COMMAND_SPECS.status, args);
    const filter = runFilter(parsed);
    if (parsed.flag('watch') && parsed.flag('json'))
      throw new UsageError(COMMAND_SPECS.status, '--watch redraws text; drop --json, or poll `ferry status --json`');
    const wanted = parsed.positionals[0];
    try {
      const target = await resolveTarget(parsed.string('project'));
      const documents = new GcsDocuments(() => target.storage, target.stateBucket);
      const read = () =>
        readStatus(documents, wanted, filter, () => readPendingArtifacts(target.storage, target.stateBucket));
      if (parsed.flag('watch')) {
        const signal = awaitStopSignal(signals);
        try {
          await watchStatus({
            render: async () => renderStatus(await read()),
            io,
            stop: signal.received,
            clearScreen: process.stdout.isTTY === true,
          });
        } finally {
          signal.stopped();
        }
        return 0;
      }
      const snapshot = await read();
      if (snapshot.missing) return reportMissing(snapshot, io);
      if (parsed.flag('json')) {
        io.out(
          JSON.stringify(
            { runs: snapshot.runs, waitingForFiles: snapshot.waitingForFiles, deadLetters: snapshot.deadLetters },
            null,
            2,
          ),
        );
        return 0;
      }
      io.out(renderStatus(snapshot));
      return 0;
    } catch (error) {
      io.err(error instanceof Error ? error.message : String(error));
      return 1;
    }
  };

export const status = statusCommand();

/** The filter flags, checked before anything is read so a typo costs no round trip. */
function runFilter(parsed: ParsedArgs): RunFilter {
  const filter: RunFilter = {};
  try {
    const workflow = parsed.string('workflow');
    const state = parsed.string('state');
    const since = parsed.string('since');
    if (workflow !== undefined) filter.workflow = workflow;
    if (state !== undefined) filter.state = parseState(state);
    if (since !== undefined) filter.since = parseSince(since, new Date());
  } catch (error) {
    throw new UsageError(COMMAND_SPECS.status, (error as Error).message);
  }
  return filter;
}

interface StatusSnapshot {
  runs: RunRecord[];
  deadLetters: Awaited<ReturnType<typeof peekDeadLetters>>;
  /** SavedModels still waiting for files: no run yet. */
  waitingForFiles: PendingArtifact[];
  /** Set when a run was asked for by name and none matches: the latest ids, to suggest. */
  missing?: { wanted: string; latest: string[] };
}

async function readStatus(
  documents: GcsDocuments,
  wanted: string | undefined,
  filter: RunFilter,
  readPending: () => Promise<PendingArtifact[]>,
) {
  const all = (await documents.list<RunRecord>('runs/')).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const matches = (runId: string) => !wanted || runId === wanted || runId.startsWith(wanted);
  const named = all.filter((run) => matches(run.runId));
  // No state of their own: shown unless a state is asked for; a workflow's show by their id's prefix.
  const waitingForFiles =
    filter.state === undefined
      ? (await readPending()).filter(
          (p) => matches(p.runId) && (filter.workflow === undefined || p.runId.startsWith(`${filter.workflow}-`)),
        )
      : [];
  const snapshot: StatusSnapshot = {
    runs: filterRuns(named, filter),
    waitingForFiles,
    deadLetters: await peekDeadLetters(),
  };
  // A run asked for by name that does not exist is an error, so a script does not read "nothing" as success.
  if (wanted && named.length === 0 && waitingForFiles.length === 0)
    snapshot.missing = { wanted, latest: all.slice(-5).map((run) => run.runId) };
  return snapshot;
}

function reportMissing({ missing }: StatusSnapshot, io: CliIo): number {
  const { wanted, latest } = missing!;
  io.err(`no run matches ${wanted}; ${latest.length ? `latest runs: ${latest.join(', ')}` : 'no runs yet'}`);
  return 1;
}

function renderStatus({ runs, waitingForFiles, deadLetters, missing }: StatusSnapshot): string {
  const lines: string[] = [];
  if (missing) lines.push(`no run matches ${missing.wanted} yet`);
  else if (runs.length === 0 && waitingForFiles.length === 0)
    lines.push('no runs (matching) yet: drop an artifact with `ferry drop`');
  for (const run of runs) lines.push(`${formatRun(run)}\n`);
  if (waitingForFiles.length > 0) {
    lines.push(`SavedModels waiting for files: ${waitingForFiles.length}`);
    for (const artifact of waitingForFiles) lines.push(formatPending(artifact));
  }
  lines.push(`dead letters: ${deadLetters.length}`);
  for (const letter of deadLetters) lines.push(`  ${JSON.stringify(letter).slice(0, 300)}`);
  return lines.join('\n');
}
