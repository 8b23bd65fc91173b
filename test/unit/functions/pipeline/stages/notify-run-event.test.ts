import { PortError } from '../../../../../functions/core/errors';
import { parseRunEvent, type RunEvent } from '../../../../../functions/pipeline/messages';
import type { ChatWebhook } from '../../../../../functions/pipeline/ports';
import {
  notificationKey,
  notifyRunEvent,
  type NotifyDeps,
} from '../../../../../functions/pipeline/stages/notify-run-event';
import { fixedClock, MemoryDocuments, silentLogger } from '../../../../helpers/memory-ports';

/** ferry's own port, in memory: records what was posted, fails as told. */
class RecordingWebhook implements ChatWebhook {
  readonly posts: object[] = [];
  failures: Error[] = [];
  async post(payload: object): Promise<void> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.posts.push(payload);
  }
}

const failed: RunEvent = {
  runId: 'flowers-7-abc',
  workflow: 'flowers',
  state: 'failed',
  outcome: 'failed',
  detail: 'dead-lettered on validatePredictions-trigger after 10 deliveries (dead letter 99)',
  at: '2026-11-30T07:00:00.000Z',
  deadLetterId: '99',
};

function setup() {
  const webhook = new RecordingWebhook();
  const documents = new MemoryDocuments();
  const clock = fixedClock();
  const log = silentLogger();
  const deps: NotifyDeps = { webhook, format: 'chat', documents, clock, log, claimMs: 60_000 };
  return { webhook, documents, clock, log, deps };
}

describe('notifyRunEvent', () => {
  it('posts the dead letter once, naming the run, the reason and ferry status', async () => {
    const { webhook, deps } = setup();
    expect(await notifyRunEvent(deps, failed)).toBe('posted');
    expect(webhook.posts).toHaveLength(1);
    const { text } = webhook.posts[0] as { text: string };
    expect(text).toContain('run flowers-7-abc (flowers) failed: a stage message was dead-lettered');
    expect(text).toContain('dead letter 99');
    expect(text).toContain('ferry status flowers-7-abc');
  });

  it('a duplicate delivery of the same event posts nothing more', async () => {
    const { webhook, deps } = setup();
    await notifyRunEvent(deps, failed);
    expect(await notifyRunEvent(deps, { ...failed })).toBe('duplicate');
    expect(webhook.posts).toHaveLength(1);
  });

  it('the same state at another time is another event', async () => {
    const { webhook, deps } = setup();
    await notifyRunEvent(deps, { ...failed, state: 'awaiting-approval', at: '2026-11-30T07:00:00.000Z' });
    await notifyRunEvent(deps, { ...failed, state: 'awaiting-approval', at: '2026-11-30T07:05:00.000Z' });
    expect(webhook.posts).toHaveLength(2);
  });

  it('ignores states nobody is told about, writing nothing', async () => {
    const { webhook, documents, deps } = setup();
    expect(await notifyRunEvent(deps, { ...failed, state: 'deploying' })).toBe('not-announced');
    expect(webhook.posts).toHaveLength(0);
    expect(documents.docs.size).toBe(0);
  });

  it('a busy webhook (429, 5xx, timeout) throws for a retry, and the retry posts', async () => {
    const { webhook, documents, deps } = setup();
    webhook.failures = [new PortError('busy', 'chat webhook at h answered HTTP 503')];
    await expect(notifyRunEvent(deps, failed)).rejects.toThrow('HTTP 503');
    expect(documents.docs.has(notificationKey(failed))).toBe(false);
    expect(await notifyRunEvent(deps, failed)).toBe('posted');
    expect(webhook.posts).toHaveLength(1);
  });

  it('a webhook that refuses the message (4xx) is logged with what to check, and not retried', async () => {
    const { webhook, log, deps } = setup();
    webhook.failures = [new PortError('invalid', 'chat webhook at h answered HTTP 404')];
    expect(await notifyRunEvent(deps, failed)).toBe('refused');
    expect(log.lines.join('\n')).toMatch(/error: .*HTTP 404.*check the webhook URL and its secret/);
  });

  it('a second delivery while the first is posting retries later; after the claim expires it takes over', async () => {
    const { webhook, documents, clock, deps } = setup();
    await documents.create(notificationKey(failed), {
      status: 'posting',
      until: new Date(clock.now().getTime() + 60_000).toISOString(),
    });
    await expect(notifyRunEvent(deps, failed)).rejects.toThrow(/another delivery is posting it/);
    expect(webhook.posts).toHaveLength(0);
    clock.advance(60_001);
    expect(await notifyRunEvent(deps, failed)).toBe('posted');
    expect((await documents.get<{ status: string }>(notificationKey(failed)))!.value.status).toBe('posted');
  });
});

describe('parseRunEvent', () => {
  it('reads what announce() publishes', () => {
    expect(parseRunEvent(JSON.parse(JSON.stringify(failed)))).toEqual(failed);
  });

  it('keeps the environment of a run in a workflow with environments', () => {
    const staged = { ...failed, environment: 'production' };
    expect(parseRunEvent(JSON.parse(JSON.stringify(staged)))).toEqual(staged);
  });

  it.each([
    [null, /expected a JSON object/],
    [{ ...failed, runId: 'Bad Id' }, /"runId"/],
    [{ ...failed, workflow: '' }, /"workflow"/],
    [{ ...failed, state: 'FAILED!' }, /"state"/],
    [{ ...failed, at: 'yesterday' }, /"at" is not a date/],
    [{ ...failed, detail: 3 }, /"detail"/],
    [{ ...failed, environment: 7 }, /"environment"/],
  ])('refuses %j', (value, message) => expect(() => parseRunEvent(value)).toThrow(message));
});
