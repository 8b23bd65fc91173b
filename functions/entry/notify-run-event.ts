import { cloudEvent, type CloudEvent } from '@google-cloud/functions-framework';
import { FetchChatWebhook } from '../adapters/webhook/fetch-chat-webhook';
import { errorMessage } from '../core/errors';
import { parseRunEvent, type RunEvent } from '../pipeline/messages';
import { notifyRunEvent } from '../pipeline/stages/notify-run-event';
import { eventAgeMs, eventId, messageJson } from './events';
import { jsonLogger } from './logger';
import { readNotifyConfig, type NotifyConfig } from './notify-config';
import { clock, functionConfig, pendingStore } from './wiring';

let config: NotifyConfig | undefined;

/**
 * ferry.run.events → a chat message for the states a person acts on (awaiting approval, promoted,
 * published, rejected, failed, rolled back, dead-lettered). What a retry cannot fix is logged
 * with what to do and acknowledged: a malformed event, a missing or bad webhook setting, a webhook
 * refusing the message (4xx). A 429, 5xx or timeout throws so Pub/Sub redelivers with backoff; an
 * event older than the maximum event age is dropped (a stale alert helps nobody).
 */
export async function notifyRunEventHandler(event: CloudEvent<unknown>): Promise<void> {
  const log = jsonLogger('notifyRunEvent');
  const id = eventId(event);
  let runEvent: RunEvent;
  try {
    runEvent = parseRunEvent(messageJson(event));
  } catch (error) {
    log.error(`run event ${id} is malformed (${errorMessage(error)}); acknowledged without a notification`, {
      eventId: id,
    });
    return;
  }
  try {
    config ??= readNotifyConfig();
  } catch (error) {
    log.error(`no notification for run ${runEvent.runId}: ${errorMessage(error)}; set it and redeploy`, {
      runId: runEvent.runId,
    });
    return;
  }
  const age = eventAgeMs(event, clock.now());
  if (age > functionConfig().maxEventAgeMs) {
    log.warn(`run ${runEvent.runId} ${runEvent.state}: event ${id} is ${Math.round(age / 60000)} min old; not posted`, {
      runId: runEvent.runId,
    });
    return;
  }
  try {
    await notifyRunEvent(
      {
        webhook: new FetchChatWebhook(config.webhookUrl),
        format: config.format,
        documents: pendingStore(),
        clock,
        log,
        claimMs: functionConfig().claimMs,
      },
      runEvent,
    );
  } catch (error) {
    log.warn(`run ${runEvent.runId} ${runEvent.state}: ${errorMessage(error)}; the event will be retried`, {
      runId: runEvent.runId,
    });
    throw error;
  }
}

cloudEvent('notifyRunEvent', notifyRunEventHandler);
