import { PortError } from '../../core/errors';
import type { ChatWebhook } from '../../pipeline/ports';

/** A chat webhook answers in well under a second; past this the post is retried by Pub/Sub. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The ChatWebhook port over Node's fetch. Its errors name the status and host, never the URL:
 * the URL is the secret (Slack and Google Chat webhook URLs carry their key).
 */
export class FetchChatWebhook implements ChatWebhook {
  constructor(
    private readonly url: string,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  async post(payload: object): Promise<void> {
    const host = new URL(this.url).host;
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // Timeout, refused or reset connection, DNS: the webhook may answer next time.
      throw new PortError('busy', `chat webhook at ${host}: ${failure(error, this.timeoutMs)}`, { cause: error });
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const body = (await response.text().catch(() => '')).slice(0, 200);
    const what = `chat webhook at ${host} answered HTTP ${response.status}${body ? `: ${body}` : ''}`;
    const transient = response.status === 429 || response.status === 408 || response.status >= 500;
    throw new PortError(transient ? 'busy' : 'invalid', what);
  }
}

/** Why fetch failed: undici says `fetch failed` and keeps the reason (ECONNREFUSED...) in `cause`. */
function failure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: { code?: string } };
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return [message ?? String(error), cause?.code].filter(Boolean).join(': ');
}
