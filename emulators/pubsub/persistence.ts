import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Broker } from './broker';
import { DELETED_TOPIC } from './names';
import { SnapshotResource } from './snapshots';
import { SubscriptionResource, TopicResource } from './types';

export const STATE_FILE = 'pubsub-emulator.json';

interface SavedState {
  version: 1;
  topics: TopicResource[];
  subscriptions: SubscriptionResource[];
  /** Absent in files written before snapshots existed. */
  snapshots?: SnapshotResource[];
}

/**
 * Keeps topics, subscriptions and snapshots (not messages: those live in memory only, so a
 * restored snapshot holds no messages) in
 * `<dataDir>/pubsub-emulator.json`, written whole and renamed into place so a crash never
 * leaves half a file.
 */
export function saveState(dataDir: string, broker: Broker): void {
  mkdirSync(dataDir, { recursive: true });
  const state: SavedState = {
    version: 1,
    topics: broker.topicNames().map((t) => broker.getTopic(t)),
    subscriptions: broker.subscriptionStates().map((s) => s.resource),
    snapshots: broker.snapshots.resources(),
  };
  const file = join(dataDir, STATE_FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

/**
 * Restores a saved state into an empty broker. A subscription whose topic was deleted is
 * dropped (it can never receive a message). A damaged file is an error naming the file,
 * never a silent empty start.
 */
export function loadState(dataDir: string, broker: Broker): void {
  const file = join(dataDir, STATE_FILE);
  if (!existsSync(file)) return;
  let state: SavedState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message}); fix or delete it to start empty.`);
  }
  if (!state || state.version !== 1 || !Array.isArray(state.topics) || !Array.isArray(state.subscriptions)) {
    throw new Error(
      `${file} is not a pubsub emulator state (expected version 1 with topics and subscriptions); fix or delete it.`,
    );
  }
  try {
    for (const topic of state.topics) broker.createTopic(topic);
    for (const sub of state.subscriptions) if (sub.topic !== DELETED_TOPIC) broker.createSubscription(sub);
    for (const snapshot of state.snapshots ?? []) broker.snapshots.restore(snapshot);
  } catch (err) {
    throw new Error(`${file} holds an invalid resource: ${(err as Error).message} Fix or delete the file.`);
  }
}
