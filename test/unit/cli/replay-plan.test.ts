import {
  describeLetter,
  letterAction,
  letterRunId,
  originalAttributes,
  selectLetters,
  type ParkedLetter,
} from '../../../cli/replay-plan';
import { runIdFor } from '../../../functions/core/run/run-id';
import { sampleRun } from '../../helpers/sample-run';

const letter = (messageId: string, attributes: Record<string, string> = {}): ParkedLetter => ({
  messageId,
  attributes,
  data: Buffer.from(JSON.stringify({ runId: `run-${messageId}` })),
});
const parked = [letter('11'), letter('12'), letter('13')];

describe('selectLetters', () => {
  it('picks the named ids, in the order given', () =>
    expect(selectLetters(parked, ['13', '11'], false).map((l) => l.messageId)).toEqual(['13', '11']));
  it('picks all with all', () => expect(selectLetters(parked, [], true)).toHaveLength(3));
  it('names an unknown id and lists the parked ones', () =>
    expect(() => selectLetters(parked, ['11', '99'], false)).toThrow(
      'no parked dead letter 99 (already replayed, or a typo); parked: 11, 12, 13',
    ));
  it('says when none is parked', () =>
    expect(() => selectLetters([], ['11'], false)).toThrow(/no parked dead letter 11 .*; none is parked/));
});

describe('originalAttributes', () => {
  it('drops what dead-lettering added and keeps the rest', () =>
    expect(
      originalAttributes({
        CloudPubSubDeadLetterSourceSubscription: 'registerModel-trigger',
        CloudPubSubDeadLetterSourceDeliveryCount: '5',
        traceparent: '00-abc',
      }),
    ).toEqual({ traceparent: '00-abc' }));
});

describe('describeLetter', () => {
  it('shows where the letter came from and goes back to', () =>
    expect(
      describeLetter(
        letter('11', {
          CloudPubSubDeadLetterSourceSubscription: 'registerModel-trigger',
          CloudPubSubDeadLetterSourceDeliveryCount: '5',
        }),
        'projects/p/topics/ferry.savedmodel.ready',
      ),
    ).toBe(
      '  11  registerModel-trigger (5 deliveries) → projects/p/topics/ferry.savedmodel.ready  {"runId":"run-11"}',
    ));
  it('says a letter with no known source stays parked', () =>
    expect(describeLetter(letter('12'), undefined)).toContain('no source subscription → nowhere'));
});

describe('letterAction', () => {
  const runId = runIdFor('flowers', '7', 'artifacts', 'models/flowers/7/');
  const parkedFor = (id: string) => ({ ...letter(id), data: Buffer.from(JSON.stringify({ runId })) });
  const ended = sampleRun({ runId, state: 'failed', outcome: 'failed', deadLetterId: '11' });

  it('reads the run a letter names, and none from a letter that is not a stage message', () => {
    expect(letterRunId(parkedFor('11'))).toBe(runId);
    expect(letterRunId({ ...letter('12'), data: Buffer.from('not json') })).toBeUndefined();
    expect(letterRunId({ ...letter('13'), data: Buffer.from('{"bucket":"b"}') })).toBeUndefined();
  });

  it('retries the failed run the very letter ended, naming its next attempt', () => {
    const action = letterAction(parkedFor('11'), ended);
    expect(action).toEqual({ kind: 'retry', run: ended, attemptId: `${runId}-a2` });
    expect(describeLetter(parkedFor('11'), 'projects/p/topics/ferry.savedmodel.ready', action)).toBe(
      `  11  no source subscription → retry: it ended run ${runId} (failed), so its next attempt ${runId}-a2 starts  {"runId":"${runId}"}`,
    );
  });

  it.each([
    ['no run', undefined],
    ['a run another letter ended', { ...ended, deadLetterId: '99' }],
    ['a run that moved on and ended otherwise', { ...ended, state: 'promoted' as const, outcome: 'promoted' as const }],
    ['a rollback run', { ...ended, kind: 'rollback' as const }],
  ])('republishes a letter with %s', (_, run) => {
    expect(letterAction(parkedFor('11'), run)).toEqual({ kind: 'republish' });
  });
});
