import { chatFormatFor, chatPayload, ChatFormatError } from '../../../../../functions/core/notify/chat-payload';
import { runNotification, type RunEventFacts } from '../../../../../functions/core/notify/run-notification';

const event = (patch: Partial<RunEventFacts>): RunEventFacts => ({
  runId: 'flowers-7-abc',
  workflow: 'flowers',
  state: 'failed',
  at: '2026-11-30T07:00:00.000Z',
  ...patch,
});

describe('runNotification', () => {
  // awaiting-approval and rolled-back are not run states yet (issue 14's approve/rollback verbs):
  // synthetic events, matched by state name.
  it.each([
    ['awaiting-approval', {}, 'awaiting-approval', 'is waiting for approval', 'ferry approve flowers-7-abc'],
    ['promoted', {}, 'promoted', 'was promoted', 'ferry status flowers-7-abc'],
    ['published', {}, 'published', 'was published', 'ferry status flowers-7-abc'],
    ['rejected', {}, 'rejected', 'was rejected', 'ferry status flowers-7-abc'],
    ['failed', {}, 'failed', ') failed', 'ferry status flowers-7-abc'],
    ['rolled-back', {}, 'rolled-back', 'was rolled back', 'ferry status flowers-7-abc'],
    ['failed', { deadLetterId: '42' }, 'dead-letter', 'dead-lettered', 'ferry status flowers-7-abc'],
  ])('%s %j → %s', (state, patch, kind, headline, next) => {
    const n = runNotification(event({ state, ...patch }))!;
    expect(n.kind).toBe(kind);
    expect(n.title).toContain('run flowers-7-abc (flowers)');
    expect(n.title).toContain(headline);
    expect(n.next).toContain(next);
  });

  it.each(['checked', 'registered', 'deploying', 'deployed', 'promoting', 'rolling-back', 'something-new'])(
    'does not announce %s',
    (state) => expect(runNotification(event({ state }))).toBeUndefined(),
  );

  it('names the environment of a run in a workflow with environments, in the title the chat shows', () => {
    const n = runNotification(event({ state: 'promoted', environment: 'staging' }))!;
    expect(n.title).toBe('ferry: run flowers-7-abc (flowers in staging) was promoted');
    expect(n.environment).toBe('staging');
    expect(chatPayload('chat', n)).toMatchObject({ text: expect.stringContaining('(flowers in staging)') });
    expect(runNotification(event({ state: 'promoted' }))!).not.toHaveProperty('environment');
  });

  it('keeps the pipeline’s reason as the detail', () => {
    expect(runNotification(event({ detail: 'mean error 1.0 > 0.1 at 10 %' }))!.detail).toBe(
      'mean error 1.0 > 0.1 at 10 %',
    );
    expect(runNotification(event({}))!).not.toHaveProperty('detail');
  });
});

describe('chatPayload', () => {
  const n = runNotification(event({ detail: 'why it failed' }))!;

  it('Google Chat: one text with the title, the reason and the next command', () => {
    expect(chatPayload('chat', n)).toEqual({
      text: '*ferry: run flowers-7-abc (flowers) failed*\nwhy it failed\nNext: `ferry status flowers-7-abc`',
    });
  });

  it('Slack: the title as fallback text, a mrkdwn section and a context line', () => {
    const payload = chatPayload('slack', n) as { text: string; blocks: Array<Record<string, unknown>> };
    expect(payload.text).toBe(n.title);
    expect(payload.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: expect.stringContaining('why it failed') as string },
    });
    expect(JSON.stringify(payload.blocks[1])).toContain('failed · flowers · 2026-11-30T07:00:00.000Z');
  });

  it('Slack: a long reason is cut to the 3000 characters a section holds', () => {
    const long = runNotification(event({ detail: 'x'.repeat(5000) }))!;
    const payload = chatPayload('slack', long) as { blocks: Array<{ text?: { text: string } }> };
    expect(payload.blocks[0].text!.text).toHaveLength(3000);
  });
});

describe('chatFormatFor', () => {
  it.each([
    ['https://hooks.slack.com/services/T/B/X', undefined, 'slack'],
    ['https://chat.googleapis.com/v1/spaces/S/messages?key=k', undefined, 'chat'],
    ['http://127.0.0.1:9000/hook', 'chat', 'chat'],
    ['https://hooks.slack.com/services/T/B/X', 'chat', 'chat'],
  ])('%s with %s → %s', (url, configured, format) => expect(chatFormatFor(url, configured)).toBe(format));

  it.each([
    ['http://127.0.0.1:9000/hook', undefined, /cannot tell the chat format from host 127\.0\.0\.1/],
    ['https://hooks.slack.com/x', 'teams', /expected one of slack, chat/],
    ['not a url', undefined, /not a URL/],
  ])('%s with %s is refused', (url, configured, message) => {
    expect(() => chatFormatFor(url, configured)).toThrow(ChatFormatError);
    expect(() => chatFormatFor(url, configured)).toThrow(message);
  });
});
