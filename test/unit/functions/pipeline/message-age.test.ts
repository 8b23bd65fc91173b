import { parseOperationMessage, parseStageMessage } from '../../../../functions/pipeline/messages';
import { firstPublished, messageAgeMs } from '../../../../functions/pipeline/message-age';
import { endRunSafely } from '../../../../functions/pipeline/stages/end-run-safely';
import { awaitEndpointTurn } from '../../../../functions/pipeline/stages/endpoint-turn';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { sampleRun } from '../../../helpers/sample-run';

/** The default of FERRY_MAX_EVENT_AGE_MS (entry/config.ts). */
const MAX_EVENT_AGE_MS = 6 * 60 * 60 * 1000;
const AT = '2026-11-23T10:00:00.000Z';

describe('the first-publish time a handed-on message carries (since)', () => {
  it.each([
    ['a stage message', () => parseStageMessage({ runId: 'r', since: AT })],
    ['an operation message', () => parseOperationMessage({ runId: 'r', purpose: 'deploy', startedAt: AT, since: AT })],
  ])('is read from %s', (_name, parse) => {
    expect(parse().since).toBe(AT);
  });

  it.each([
    ['not a date', { runId: 'r', since: 'yesterday' }],
    ['not a string', { runId: 'r', since: 1700000000000 }],
    ['empty', { runId: 'r', since: '' }],
  ])('refuses a since that is %s, naming the field', (_name, value) => {
    expect(() => parseStageMessage(value)).toThrow(/"since"/);
    expect(() => parseOperationMessage({ ...value, purpose: 'deploy', startedAt: AT })).toThrow(/"since"/);
  });

  it('counts the age from the older of the event time and since', () => {
    expect(firstPublished('2026-11-23T12:00:00Z', AT)).toBe(AT);
    expect(firstPublished(AT, '2026-11-23T12:00:00Z')).toBe(AT);
    expect(firstPublished(undefined, AT)).toBe(AT);
    expect(messageAgeMs('2026-11-23T12:00:00Z', AT, new Date('2026-11-23T13:00:00Z'))).toBe(3 * 60 * 60 * 1000);
  });
});

describe('a run waiting its turn on the endpoint', () => {
  it('ends failed once it has waited longer than the maximum event age, though each hand-on is fresh', async () => {
    const clock = fixedClock(AT);
    const deps = {
      leases: new MemoryDocuments(),
      runs: new MemoryRuns(),
      publisher: new MemoryPublisher(),
      clock,
      log: silentLogger(),
      budgetMs: 240_000,
      pollMs: 10_000,
    };
    await deps.runs.create(sampleRun({ runId: 'holder', state: 'deployed' }));
    await deps.runs.create(sampleRun({ runId: 'waiter', state: 'registered' }));
    expect(await awaitEndpointTurn(deps, 'holder', 'flowers')).toBe(true);
    // What stageHandler does with each delivery: its event time is when that copy was published.
    let message = parseStageMessage({ runId: 'waiter' });
    let eventTime = clock.now().toISOString();
    let deliveries = 0;
    for (; deliveries < 200; deliveries += 1) {
      if (messageAgeMs(eventTime, message.since, clock.now()) > MAX_EVENT_AGE_MS) {
        await endRunSafely(deps, message.runId, { reason: 'deployModel: gave up' }); // as stageHandler's give-up does
        break;
      }
      const since = firstPublished(eventTime, message.since);
      expect(await awaitEndpointTurn(deps, message.runId, 'flowers', since)).toBe(false);
      message = parseStageMessage(deps.publisher.on(TOPICS.modelRegistered).at(-1));
      eventTime = clock.now().toISOString();
    }
    // 6 hours in hand-ons of about 240 s each, not an endless wait.
    expect(deliveries).toBe(Math.ceil(MAX_EVENT_AGE_MS / deps.budgetMs) + 1);
    const run = (await deps.runs.get('waiter'))?.value;
    expect(run).toMatchObject({ state: 'failed', reason: 'deployModel: gave up' });
    expect(deps.publisher.on(TOPICS.runEvents)).toContainEqual(
      expect.objectContaining({ runId: 'waiter', state: 'failed' }),
    );
  });
});
