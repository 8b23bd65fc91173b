import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { Broker, Leased } from './broker';
import { page, toWireMessage, unary } from './grpc-handler';
import { parseProject } from './names';
import { PullWaiters } from './pull-waiters';
import { invalidArgument } from './rpc-error';
import { StreamingPullHub } from './streaming-pull';
import { SnapshotResource } from './snapshots';
import { SubscriptionResource, Timestamp } from './types';

interface SubRequest {
  subscription?: string;
  ackIds?: unknown[];
  ackDeadlineSeconds?: number;
  maxMessages?: number;
  returnImmediately?: boolean;
  pushConfig?: SubscriptionResource['pushConfig'];
}

const MAX_PULL_MESSAGES = 1000;
/**
 * How long a Pull without `returnImmediately` waits for a message before answering empty. The
 * API says only "a bounded amount of time"; 30 s stays under the client library's 60 s Pull
 * deadline, so an idle Pull answers empty instead of failing DEADLINE_EXCEEDED.
 */
export const PULL_MAX_WAIT_MS = 30_000;

/**
 * google.pubsub.v1.Subscriber over the broker; StreamingPull lives in `streaming-pull.ts`.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#subscriber
 */
export function subscriberService(
  broker: Broker,
  faults: FaultInjector,
  hub: StreamingPullHub,
  pulls: PullWaiters,
  persist: () => void,
  pullWaitMs = PULL_MAX_WAIT_MS,
): UntypedServiceImplementation {
  let pullSeq = 0;
  const toResponse = (leased: Leased[]) => ({
    receivedMessages: leased.map((l) => ({
      ackId: l.ackId,
      message: toWireMessage(l.message),
      deliveryAttempt: l.deliveryAttempt,
    })),
  });
  return {
    CreateSubscription: unary('CreateSubscription', faults, (req: Partial<SubscriptionResource>) => {
      const sub = broker.createSubscription(req);
      persist();
      return sub;
    }),
    GetSubscription: unary('GetSubscription', faults, (req: SubRequest) => broker.getSubscription(req.subscription)),
    UpdateSubscription: unary(
      'UpdateSubscription',
      faults,
      (req: { subscription?: Partial<SubscriptionResource>; updateMask?: { paths?: string[] } }) => {
        if (!req.subscription) throw invalidArgument('subscription is required.');
        const sub = broker.updateSubscription(req.subscription, req.updateMask?.paths ?? []);
        persist();
        return sub;
      },
    ),
    ListSubscriptions: unary(
      'ListSubscriptions',
      faults,
      (req: { project?: string; pageSize?: number; pageToken?: string }) => {
        const { items, nextPageToken } = page(
          broker.listSubscriptions(parseProject(req.project)),
          req.pageSize,
          req.pageToken,
        );
        return { subscriptions: items, nextPageToken };
      },
    ),
    DeleteSubscription: unary('DeleteSubscription', faults, (req: SubRequest) => {
      broker.deleteSubscription(req.subscription);
      persist();
      return {};
    }),
    ModifyPushConfig: unary('ModifyPushConfig', faults, (req: SubRequest) => {
      broker.modifyPushConfig(req.subscription, req.pushConfig ?? {});
      persist();
      return {};
    }),
    Pull: unary('Pull', faults, async (req: SubRequest, call) => {
      const max = Number(req.maxMessages ?? 0);
      if (!Number.isInteger(max) || max <= 0)
        throw invalidArgument(`max_messages must be a positive integer (got ${String(req.maxMessages)}).`);
      const owner = `pull:${++pullSeq}`;
      const cancelled = new AbortController();
      call.on?.('cancelled', () => cancelled.abort());
      const end = Date.now() + pullWaitMs;
      for (;;) {
        const leased = broker.lease(req.subscription, Math.min(max, MAX_PULL_MESSAGES), owner);
        if (leased.length > 0 || req.returnImmediately) return toResponse(leased);
        const name = broker.getSubscription(req.subscription).name;
        if (!(await pulls.wait(name, end - Date.now(), cancelled.signal))) return toResponse([]);
      }
    }),
    Acknowledge: unary('Acknowledge', faults, (req: SubRequest) => {
      broker.acknowledge(req.subscription, req.ackIds ?? []);
      return {};
    }),
    ModifyAckDeadline: unary('ModifyAckDeadline', faults, (req: SubRequest) => {
      broker.modifyAckDeadline(req.subscription, req.ackIds ?? [], Number(req.ackDeadlineSeconds ?? 0));
      return {};
    }),
    // Snapshots and Seek: https://cloud.google.com/pubsub/docs/replay-overview
    CreateSnapshot: unary(
      'CreateSnapshot',
      faults,
      (req: { name?: string; subscription?: string; labels?: Record<string, string> }) => {
        const snapshot = broker.createSnapshot(req.name, req.subscription, req.labels);
        persist();
        return snapshot;
      },
    ),
    GetSnapshot: unary(
      'GetSnapshot',
      faults,
      (req: { snapshot?: string }) => broker.snapshots.get(req.snapshot).resource,
    ),
    ListSnapshots: unary(
      'ListSnapshots',
      faults,
      (req: { project?: string; pageSize?: number; pageToken?: string }) => {
        const { items, nextPageToken } = page(
          broker.snapshots.list(parseProject(req.project)),
          req.pageSize,
          req.pageToken,
        );
        return { snapshots: items, nextPageToken };
      },
    ),
    UpdateSnapshot: unary(
      'UpdateSnapshot',
      faults,
      (req: { snapshot?: Partial<SnapshotResource>; updateMask?: { paths?: string[] } }) => {
        const snapshot = broker.snapshots.update(req.snapshot, req.updateMask?.paths ?? []);
        persist();
        return snapshot;
      },
    ),
    DeleteSnapshot: unary('DeleteSnapshot', faults, (req: { snapshot?: string }) => {
      broker.snapshots.delete(req.snapshot);
      persist();
      return {};
    }),
    Seek: unary('Seek', faults, (req: { subscription?: string; snapshot?: string; time?: Timestamp }) => {
      broker.seek(req.subscription, { snapshot: req.snapshot, time: req.time });
      return {};
    }),
    StreamingPull: hub.handler(),
  };
}
