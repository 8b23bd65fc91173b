import { matchRoute as match, restRoute, type RestRoute, type Verb } from '../rest/route-template';

export type { RestRoute };

const fullName = (name: string): string => (name.startsWith('google.') ? name : `google.pubsub.v1.${name}`);

function route(
  verb: Verb,
  template: string,
  service: 'Publisher' | 'Subscriber',
  rpc: string,
  request: string,
  response: string,
): RestRoute {
  const body = verb !== 'GET' && verb !== 'DELETE' ? '*' : undefined;
  return restRoute(verb, template, { service, rpc, request: fullName(request), response: fullName(response), body });
}

const EMPTY = 'google.protobuf.Empty';
const P = 'Publisher';
const S = 'Subscriber';

/**
 * The google.pubsub.v1 REST bindings, copied from the `google.api.http` options in
 * `@google-cloud/pubsub/build/protos/google/pubsub/v1/pubsub.proto`. Every binding there is listed;
 * RPCs the emulator does not implement answer UNIMPLEMENTED.
 * @see https://cloud.google.com/pubsub/docs/reference/rest
 */
export const REST_ROUTES: RestRoute[] = [
  route('PUT', '/v1/{name=projects/*/topics/*}', P, 'CreateTopic', 'Topic', 'Topic'),
  route('PATCH', '/v1/{topic.name=projects/*/topics/*}', P, 'UpdateTopic', 'UpdateTopicRequest', 'Topic'),
  route('POST', '/v1/{topic=projects/*/topics/*}:publish', P, 'Publish', 'PublishRequest', 'PublishResponse'),
  route('GET', '/v1/{topic=projects/*/topics/*}', P, 'GetTopic', 'GetTopicRequest', 'Topic'),
  route('GET', '/v1/{project=projects/*}/topics', P, 'ListTopics', 'ListTopicsRequest', 'ListTopicsResponse'),
  route(
    'GET',
    '/v1/{topic=projects/*/topics/*}/subscriptions',
    P,
    'ListTopicSubscriptions',
    'ListTopicSubscriptionsRequest',
    'ListTopicSubscriptionsResponse',
  ),
  route(
    'GET',
    '/v1/{topic=projects/*/topics/*}/snapshots',
    P,
    'ListTopicSnapshots',
    'ListTopicSnapshotsRequest',
    'ListTopicSnapshotsResponse',
  ),
  route('DELETE', '/v1/{topic=projects/*/topics/*}', P, 'DeleteTopic', 'DeleteTopicRequest', EMPTY),
  route(
    'POST',
    '/v1/{subscription=projects/*/subscriptions/*}:detach',
    P,
    'DetachSubscription',
    'DetachSubscriptionRequest',
    'DetachSubscriptionResponse',
  ),
  route('PUT', '/v1/{name=projects/*/subscriptions/*}', S, 'CreateSubscription', 'Subscription', 'Subscription'),
  route(
    'GET',
    '/v1/{subscription=projects/*/subscriptions/*}',
    S,
    'GetSubscription',
    'GetSubscriptionRequest',
    'Subscription',
  ),
  route(
    'PATCH',
    '/v1/{subscription.name=projects/*/subscriptions/*}',
    S,
    'UpdateSubscription',
    'UpdateSubscriptionRequest',
    'Subscription',
  ),
  route(
    'GET',
    '/v1/{project=projects/*}/subscriptions',
    S,
    'ListSubscriptions',
    'ListSubscriptionsRequest',
    'ListSubscriptionsResponse',
  ),
  route(
    'DELETE',
    '/v1/{subscription=projects/*/subscriptions/*}',
    S,
    'DeleteSubscription',
    'DeleteSubscriptionRequest',
    EMPTY,
  ),
  route(
    'POST',
    '/v1/{subscription=projects/*/subscriptions/*}:modifyAckDeadline',
    S,
    'ModifyAckDeadline',
    'ModifyAckDeadlineRequest',
    EMPTY,
  ),
  route(
    'POST',
    '/v1/{subscription=projects/*/subscriptions/*}:acknowledge',
    S,
    'Acknowledge',
    'AcknowledgeRequest',
    EMPTY,
  ),
  route('POST', '/v1/{subscription=projects/*/subscriptions/*}:pull', S, 'Pull', 'PullRequest', 'PullResponse'),
  route(
    'POST',
    '/v1/{subscription=projects/*/subscriptions/*}:modifyPushConfig',
    S,
    'ModifyPushConfig',
    'ModifyPushConfigRequest',
    EMPTY,
  ),
  route('GET', '/v1/{snapshot=projects/*/snapshots/*}', S, 'GetSnapshot', 'GetSnapshotRequest', 'Snapshot'),
  route(
    'GET',
    '/v1/{project=projects/*}/snapshots',
    S,
    'ListSnapshots',
    'ListSnapshotsRequest',
    'ListSnapshotsResponse',
  ),
  route('PUT', '/v1/{name=projects/*/snapshots/*}', S, 'CreateSnapshot', 'CreateSnapshotRequest', 'Snapshot'),
  route(
    'PATCH',
    '/v1/{snapshot.name=projects/*/snapshots/*}',
    S,
    'UpdateSnapshot',
    'UpdateSnapshotRequest',
    'Snapshot',
  ),
  route('DELETE', '/v1/{snapshot=projects/*/snapshots/*}', S, 'DeleteSnapshot', 'DeleteSnapshotRequest', EMPTY),
  route('POST', '/v1/{subscription=projects/*/subscriptions/*}:seek', S, 'Seek', 'SeekRequest', 'SeekResponse'),
];

/** The route for `verb path` and its path variable, decoded; undefined when none matches. */
export function matchRoute(verb: string, path: string): { route: RestRoute; value: string } | undefined {
  const m = match(REST_ROUTES, verb, path);
  return m.route ? { route: m.route, value: m.values[0] } : undefined;
}
