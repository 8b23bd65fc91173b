import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { FaultInjector } from '../faults';
import { Broker } from './broker';
import { page, unary } from './grpc-handler';
import { parseProject, parseTopicName } from './names';
import { readPublishMessages } from './publish-request';
import { TopicResource } from './types';

interface NameRequest {
  topic?: string;
  name?: string;
}
interface ListRequest {
  project?: string;
  topic?: string;
  pageSize?: number;
  pageToken?: string;
}

/**
 * google.pubsub.v1.Publisher over the broker. RPCs outside the brief (UpdateTopic,
 * DetachSubscription) are left to grpc-js, which answers UNIMPLEMENTED.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1#publisher
 */
export function publisherService(
  broker: Broker,
  faults: FaultInjector,
  persist: () => void,
): UntypedServiceImplementation {
  return {
    CreateTopic: unary('CreateTopic', faults, (req: TopicResource) => {
      const topic = broker.createTopic(req);
      persist();
      return topic;
    }),
    GetTopic: unary('GetTopic', faults, (req: NameRequest) => broker.getTopic(req.topic)),
    ListTopics: unary('ListTopics', faults, (req: ListRequest) => {
      const { items, nextPageToken } = page(broker.listTopics(parseProject(req.project)), req.pageSize, req.pageToken);
      return { topics: items, nextPageToken };
    }),
    ListTopicSubscriptions: unary('ListTopicSubscriptions', faults, (req: ListRequest) => {
      const { items, nextPageToken } = page(broker.topicSubscriptions(req.topic), req.pageSize, req.pageToken);
      return { subscriptions: items, nextPageToken };
    }),
    ListTopicSnapshots: unary('ListTopicSnapshots', faults, (req: ListRequest) => {
      const { items, nextPageToken } = page(broker.snapshots.ofTopic(req.topic), req.pageSize, req.pageToken);
      return { snapshots: items, nextPageToken };
    }),
    DeleteTopic: unary('DeleteTopic', faults, (req: NameRequest) => {
      broker.deleteTopic(req.topic);
      persist();
      return {};
    }),
    Publish: unary('Publish', faults, (req: { topic?: string; messages?: unknown }) => {
      parseTopicName(req.topic);
      broker.getTopic(req.topic);
      return { messageIds: broker.publish(req.topic, readPublishMessages(req.messages)) };
    }),
  };
}
