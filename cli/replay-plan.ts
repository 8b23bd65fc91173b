import { readDeadLetter } from '../functions/pipeline/dead-letter-message';
import type { RunRecord } from '../functions/core/run/run-record';
import { nextAttemptId } from '../functions/core/run/retry-attempt';

/** A dead letter as `ferry replay` lists it: where it came from and where it would go back to. */
export interface ParkedLetter {
  messageId: string;
  attributes: Record<string, string>;
  data: Buffer;
}

/** Attributes Pub/Sub adds when it dead-letters a message: not the stage's, so not republished. */
const DEAD_LETTER_PREFIX = 'CloudPubSubDeadLetter';

/** The message's own attributes, without what dead-lettering added. */
export function originalAttributes(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => !name.startsWith(DEAD_LETTER_PREFIX)));
}

/** The trigger subscription that gave up on the letter (short name), if Pub/Sub forwarded it. */
export function sourceSubscription(letter: ParkedLetter): string | undefined {
  return letter.attributes.CloudPubSubDeadLetterSourceSubscription || undefined;
}

/**
 * The letters named by `ids` (all of them with `all`). An id that is not parked is an error naming
 * it and listing those that are, so a typo or a second replay does not pass as success.
 */
export function selectLetters(parked: readonly ParkedLetter[], ids: readonly string[], all: boolean): ParkedLetter[] {
  if (all) return [...parked];
  const unknown = ids.filter((id) => !parked.some((letter) => letter.messageId === id));
  if (unknown.length > 0) {
    const known = parked.map((letter) => letter.messageId);
    throw new Error(
      `no parked dead letter ${unknown.join(', ')} (already replayed, or a typo); ${known.length ? `parked: ${known.join(', ')}` : 'none is parked'}`,
    );
  }
  return ids.map((id) => parked.find((letter) => letter.messageId === id)!);
}

/**
 * What replaying a letter does. A letter that ended its run (onDeadLetter recorded its id on the
 * run, which it left `failed`) would only meet an ended run if republished, so the run's next
 * attempt starts instead (`ferry retry`). Any other letter (one that named no run, or whose run had
 * moved on) goes back to its source topic.
 */
export type LetterAction = { kind: 'retry'; run: RunRecord; attemptId: string } | { kind: 'republish' };

/** The run a letter's stage message names, if it names one. */
export function letterRunId(letter: ParkedLetter): string | undefined {
  try {
    return readDeadLetter(letter.messageId, JSON.parse(letter.data.toString('utf8')), letter.attributes).runId;
  } catch {
    return undefined; // not JSON: nothing names a run
  }
}

/** `retry` for the failed run this very letter ended (rollbacks are never retried), else `republish`. */
export function letterAction(letter: ParkedLetter, run: RunRecord | undefined): LetterAction {
  if (run && run.deadLetterId === letter.messageId && run.state === 'failed' && run.kind !== 'rollback')
    return { kind: 'retry', run, attemptId: nextAttemptId(run) };
  return { kind: 'republish' };
}

/**
 * One line per letter: its id, the subscription that gave up, and what replaying it does: the
 * topic it would be republished to, or the next attempt of the run it ended.
 */
export function describeLetter(
  letter: ParkedLetter,
  topic: string | undefined,
  action: LetterAction = { kind: 'republish' },
): string {
  const from = sourceSubscription(letter) ?? 'no source subscription';
  const to =
    action.kind === 'retry'
      ? `retry: it ended run ${action.run.runId} (failed), so its next attempt ${action.attemptId} starts`
      : (topic ?? 'nowhere: its source is unknown, it stays parked');
  const deliveries = letter.attributes.CloudPubSubDeadLetterSourceDeliveryCount;
  const text = letter.data.toString('utf8').slice(0, 120);
  return `  ${letter.messageId}  ${from}${deliveries ? ` (${deliveries} deliveries)` : ''} → ${to}  ${text}`;
}
