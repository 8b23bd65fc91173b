import type { RunNotification } from './run-notification';

/**
 * The two chat webhooks ferry posts to. Slack incoming webhooks take `{text, blocks}` (`text` is
 * the fallback shown in notifications); Google Chat webhooks take `{text}` with their own markup
 * (`*bold*`, backquoted code).
 * @see https://api.slack.com/messaging/webhooks
 * @see https://developers.google.com/workspace/chat/format-messages
 */
export type ChatFormat = 'slack' | 'chat';

export const CHAT_FORMATS: readonly ChatFormat[] = ['slack', 'chat'];

/** Slack renders at most 3000 characters in a section's text. */
const SLACK_SECTION_MAX = 3000;

function lines(n: RunNotification): string[] {
  return [`*${n.title}*`, ...(n.detail ? [n.detail] : []), `Next: \`${n.next}\``];
}

export function chatPayload(format: ChatFormat, n: RunNotification): object {
  const text = lines(n).join('\n');
  if (format === 'chat') return { text };
  const section = text.length > SLACK_SECTION_MAX ? `${text.slice(0, SLACK_SECTION_MAX - 1)}…` : text;
  return {
    text: n.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: section } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${n.kind} · ${n.workflow} · ${n.at}` }] },
    ],
  };
}

export class ChatFormatError extends Error {}

/**
 * The format for a webhook: the one configured, else the one its host implies
 * (hooks.slack.com, chat.googleapis.com). Any other host without a configured format is refused:
 * posting the wrong shape would fail on every event.
 */
export function chatFormatFor(url: string, configured?: string): ChatFormat {
  if (configured) {
    if ((CHAT_FORMATS as readonly string[]).includes(configured)) return configured as ChatFormat;
    throw new ChatFormatError(`format ${JSON.stringify(configured)}: expected one of ${CHAT_FORMATS.join(', ')}`);
  }
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    throw new ChatFormatError('the webhook URL is not a URL');
  }
  if (host === 'hooks.slack.com') return 'slack';
  if (host === 'chat.googleapis.com') return 'chat';
  throw new ChatFormatError(`cannot tell the chat format from host ${host}: set it (slack or chat)`);
}
