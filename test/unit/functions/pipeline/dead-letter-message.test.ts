import { deadLetterReason, readDeadLetter } from '../../../../functions/pipeline/dead-letter-message';

const forwarded = (subscription: string, count = '10') => ({
  CloudPubSubDeadLetterSourceSubscription: subscription,
  CloudPubSubDeadLetterSourceDeliveryCount: count,
  CloudPubSubDeadLetterSourceSubscriptionProject: 'p',
});
const OPERATION = 'projects/p/locations/l/endpoints/1/operations/9';
const op = (purpose: string) => ({ runId: 'r-1', purpose, startedAt: '2026-11-23T10:00:00Z', operation: OPERATION });

describe('readDeadLetter', () => {
  it.each([
    ['registerModel-trigger', { runId: 'r-1' }, { state: 'checked' }],
    ['publishMobile-trigger', { runId: 'r-1' }, { state: 'checked' }],
    ['deployModel-trigger', { runId: 'r-1' }, { state: 'registered' }],
    ['validatePredictions-trigger', { runId: 'r-1', step: 0 }, { state: 'deployed', step: 0 }],
    ['awaitOperation-trigger', op('deploy'), { state: 'deploying' }],
    ['awaitOperation-trigger', op('rollback'), { state: 'rolling-back' }],
    ['awaitOperation-trigger', op('retire'), { state: 'promoting' }],
    ['awaitOperation-trigger', op('register'), { state: 'checked' }],
    ['awaitOperation-trigger', op('create-endpoint'), { state: 'registered' }],
    ['someone-else', { runId: 'r-1' }, undefined],
    ['validatePredictions-trigger', { runId: 'r-1', step: 'x' }, undefined],
  ])('%s %j stalled the run at %j', (subscription, json, at) => {
    const letter = readDeadLetter('55', json, forwarded(subscription));
    expect(letter).toEqual({
      id: '55',
      runId: 'r-1',
      sourceSubscription: subscription,
      deliveries: 10,
      ...(at ? { at } : {}),
    });
  });

  it.each([
    ['a message ferry parked itself', { function: 'registerModel', eventId: 'e', error: 'bad', data: null }],
    ['a malformed run id', { runId: '../etc' }],
    ['not an object', 'text'],
    ['null', null],
  ])('names no run for %s', (_, json) => {
    expect(readDeadLetter('56', json, {})).toEqual({ id: '56' });
  });

  it('says where, how often and which dead letter in the reason', () => {
    expect(deadLetterReason(readDeadLetter('57', { runId: 'r-1' }, forwarded('deployModel-trigger', '5')))).toBe(
      "dead-lettered on deployModel-trigger after 5 deliveries (dead letter 57): the stage kept failing; see its function's logs",
    );
  });
});
