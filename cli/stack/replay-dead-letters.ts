import type { ParkedLetter } from '../replay-plan';
import { originalAttributes, sourceSubscription } from '../replay-plan';
import { DEAD_LETTER_INBOX, stackProject, subscriberClient } from './dead-letters';

/** How long `ferry replay` holds the letters it pulled: enough to look up topics and publish. */
const LEASE_S = 60;
/** Pulled per call; the inbox is pulled until it gives no more. */
const PULL_BATCH = 100;

/** The dead-letter inbox held by `ferry replay`: every parked letter, leased until `close`. */
export interface DeadLetterInbox {
  parked: ParkedLetter[];
  /** The topic the letter's source subscription reads (`ferry.model.deployed`), undefined if unknown. */
  topicOf(letter: ParkedLetter): Promise<string | undefined>;
  /** Publishes the letter's data and own attributes to `topic`, and acks it only once published. */
  republish(letter: ParkedLetter, topic: string): Promise<string>;
  /** Takes the letter off the inbox: what it was parked for has been dealt with another way. */
  ack(letter: ParkedLetter): Promise<void>;
  /** Hands back every lease not acked (ack deadline 0): those letters stay parked. */
  close(): Promise<void>;
}

/**
 * Pulls the whole inbox and holds it, so the listing `ferry replay` shows is what it acts on.
 * The source topic comes from the subscription's own metadata (Pub/Sub's GetSubscription), which
 * holds on a real project as on the local stack.
 * @see https://cloud.google.com/pubsub/docs/handling-failures#dead_letter_topic
 */
export async function openDeadLetterInbox(): Promise<DeadLetterInbox> {
  const project = stackProject();
  if (!project)
    throw new Error('no project: start the local stack with `ferry up`, or set FERRY_PROJECT for a real project');
  const client = await subscriberClient();
  const { PubSub } = await import('@google-cloud/pubsub');
  const pubsub = new PubSub({ projectId: project });
  const subscription = `projects/${project}/subscriptions/${DEAD_LETTER_INBOX}`;
  const ackIds = new Map<ParkedLetter, string>();
  const acked = new Set<ParkedLetter>();
  const topics = new Map<string, Promise<string | undefined>>();
  const ack = async (letter: ParkedLetter) => {
    await client.acknowledge({ subscription, ackIds: [ackIds.get(letter)!] });
    acked.add(letter);
  };
  const parked: ParkedLetter[] = [];
  try {
    for (;;) {
      const [response] = await client.pull({ subscription, maxMessages: PULL_BATCH, returnImmediately: true });
      const received = response.receivedMessages ?? [];
      if (received.length === 0) break;
      const ids = received.map((m) => m.ackId ?? '');
      await client.modifyAckDeadline({ subscription, ackIds: ids, ackDeadlineSeconds: LEASE_S });
      for (const m of received) {
        const letter: ParkedLetter = {
          messageId: m.message?.messageId ?? '',
          attributes: m.message?.attributes ?? {},
          data: Buffer.from(m.message?.data ?? ''),
        };
        ackIds.set(letter, m.ackId ?? '');
        parked.push(letter);
      }
    }
  } catch (error) {
    await client.close();
    await pubsub.close();
    if ((error as { code?: unknown }).code === 5)
      throw new Error(`no subscription ${DEAD_LETTER_INBOX} in project ${project}: is the stack (or Terraform) up?`);
    throw error;
  }
  return {
    parked,
    topicOf: (letter) => {
      const source = sourceSubscription(letter);
      if (!source) return Promise.resolve(undefined);
      const sourceProject = letter.attributes.CloudPubSubDeadLetterSourceSubscriptionProject || project;
      const name = `projects/${sourceProject}/subscriptions/${source}`;
      if (!topics.has(name))
        topics.set(
          name,
          pubsub
            .subscription(name)
            .getMetadata()
            .then(([metadata]) => metadata.topic ?? undefined)
            .catch(() => undefined),
        );
      return topics.get(name)!;
    },
    republish: async (letter, topic) => {
      const id = await pubsub
        .topic(topic)
        .publishMessage({ data: letter.data, attributes: originalAttributes(letter.attributes) });
      await ack(letter);
      return id;
    },
    ack,
    close: async () => {
      const rest = parked.filter((letter) => !acked.has(letter)).map((letter) => ackIds.get(letter)!);
      try {
        // If this fails the leases run out by themselves after LEASE_S.
        if (rest.length > 0) await client.modifyAckDeadline({ subscription, ackIds: rest, ackDeadlineSeconds: 0 });
      } finally {
        await client.close();
        await pubsub.close();
      }
    },
  };
}
