import { DEAD_LETTER_INBOX } from '../../emulators/stack-subscriptions';

/** The subscription on ferry.dead-letter that status reads (Terraform and the local stack create it). */
export { DEAD_LETTER_INBOX };

/**
 * What sits on the dead-letter topic, read without consuming it: pulled, then handed straight back
 * (ack deadline 0), so every dead letter stays visible until someone deals with it.
 */
export async function peekDeadLetters(
  max = 100,
): Promise<Array<{ messageId: string; attributes: Record<string, string>; data: unknown }>> {
  const project = stackProject();
  if (!project) return [];
  const client = await subscriberClient();
  const subscription = `projects/${project}/subscriptions/${DEAD_LETTER_INBOX}`;
  try {
    const [response] = await client.pull({ subscription, maxMessages: max, returnImmediately: true });
    const received = response.receivedMessages ?? [];
    if (received.length > 0)
      await client.modifyAckDeadline({
        subscription,
        ackIds: received.map((m) => m.ackId ?? ''),
        ackDeadlineSeconds: 0,
      });
    return received.map((m) => {
      const text = Buffer.from(m.message?.data ?? '').toString('utf8');
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // not JSON: shown as text
      }
      return { messageId: m.message?.messageId ?? '', attributes: m.message?.attributes ?? {}, data };
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 5) return []; // no inbox subscription
    throw error;
  } finally {
    await client.close();
  }
}

/** The project the commands work on: the stack's, or a real one's from the environment. */
export function stackProject(): string | undefined {
  return process.env.FERRY_PROJECT ?? process.env.GOOGLE_CLOUD_PROJECT;
}

/**
 * The low-level subscriber client (pull, ack, modifyAckDeadline one call at a time, no streaming),
 * pointed at PUBSUB_EMULATOR_HOST when set.
 */
export async function subscriberClient() {
  const { v1 } = await import('@google-cloud/pubsub');
  const emulator = process.env.PUBSUB_EMULATOR_HOST;
  const [host, port] = emulator?.split(':') ?? [];
  const local = emulator
    ? { servicePath: host, port: Number(port), sslCreds: (await import('@grpc/grpc-js')).credentials.createInsecure() }
    : {};
  return new v1.SubscriberClient(local);
}
