import { readNotifyConfig } from '../../../../functions/entry/notify-config';

const SLACK = 'https://hooks.slack.com/services/T000/B000/SECRETKEY';

describe('readNotifyConfig', () => {
  it.each([
    [{ FERRY_NOTIFY_WEBHOOK_URL: SLACK }, 'slack'],
    [{ FERRY_NOTIFY_WEBHOOK_URL: 'https://chat.googleapis.com/v1/spaces/S/messages?key=K&token=T' }, 'chat'],
    [{ FERRY_NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', FERRY_NOTIFY_FORMAT: 'chat' }, 'chat'],
    [{ FERRY_NOTIFY_WEBHOOK_URL: ` ${SLACK}\n`, FERRY_NOTIFY_FORMAT: '' }, 'slack'],
  ])('%j → %s', (env, format) => expect(readNotifyConfig(env).format).toBe(format));

  it.each([
    [{}, /FERRY_NOTIFY_WEBHOOK_URL is not set/],
    [{ FERRY_NOTIFY_WEBHOOK_URL: 'hooks.slack.com/services/x' }, /is not a URL: check the secret/],
    [{ FERRY_NOTIFY_WEBHOOK_URL: 'ftp://hooks.slack.com/x' }, /expected an https URL/],
    [{ FERRY_NOTIFY_WEBHOOK_URL: 'https://example.com/hook' }, /FERRY_NOTIFY_FORMAT: cannot tell .* example\.com/],
    [{ FERRY_NOTIFY_WEBHOOK_URL: SLACK, FERRY_NOTIFY_FORMAT: 'teams' }, /FERRY_NOTIFY_FORMAT: .*expected one of/],
  ])('%j is refused, saying what to set', (env, message) => {
    expect(() => readNotifyConfig(env)).toThrow(message);
  });

  it('never repeats the URL (it holds the webhook key) in its errors', () => {
    const env = { FERRY_NOTIFY_WEBHOOK_URL: 'https://example.com/hook/SECRETKEY' };
    expect(() => readNotifyConfig(env)).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('SECRETKEY') }),
    );
  });
});
