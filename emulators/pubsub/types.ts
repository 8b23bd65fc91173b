/**
 * The slice of the google.pubsub.v1 wire types the emulator reads and writes, in the camelCase
 * form `@grpc/proto-loader` produces (int64 as string, bytes as Buffer).
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1
 */
export interface Duration {
  seconds?: string | number;
  nanos?: number;
}

export interface Timestamp {
  seconds: string | number;
  nanos: number;
}

export interface PubsubMessageWire {
  data?: Buffer | Uint8Array;
  attributes?: Record<string, string>;
  messageId?: string;
  publishTime?: Timestamp;
  orderingKey?: string;
}

export interface TopicResource {
  name: string;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface SubscriptionResource {
  name: string;
  topic: string;
  pushConfig?: { pushEndpoint?: string; attributes?: Record<string, string>; [field: string]: unknown };
  ackDeadlineSeconds: number;
  messageRetentionDuration?: Duration;
  labels?: Record<string, string>;
  enableMessageOrdering?: boolean;
  deadLetterPolicy?: { deadLetterTopic?: string; maxDeliveryAttempts?: number };
  retryPolicy?: { minimumBackoff?: Duration; maximumBackoff?: Duration };
  state?: string;
  [field: string]: unknown;
}

/** A message as stored once published: immutable, shared by every subscription's queue. */
export interface StoredMessage {
  messageId: string;
  topic: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTimeMs: number;
  orderingKey: string;
}

/** What a subscription's settings mean to the delivery loop, in milliseconds. */
export interface DeliveryRules {
  ackDeadlineMs: number;
  retentionMs: number;
  /** Absent: redelivery at once, pull or push (no retry policy). */
  retry?: { minMs: number; maxMs: number };
  deadLetter?: { topic: string; maxAttempts: number };
  pushEndpoint?: string;
  /** `pushConfig.oidcToken`: each push carries a bearer ID token for this account and audience. */
  pushAuth?: { serviceAccountEmail: string; audience: string };
  /** `pushConfig.noWrapper`: the raw data is the body instead of the JSON envelope. */
  noWrapper?: { writeMetadata: boolean };
}

export function durationMs(d: Duration | undefined): number | undefined {
  if (!d) return undefined;
  return Number(d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}

export function toTimestamp(ms: number): Timestamp {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}
