import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { Publisher } from '../../pipeline/ports';

let pubsub: PubSub | undefined;

/** One Pub/Sub client per instance, on first use; `PUBSUB_EMULATOR_HOST` points it at the emulator. */
export function pubsubClient(): PubSub {
  if (!pubsub) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PubSub: Client } = require('@google-cloud/pubsub') as typeof import('@google-cloud/pubsub');
    pubsub = new Client();
  }
  return pubsub;
}

/** Publishes JSON messages; topics are looked up once. */
export class PubSubPublisher implements Publisher {
  private readonly topics = new Map<string, Topic>();
  /** The client the cached topics belong to: after `closePubsubClient` they are dropped with it. */
  private topicsOf?: PubSub;

  constructor(private readonly client: () => PubSub) {}

  async publish(topic: string, data: object, attributes: Record<string, string> = {}): Promise<string> {
    const client = this.client();
    if (client !== this.topicsOf) {
      this.topics.clear();
      this.topicsOf = client;
    }
    let handle = this.topics.get(topic);
    if (!handle) {
      // No batching delay: a stage publishes one message and returns.
      handle = client.topic(topic, { batching: { maxMessages: 1, maxMilliseconds: 0 } });
      this.topics.set(topic, handle);
    }
    return handle.publishMessage({ json: data, attributes });
  }
}

/** Closes the instance's client (local stack shutdown; Cloud Functions never needs it). */
export async function closePubsubClient(): Promise<void> {
  const client = pubsub;
  pubsub = undefined;
  await client?.close();
}
