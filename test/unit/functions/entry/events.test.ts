import type { CloudEvent } from '@google-cloud/functions-framework';
import {
  EventError,
  eventAgeMs,
  eventId,
  messageJson,
  messageMeta,
  type MessagePublishedData,
} from '../../../../functions/entry/events';

function pubsubEvent(data: unknown, time = '2026-11-23T10:00:00Z'): CloudEvent<unknown> {
  return {
    id: 'e1',
    specversion: '1.0',
    source: '//pubsub.googleapis.com/projects/p/topics/t',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    time,
    data,
  };
}
const published = (payload: string): MessagePublishedData => ({
  message: { data: Buffer.from(payload).toString('base64'), messageId: '1' },
  subscription: 'projects/p/subscriptions/s',
});

describe('messageJson', () => {
  it('decodes data.message.data (base64 JSON), not data.message', () => {
    expect(messageJson(pubsubEvent(published('{"runId":"a"}')))).toEqual({ runId: 'a' });
  });

  it.each([
    ['no data', undefined, /no message\.data/],
    ['no message', {}, /no message\.data/],
    ['an empty payload', { message: { data: '' } }, /no message\.data/],
    ['a number as data', { message: { data: 5 } }, /no message\.data/],
    ['a payload that is not JSON', published('{"runId":'), /message\.data is not JSON/],
  ])('refuses %s', (_name, data, message) => {
    expect(() => messageJson(pubsubEvent(data))).toThrow(EventError);
    expect(() => messageJson(pubsubEvent(data))).toThrow(message);
  });
});

// The Functions Framework converts a push envelope only when it has `subscription`,
// `message.data` and `message.messageId` (pubsub_middleware.js); otherwise the envelope is the event.
describe('a push envelope the Functions Framework left unconverted', () => {
  const raw = (message: object) =>
    ({ message, subscription: 'projects/p/subscriptions/s' }) as unknown as CloudEvent<unknown>;

  it('is read as the envelope: its message id, attributes and data', () => {
    const event = raw({ messageId: 'm1', attributes: { a: 'b' } });
    expect(eventId(event)).toBe('m1');
    expect(messageMeta(event)).toEqual({ id: 'm1', attributes: { a: 'b' } });
    expect(() => messageJson(event)).toThrow(/event m1: no message\.data/);
    expect(messageJson(raw({ messageId: 'm2', data: Buffer.from('{"x":1}').toString('base64') }))).toEqual({ x: 1 });
  });
});

describe('eventAgeMs', () => {
  it('measures from the CloudEvent time and treats a missing or bad time as new', () => {
    const now = new Date('2026-11-23T11:00:00Z');
    expect(eventAgeMs(pubsubEvent(null), now)).toBe(3_600_000);
    expect(eventAgeMs({ ...pubsubEvent(null), time: undefined }, now)).toBe(0);
    expect(eventAgeMs(pubsubEvent(null, 'garbage'), now)).toBe(0);
  });
});
