import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../../../emulators/pubsub/broker';
import { STATE_FILE, loadState, saveState } from '../../../../emulators/pubsub/persistence';

describe('persistence of topics and subscriptions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-pubsub-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('round trip (messages are not kept)', () => {
    const a = new Broker();
    a.createTopic({ name: 'projects/p/topics/one', labels: { x: 'y' } });
    a.createTopic({ name: 'projects/p/topics/dlq' });
    a.createSubscription({
      name: 'projects/p/subscriptions/sub',
      topic: 'projects/p/topics/one',
      deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dlq', maxDeliveryAttempts: 7 },
    });
    a.publish('projects/p/topics/one', [{ data: Buffer.from('x'), attributes: {}, orderingKey: '' }]);
    saveState(dir, a);
    const b = new Broker();
    loadState(dir, b);
    expect(b.getTopic('projects/p/topics/one').labels).toEqual({ x: 'y' });
    expect(b.getSubscription('projects/p/subscriptions/sub').deadLetterPolicy?.maxDeliveryAttempts).toBe(7);
    expect(b.lease('projects/p/subscriptions/sub', 10, 'o')).toEqual([]);
  });

  test('a missing file is an empty start', () => {
    const b = new Broker();
    loadState(join(dir, 'nowhere'), b);
    expect(b.topicNames()).toEqual([]);
  });

  test.each([
    ['truncated JSON', '{"version":1,"topics":[', 'is not valid JSON'],
    ['wrong shape', '{"version":2}', 'is not a pubsub emulator state'],
    ['null', 'null', 'is not a pubsub emulator state'],
    ['invalid resource', '{"version":1,"topics":[{"name":"bad"}],"subscriptions":[]}', 'holds an invalid resource'],
    [
      'duplicate topic',
      '{"version":1,"topics":[{"name":"projects/p/topics/abc"},{"name":"projects/p/topics/abc"}],"subscriptions":[]}',
      'already exists',
    ],
  ])('%s is an error naming the file', (_why, text, message) => {
    writeFileSync(join(dir, STATE_FILE), text);
    expect(() => loadState(dir, new Broker())).toThrow(message);
    expect(() => loadState(dir, new Broker())).toThrow(join(dir, STATE_FILE));
  });
});
