import { parseSnapshotName, parseTopicName } from './names';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from './rpc-error';
import { StoredMessage, Timestamp, toTimestamp } from './types';

/** google.pubsub.v1.Snapshot as the API returns it. */
export interface SnapshotResource {
  name: string;
  topic: string;
  expireTime: Timestamp;
  labels?: Record<string, string>;
}

/** A snapshot: its resource, and the messages it keeps unacked (its source's backlog, then every later publish). */
export interface Snapshot {
  resource: SnapshotResource;
  expireAtMs: number;
  messages: Map<string, StoredMessage>;
}

// https://cloud.google.com/pubsub/docs/replay-overview: "The lifetime equals 7 days minus the age
// of the oldest unacknowledged message", and none may be created that expires within an hour.
export const SNAPSHOT_MAX_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const SNAPSHOT_MIN_LIFETIME_MS = 3600 * 1000;

export function timestampMs(ts: Timestamp | undefined, field: string): number {
  const ms = Number(ts?.seconds ?? NaN) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);
  if (!Number.isFinite(ms)) throw invalidArgument(`${field} must be a timestamp.`);
  return ms;
}

/** When a snapshot of a backlog whose oldest message was published at `oldestMs` expires. */
export function snapshotExpiry(oldestMs: number | undefined, now: number): number {
  const expires = (oldestMs ?? now) + SNAPSHOT_MAX_LIFETIME_MS;
  if (expires - now < SNAPSHOT_MIN_LIFETIME_MS) {
    throw failedPrecondition(
      'The subscription backlog is too old: a snapshot of it would expire within an hour (its lifetime is 7 days minus the age of the oldest unacked message).',
    );
  }
  return expires;
}

/**
 * Snapshots as resources, with the messages each keeps: create/get/list/update/delete with the
 * real API's checks and errors. Expired snapshots are dropped when next looked at. The broker
 * decides what a snapshot holds at creation and what Seek does with it.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#snapshot
 */
export class SnapshotStore {
  private readonly map = new Map<string, Snapshot>();

  constructor(private readonly now: () => number) {}

  add(name: unknown, topic: string, backlog: StoredMessage[], labels?: Record<string, string>): SnapshotResource {
    const parsed = parseSnapshotName(name, 'name');
    this.prune();
    if (this.map.has(parsed.full)) throw alreadyExists(parsed.full);
    const oldest = backlog.length > 0 ? Math.min(...backlog.map((m) => m.publishTimeMs)) : undefined;
    const expireAtMs = snapshotExpiry(oldest, this.now());
    const resource: SnapshotResource = { name: parsed.full, topic, expireTime: toTimestamp(expireAtMs) };
    if (labels && Object.keys(labels).length > 0) resource.labels = { ...labels };
    this.map.set(parsed.full, { resource, expireAtMs, messages: new Map(backlog.map((m) => [m.messageId, m])) });
    return resource;
  }

  get(name: unknown): Snapshot {
    const parsed = parseSnapshotName(name);
    this.prune();
    const snapshot = this.map.get(parsed.full);
    if (!snapshot) throw notFound(parsed.full);
    return snapshot;
  }

  list(project: string): SnapshotResource[] {
    this.prune();
    return [...this.map.values()].map((s) => s.resource).filter((r) => r.name.startsWith(`projects/${project}/`));
  }

  ofTopic(topic: unknown): string[] {
    const parsed = parseTopicName(topic);
    this.prune();
    return [...this.map.values()].filter((s) => s.resource.topic === parsed.full).map((s) => s.resource.name);
  }

  /** Applies `paths` (`labels`, `expire_time`) of `patch`. */
  update(patch: Partial<SnapshotResource> | undefined, paths: string[]): SnapshotResource {
    if (!patch) throw invalidArgument('snapshot is required.');
    const snapshot = this.get(patch.name);
    if (paths.length === 0) throw invalidArgument('update_mask must name at least one field.');
    for (const path of paths) {
      if (path === 'labels') {
        if (patch.labels && Object.keys(patch.labels).length > 0) snapshot.resource.labels = { ...patch.labels };
        else delete snapshot.resource.labels;
      } else if (path === 'expire_time' || path === 'expireTime') {
        const at = timestampMs(patch.expireTime, 'snapshot.expire_time');
        if (at <= this.now()) throw invalidArgument('snapshot.expire_time must be in the future.');
        snapshot.expireAtMs = at;
        snapshot.resource.expireTime = toTimestamp(at);
      } else {
        throw invalidArgument(`update_mask: field "${path}" cannot be updated.`);
      }
    }
    return snapshot.resource;
  }

  delete(name: unknown): void {
    this.map.delete(this.get(name).resource.name);
  }

  /** A message published to `topic`: every live snapshot of that topic keeps it. */
  record(message: StoredMessage): void {
    for (const s of this.map.values())
      if (s.resource.topic === message.topic) s.messages.set(message.messageId, message);
  }

  /** Restores a saved snapshot (its messages lived in memory and are gone). */
  restore(resource: SnapshotResource): void {
    const expireAtMs = timestampMs(resource.expireTime, `${resource.name} expireTime`);
    if (expireAtMs > this.now()) this.map.set(resource.name, { resource, expireAtMs, messages: new Map() });
  }

  resources(): SnapshotResource[] {
    this.prune();
    return [...this.map.values()].map((s) => s.resource);
  }

  private prune(): void {
    const now = this.now();
    for (const [name, s] of this.map) if (s.expireAtMs <= now) this.map.delete(name);
  }
}
