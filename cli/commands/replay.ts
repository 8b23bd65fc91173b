import { retryRun } from '../../functions/pipeline/operator/retry-run';
import { parseCommandArgs, UsageError } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { CliIo, Command } from '../io';
import {
  describeLetter,
  letterAction,
  letterRunId,
  selectLetters,
  type LetterAction,
  type ParkedLetter,
} from '../replay-plan';
import { openOperator, type OperatorDeps } from '../stack/operator-deps';
import { openDeadLetterInbox, type DeadLetterInbox } from '../stack/replay-dead-letters';
import { useStackFile } from '../stack/stack-env';

interface Planned {
  letter: ParkedLetter;
  topic: string | undefined;
  action: LetterAction;
}

/**
 * `ferry replay [<dead letter id>…] [--all [--yes]] [--project PROJECT]`: deals with parked dead
 * letters. A letter that ended its run starts the run's next attempt (as `ferry retry` does);
 * any other goes back to the topic it came from. Ids named explicitly are acted on; with none, or
 * `--all` alone, it only lists what it would do (`--all --yes` acts on all). A letter is acked
 * only once republished or once the attempt exists, so a second replay of it finds nothing and
 * says so.
 */
export const replay: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.replay, args);
  const ids = parsed.positionals;
  const all = parsed.flag('all');
  if (all && ids.length > 0) throw new UsageError(COMMAND_SPECS.replay, 'give dead letter ids or --all, not both');
  if (parsed.flag('yes') && !all)
    throw new UsageError(COMMAND_SPECS.replay, '--yes confirms --all; named ids are replayed without it');
  const project = parsed.string('project');
  try {
    if (project) process.env.FERRY_PROJECT = project;
    else useStackFile();
    // The runs say which letters ended theirs; without the state bucket every letter is republished.
    const operator = process.env.FERRY_STATE_BUCKET ? await openOperator(io, project) : undefined;
    try {
      const inbox = await openDeadLetterInbox();
      try {
        const chosen = selectLetters(inbox.parked, ids, all || ids.length === 0);
        const acting = ids.length > 0 || (all && parsed.flag('yes'));
        io.out(`${inbox.parked.length} parked dead letter(s)${acting ? ', replaying:' : ':'}`);
        if (!operator)
          io.out(
            '  (runs not read: FERRY_STATE_BUCKET is not set, so every letter goes back to its source topic and a run a letter ended stays ended)',
          );
        const plan = await planLetters(inbox, operator, chosen);
        for (const { letter, topic, action } of plan) io.out(describeLetter(letter, topic, action));
        if (!acting) {
          if (plan.length > 0) io.out('nothing replayed: name the ids, or add --all --yes');
          return 0;
        }
        let stuck = 0;
        for (const planned of plan) if (!(await replayOne(inbox, operator, planned, io))) stuck += 1;
        return stuck > 0 ? 1 : 0;
      } finally {
        await inbox.close();
      }
    } finally {
      await operator?.close();
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};

async function planLetters(
  inbox: DeadLetterInbox,
  operator: OperatorDeps | undefined,
  letters: ParkedLetter[],
): Promise<Planned[]> {
  return Promise.all(
    letters.map(async (letter) => {
      const runId = operator && letterRunId(letter);
      const run = runId ? (await operator.runs.get(runId))?.value : undefined;
      return { letter, topic: await inbox.topicOf(letter), action: letterAction(letter, run) };
    }),
  );
}

/** Replays one letter; false when it stays parked (said on stderr). */
async function replayOne(
  inbox: DeadLetterInbox,
  operator: OperatorDeps | undefined,
  { letter, topic, action }: Planned,
  io: CliIo,
): Promise<boolean> {
  const id = letter.messageId;
  if (action.kind === 'retry' && operator) {
    const result = await retryRun(operator, action.run.runId, {
      verb: 'replay',
      by: operator.by,
      at: operator.clock.now(),
      reason: `replaying dead letter ${id}`,
    });
    if (result.kind === 'refused' || result.kind === 'not-found') {
      io.err(`${id}: ${result.message}; it stays parked`);
      return false;
    }
    await inbox.ack(letter);
    const started = result.kind === 'started' ? 'started' : `already there (${result.run.state})`;
    io.out(
      `${id}: attempt ${result.run.attempt ?? 1} of ${action.run.runId} ${started}: ${result.run.runId}; taken off the inbox`,
    );
    io.out(`  follow it with: ferry status ${result.run.runId}`);
    return true;
  }
  if (!topic) {
    io.err(`${id}: its source topic is unknown; it stays parked`);
    return false;
  }
  const published = await inbox.republish(letter, topic);
  io.out(`${id}: republished to ${topic} as ${published}, taken off the inbox`);
  return true;
}
