import { parseCommandArgs, UsageError } from '../command-spec';
import { COMMAND_SPECS } from '../command-specs';
import type { Command } from '../io';
import { describeLetter, selectLetters } from '../replay-plan';
import { openDeadLetterInbox } from '../stack/replay-dead-letters';
import { useStackFile } from '../stack/stack-env';

/**
 * `ferry replay [<dead letter id>…] [--all [--yes]]`: republishes parked dead letters to the topic
 * they came from. Ids named explicitly are acted on; with none, or `--all` alone, it only lists
 * what it would do (`--all --yes` acts on all). A letter is acked only once republished, so a
 * second replay of it finds nothing and says so.
 */
export const replay: Command = async (args, io) => {
  const parsed = parseCommandArgs(COMMAND_SPECS.replay, args);
  const ids = parsed.positionals;
  const all = parsed.flag('all');
  if (all && ids.length > 0) throw new UsageError(COMMAND_SPECS.replay, 'give dead letter ids or --all, not both');
  if (parsed.flag('yes') && !all)
    throw new UsageError(COMMAND_SPECS.replay, '--yes confirms --all; named ids are replayed without it');
  try {
    useStackFile();
    const inbox = await openDeadLetterInbox();
    try {
      const chosen = selectLetters(inbox.parked, ids, all || ids.length === 0);
      const acting = ids.length > 0 || (all && parsed.flag('yes'));
      io.out(`${inbox.parked.length} parked dead letter(s)${acting ? ', replaying:' : ':'}`);
      const plan = await Promise.all(chosen.map(async (letter) => ({ letter, topic: await inbox.topicOf(letter) })));
      for (const { letter, topic } of plan) io.out(describeLetter(letter, topic));
      if (!acting) {
        if (plan.length > 0) io.out('nothing republished: name the ids, or add --all --yes');
        return 0;
      }
      let stuck = 0;
      for (const { letter, topic } of plan) {
        if (!topic) {
          io.err(`${letter.messageId}: its source topic is unknown; it stays parked`);
          stuck += 1;
          continue;
        }
        const id = await inbox.republish(letter, topic);
        io.out(`${letter.messageId}: republished to ${topic} as ${id}, taken off the inbox`);
      }
      return stuck > 0 ? 1 : 0;
    } finally {
      await inbox.close();
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
};
