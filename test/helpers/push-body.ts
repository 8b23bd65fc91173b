import type { PushEnvelope } from '../../emulators/pubsub';

let sequence = 0;

/**
 * A Pub/Sub push body as Pub/Sub posts it (message ids and times in both spellings), for posting
 * to a function by hand; `payload` undefined leaves `data` out, `patch` overrides fields.
 */
export function pushEnvelope(
  idPrefix: string,
  payload: string | undefined,
  patch: Partial<PushEnvelope> = {},
): PushEnvelope {
  const id = `${idPrefix}-${(sequence += 1)}`;
  const time = new Date().toISOString();
  return {
    message: {
      ...(payload === undefined ? {} : { data: Buffer.from(payload).toString('base64') }),
      messageId: id,
      message_id: id,
      publishTime: time,
      publish_time: time,
    },
    subscription: 'projects/ferry-local/subscriptions/by-hand',
    ...patch,
  };
}
