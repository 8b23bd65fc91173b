import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { Broker, Counters } from './broker';
import { listenRouted } from '../rest/connection-router';
import { DeliveryLoop } from './delivery-loop';
import { loadState, saveState } from './persistence';
import { loadPubSubServices } from './proto';
import { publisherService } from './publisher-service';
import { PullWaiters } from './pull-waiters';
import { PushDelivery } from './push-delivery';
import { restHandler } from './rest-handler';
import { StreamingPullHub } from './streaming-pull';
import { subscriberService } from './subscriber-service';

export interface PubSubEmulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  /** Multiplies retry backoff (not ack deadlines), e.g. 0.001 so a 10 s backoff takes 10 ms. */
  timeScale?: number;
  /** Where topics, subscriptions and snapshots persist across restarts; messages stay in memory. */
  dataDir?: string;
  /** How long a Pull without `returnImmediately` waits for a message (default 30 s). */
  pullWaitMs?: number;
  /**
   * Accepted for symmetry with the other emulators. This one has no randomness of its own
   * (message ids and backoff are deterministic); chaos runs seed `faults.setRandom` instead.
   */
  seed?: number;
}

export interface DeadLetteredMessage {
  topic: string;
  sourceSubscription: string;
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTime: string;
}

export interface SubscriptionInfo {
  name: string;
  topic: string;
  pushEndpoint?: string;
  /** Messages waiting (including those backing off) plus those leased and not acked. */
  backlog: number;
}

export interface PubSubEmulator {
  /** `127.0.0.1:PORT`, the value for PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  faults: FaultInjector;
  counters(): Counters;
  topics(): string[];
  subscriptions(): SubscriptionInfo[];
  deadLetters(topic?: string): DeadLetteredMessage[];
  /** Verifies the push OIDC tokens, which this emulator signs with its own key (not Google's). */
  pushTokenPublicKey(): KeyObject;
  stop(): Promise<void>;
}

// Above the 10 MB publish limit so oversize requests reach our INVALID_ARGUMENT, as in the real API.
const MAX_GRPC_MESSAGE_BYTES = 32 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 500;

/**
 * Starts a local google.pubsub.v1 server on 127.0.0.1 that the unmodified `@google-cloud/pubsub`
 * client talks to (`PUBSUB_EMULATOR_HOST`, or `new PubSub({apiEndpoint, projectId})`), with
 * Pub/Sub push (JSON envelope, OIDC token), redelivery, dead-lettering and fault injection.
 * @see https://cloud.google.com/pubsub/docs/emulator
 */
export async function startPubSubEmulator(options: PubSubEmulatorOptions = {}): Promise<PubSubEmulator> {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be a positive number (got ${timeScale}).`);
  if (options.pullWaitMs !== undefined && !(options.pullWaitMs >= 0))
    throw new Error(`pullWaitMs must be a number >= 0 (got ${options.pullWaitMs}).`);
  const faults = new FaultInjector();
  const broker = new Broker(timeScale);
  if (options.dataDir) loadState(options.dataDir, broker);
  const persist = (): void => {
    if (options.dataDir) saveState(options.dataDir, broker);
  };

  const hub = new StreamingPullHub(broker, faults);
  const push = new PushDelivery(broker, faults);
  const pulls = new PullWaiters();
  const loop = new DeliveryLoop(broker, hub, push, pulls);
  broker.onChange = () => loop.kick();
  broker.onSubscriptionDeleted = (name) => {
    hub.closeSubscription(name);
    pulls.wakeSubscription(name);
  };

  const services = loadPubSubServices();
  const server = new Server({
    'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
  });
  const publisher = publisherService(broker, faults, persist);
  const subscriber = subscriberService(broker, faults, hub, pulls, persist, options.pullWaitMs);
  server.addService(services.Publisher.service, publisher);
  server.addService(services.Subscriber.service, subscriber);
  // One port for both protocols, like Google's emulator: gRPC clients open with the HTTP/2
  // preface and go to grpc-js; HTTP/1.1 (gcloud's REST calls) goes to the REST surface.
  const grpcConnections = server.createConnectionInjector(ServerCredentials.createInsecure());
  const rest = http.createServer(restHandler({ Publisher: publisher, Subscriber: subscriber }));
  const tcp = await listenRouted('127.0.0.1', options.port ?? 0, {
    http2: (socket) => grpcConnections.injectConnection(socket),
    http1: (socket) => {
      rest.emit('connection', socket);
      socket.resume();
    },
  }).catch((err: Error) => {
    throw new Error(`pubsub emulator could not bind 127.0.0.1:${options.port ?? 0}: ${err.message}`);
  });
  const { port } = tcp.address() as AddressInfo;
  loop.kick();

  return {
    host: `127.0.0.1:${port}`,
    port,
    faults,
    counters: () => ({ ...broker.counters }),
    topics: () => broker.topicNames(),
    subscriptions: () =>
      broker.subscriptionStates().map(({ resource, backlog, leased }) => ({
        name: resource.name,
        topic: resource.topic,
        ...(resource.pushConfig?.pushEndpoint ? { pushEndpoint: resource.pushConfig.pushEndpoint } : {}),
        backlog: backlog + leased,
      })),
    deadLetters: (topic) =>
      broker.deadLetters
        .filter((d) => topic === undefined || d.topic === topic)
        .map((d) => ({
          topic: d.topic,
          sourceSubscription: d.sourceSubscription,
          messageId: d.message.messageId,
          data: d.message.data,
          attributes: d.message.attributes,
          publishTime: new Date(d.message.publishTimeMs).toISOString(),
        })),
    pushTokenPublicKey: () => push.tokens.publicKey,
    stop: async () => {
      loop.stop();
      push.stop();
      hub.closeAll();
      pulls.closeAll();
      rest.closeIdleConnections();
      // Clients may keep channels open; give calls a moment to finish, then cut them.
      await Promise.race([
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
        new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
      ]);
      server.forceShutdown();
      grpcConnections.destroy();
      rest.closeAllConnections();
      // Stops listening now; a connection that never sent a byte must not hold stop() up.
      tcp.close();
    },
  };
}
