import { describeLetter, originalAttributes, selectLetters, type ParkedLetter } from '../../../cli/replay-plan';

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
