import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { Broker } from './broker';
import { page, toWireMessage, unary } from './grpc-handler';
import { parseProject } from './names';
import { invalidArgument } from './rpc-error';
import { StreamingPullHub } from './streaming-pull';
import { SubscriptionResource } from './types';

interface SubRequest {
  subscription?: string;
  ackIds?: unknown[];
  ackDeadlineSeconds?: number;
  maxMessages?: number;
  pushConfig?: SubscriptionResource['pushConfig'];
}

/** Pull never blocks here: `returnImmediately` or not, it answers with what is ready. */
const MAX_PULL_MESSAGES = 1000;

/**
 * google.pubsub.v1.Subscriber over the broker; StreamingPull lives in `streaming-pull.ts`.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#subscriber
 */
export function subscriberService(
  broker: Broker,
  faults: FaultInjector,
  hub: StreamingPullHub,
  persist: () => void,
): UntypedServiceImplementation {
  let pullSeq = 0;
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
    Pull: unary('Pull', faults, (req: SubRequest) => {
      const max = Number(req.maxMessages ?? 0);
      if (!Number.isInteger(max) || max <= 0)
        throw invalidArgument(`max_messages must be a positive integer (got ${String(req.maxMessages)}).`);
      const leased = broker.lease(req.subscription, Math.min(max, MAX_PULL_MESSAGES), `pull:${++pullSeq}`);
      return {
        receivedMessages: leased.map((l) => ({
          ackId: l.ackId,
          message: toWireMessage(l.message),
          deliveryAttempt: l.deliveryAttempt,
        })),
      };
    }),
    Acknowledge: unary('Acknowledge', faults, (req: SubRequest) => {
      broker.acknowledge(req.subscription, req.ackIds ?? []);
      return {};
    }),
    ModifyAckDeadline: unary('ModifyAckDeadline', faults, (req: SubRequest) => {
      broker.modifyAckDeadline(req.subscription, req.ackIds ?? [], Number(req.ackDeadlineSeconds ?? 0));
      return {};
    }),
    StreamingPull: hub.handler(),
  };
}
