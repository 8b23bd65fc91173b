import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delayCall, FaultInjector } from '../faults';
import { storageEvent } from './cloud-events';
import type { StorageCloudEvent } from './cloud-events';
import type { RouteContext } from './context';
import { GcsHttpError, injectedError } from './errors';
import { sendError } from './http-io';
import { checkBucketName } from './names';
import { DiskPersistence } from './persistence';
import { PushSubscription } from './push-delivery';
import type { DeliveryStats, PushTarget } from './push-delivery';
import { bucketResource, objectResource } from './resources';
import { ResumableSessions } from './resumable-sessions';
import { route } from './router';
import { ObjectStore } from './store';
import type { StoreChange } from './store';
import type { BucketResource } from './types';

export interface StorageEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Keep buckets and objects here so they survive a restart; in memory only when absent. */
  dataDir?: string;
  projectId?: string;
  /** Largest object accepted, in bytes (objects live in memory). Default 512 MiB. */
  maxObjectBytes?: number;
}

export interface StorageEmulator {
  /** `http://127.0.0.1:PORT`, for `new Storage({ apiEndpoint: url })`. */
  url: string;
  /** The same, for `STORAGE_EMULATOR_HOST` (the client uses it as the base URL as given). */
  host: string;
  port: number;
  faults: FaultInjector;
  createBucket(name: string): BucketResource;
  /** In-process listener for every CloudEvent; returns a function that removes it. */
  onEvent(listener: (event: StorageCloudEvent) => void): () => void;
  /** Pushes matching events to an HTTP target the way an Eventarc trigger does. */
  subscribe(target: PushTarget): PushSubscription;
  /** Delivery counts summed over every subscription, with the dropped events. */
  deliveryStats(): DeliveryStats;
  /** Resolves when no push delivery is in flight or waiting to be retried. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_MAX_OBJECT_BYTES = 512 * 1024 * 1024;

/**
 * Drops a request body the handler will not read. If it has not fully arrived, the answer says
 * `connection: close`, or a keep-alive client would send its next request on a socket that Node
 * closes once it gives up on the unread body ("socket hang up"). A request without a body
 * (RFC 9112 §6.3: no Content-Length above 0, no Transfer-Encoding) keeps its connection: its
 * `complete` only turns true once it is read, so it alone cannot tell.
 */
function discardBody(req: IncomingMessage, res: ServerResponse): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.complete && !res.headersSent) res.setHeader('connection', 'close');
  req.resume();
}

/**
 * Starts a Cloud Storage stand-in that the unmodified `@google-cloud/storage` client talks to over
 * HTTP (JSON API, media/multipart/resumable uploads), announcing finalize/delete as CloudEvents.
 * The client skips authentication for any custom endpoint unless `useAuthWithCustomEndpoint`.
 * @see https://cloud.google.com/storage/docs/json_api
 * @see https://cloud.google.com/eventarc/docs/cloudevents#cloud-storage
 */
export async function startStorageEmulator(options: StorageEmulatorOptions = {}): Promise<StorageEmulator> {
  const maxObjectBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const projectNumber = String(
    parseInt(
      createHash('sha256')
        .update(options.projectId ?? 'local')
        .digest('hex')
        .slice(0, 10),
      16,
    ),
  ).slice(0, 12);
  const faults = new FaultInjector();
  const listeners = new Set<(event: StorageCloudEvent) => void>();
  const subscriptions: PushSubscription[] = [];
  let url = '';

  const announce = (change: StoreChange): void => {
    const event = storageEvent(change.kind, objectResource(change.object, url));
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`[storage emulator] an onEvent listener threw on ${event.type} ${event.subject}:`, error);
      }
    }
    for (const subscription of subscriptions) subscription.deliver(event);
  };

  const store = new ObjectStore(announce, options.dataDir ? new DiskPersistence(options.dataDir) : undefined);
  await store.load();
  const sessions = new ResumableSessions(maxObjectBytes);

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const host = /^[\w.:[\]-]+$/.test(req.headers.host ?? '') ? req.headers.host : undefined;
    const ctx: RouteContext = {
      req,
      res,
      url: new URL(`http://local${queryAt < 0 ? '' : rawUrl.slice(queryAt)}`),
      baseUrl: host ? `http://${host}` : url,
      store,
      sessions,
      projectNumber,
      maxObjectBytes,
    };
    try {
      const matched = route(req.method ?? 'GET', rawPath);
      if (!matched)
        throw new GcsHttpError(
          404,
          'notFound',
          `Not Found: ${req.method} ${rawPath} is not a Cloud Storage JSON API path.`,
        );
      const fault = faults.take(matched.method);
      // Only a held or delayed call yields before the body is discarded: yielding on every call
      // made GET/DELETE requests carrying a stray body fail with a bare 400 (router.test.ts).
      if (fault.held || fault.latencyMs > 0) await delayCall(fault);
      if (fault.fail) throw injectedError(fault.fail.code, fault.fail.message);
      if (req.method === 'GET' || req.method === 'DELETE') discardBody(req, res);
      await matched.run(ctx);
    } catch (error) {
      discardBody(req, res);
      if (error instanceof GcsHttpError) sendError(res, error);
      else if (req.destroyed || res.destroyed) return;
      else
        sendError(
          res,
          new GcsHttpError(500, 'backendError', `Internal error in the storage emulator: ${(error as Error).message}`),
        );
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  const emulator: StorageEmulator = {
    url,
    host: url,
    port,
    faults,
    createBucket(name) {
      return bucketResource(store.createBucket(checkBucketName(name)), url, projectNumber);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribe(target) {
      const subscription = new PushSubscription(target, faults);
      subscriptions.push(subscription);
      return subscription;
    },
    deliveryStats() {
      const total: DeliveryStats = { delivered: 0, redelivered: 0, dropped: 0, duplicated: 0, droppedEvents: [] };
      for (const subscription of subscriptions) {
        const stats = subscription.deliveryStats();
        total.delivered += stats.delivered;
        total.redelivered += stats.redelivered;
        total.dropped += stats.dropped;
        total.duplicated += stats.duplicated;
        total.droppedEvents.push(...stats.droppedEvents);
      }
      return total;
    },
    async idle() {
      await Promise.all(subscriptions.map((subscription) => subscription.idle()));
    },
    async stop() {
      for (const subscription of subscriptions) subscription.close();
      await Promise.all(subscriptions.map((subscription) => subscription.idle()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.flush().catch(() => undefined);
    },
  };
  return emulator;
}
