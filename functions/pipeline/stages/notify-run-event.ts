import { chatPayload, type ChatFormat } from '../../core/notify/chat-payload';
import { runNotification } from '../../core/notify/run-notification';
import { errorMessage, isPortError, retryLater } from '../../core/errors';
import type { RunEvent } from '../messages';
import type { ChatWebhook, Clock, DocumentStore, Logger } from '../ports';

export interface NotifyDeps {
  webhook: ChatWebhook;
  format: ChatFormat;
  /** The state bucket: one marker per announced event keeps a redelivery from posting twice. */
  documents: DocumentStore;
  clock: Clock;
  log: Logger;
  /** How long a delivery that is posting holds off a duplicate (the function's timeout). */
  claimMs: number;
}

/** Under `notifications/` in the state bucket, one per run event (a run reaches a state once per `at`). */
export function notificationKey(event: RunEvent): string {
  return `notifications/${event.runId}/${event.state}-${event.at.replace(/[^0-9A-Za-z]/g, '')}.json`;
}

interface Marker {
  status: 'posting' | 'posted';
  until?: string;
}

export type NotifyResult = 'posted' | 'not-announced' | 'duplicate' | 'refused';

/**
 * Posts one run event to the chat webhook, at most once per event under at-least-once delivery:
 * a create-only marker claims the event before posting and says `posted` after. A duplicate that
 * finds `posted` does nothing; one that finds a live `posting` claim retries later (the first may
 * still fail and free it); an expired claim (its function was killed) is taken over. A post that
 * fails frees the claim so the redelivery posts. The one gap left: a function killed after the
 * webhook accepted but before the marker said so posts again after the claim expires.
 *
 * A webhook that refuses the message (`invalid`: 4xx other than 429) is logged and dropped, since
 * the same post will be refused on every retry; `busy` and other errors throw for redelivery.
 */
export async function notifyRunEvent(deps: NotifyDeps, event: RunEvent): Promise<NotifyResult> {
  const notification = runNotification(event);
  if (!notification) return 'not-announced';
  const key = notificationKey(event);
  const claim = await claimEvent(deps, key);
  if (claim === 'posted') return 'duplicate';
  try {
    await deps.webhook.post(chatPayload(deps.format, notification));
  } catch (error) {
    await deps.documents.delete(key, claim.generation).catch(() => undefined);
    if (isPortError(error, 'invalid')) {
      deps.log.error(
        `run ${event.runId} ${event.state}: the chat webhook refused the notification (${errorMessage(error)}); ` +
          'not retried: check the webhook URL and its secret (FERRY_NOTIFY_WEBHOOK_URL) and FERRY_NOTIFY_FORMAT',
        { runId: event.runId, state: event.state },
      );
      return 'refused';
    }
    throw error;
  }
  // The post went through: a failure to mark it only risks a second post on redelivery.
  const marked = await deps.documents
    .update(key, { status: 'posted' } satisfies Marker, claim.generation)
    .catch(() => undefined);
  if (!marked)
    deps.log.warn(
      `run ${event.runId} ${event.state}: posted, but could not mark it posted; a redelivery may post again`,
      {
        runId: event.runId,
      },
    );
  deps.log.info(`run ${event.runId} ${event.state}: notified (${notification.kind})`, {
    runId: event.runId,
    state: event.state,
  });
  return 'posted';
}

/** Takes the event's marker, or reports it posted; throws (for a retry) while another delivery holds it. */
async function claimEvent(deps: NotifyDeps, key: string): Promise<'posted' | { generation: string }> {
  const until = new Date(deps.clock.now().getTime() + deps.claimMs).toISOString();
  const mine: Marker = { status: 'posting', until };
  if (await deps.documents.create(key, mine)) {
    const created = await deps.documents.get<Marker>(key);
    if (created) return { generation: created.generation };
  }
  const existing = await deps.documents.get<Marker>(key);
  if (!existing) throw retryLater(`notification ${key}: its marker vanished while claiming it; retrying`);
  if (existing.value.status === 'posted') return 'posted';
  if (existing.value.until && Date.parse(existing.value.until) > deps.clock.now().getTime())
    throw retryLater(`notification ${key}: another delivery is posting it; retrying to see how that went`);
  const generation = await deps.documents.update(key, mine, existing.generation);
  if (!generation) throw retryLater(`notification ${key}: another delivery took it over; retrying`);
  return { generation };
}
