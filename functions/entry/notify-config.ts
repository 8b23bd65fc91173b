import { chatFormatFor, type ChatFormat } from '../core/notify/chat-payload';

/**
 * notifyRunEvent's own settings. Terraform fills the URL from Secret Manager
 * (`notify_webhook_secret`); the format is inferred from the URL's host unless set.
 */
export const NOTIFY_ENV = {
  webhookUrl: 'FERRY_NOTIFY_WEBHOOK_URL',
  format: 'FERRY_NOTIFY_FORMAT',
} as const;

export interface NotifyConfig {
  webhookUrl: string;
  format: ChatFormat;
}

/** Throws a message that says what to set; never echoes the URL (it holds the webhook's key). */
export function readNotifyConfig(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const webhookUrl = env[NOTIFY_ENV.webhookUrl]?.trim();
  if (!webhookUrl) throw new Error(`${NOTIFY_ENV.webhookUrl} is not set: the chat webhook to post run events to`);
  let url: URL;
  try {
    url = new URL(webhookUrl);
  } catch {
    throw new Error(`${NOTIFY_ENV.webhookUrl} is not a URL: check the secret that holds it`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`${NOTIFY_ENV.webhookUrl}: expected an https URL, got ${url.protocol}`);
  try {
    return { webhookUrl, format: chatFormatFor(webhookUrl, env[NOTIFY_ENV.format]?.trim() || undefined) };
  } catch (error) {
    throw new Error(`${NOTIFY_ENV.format}: ${(error as Error).message}`);
  }
}
