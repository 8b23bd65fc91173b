import { DELETED_TOPIC, parseSubscriptionName, parseTopicName } from './names';
import { alreadyExists, invalidArgument, notFound } from './rpc-error';
import { deliveryRules, normalizeSubscription } from './subscription-config';
import { SubscriptionQueue } from './subscription-queue';
import { DeliveryRules, SubscriptionResource, TopicResource } from './types';

/**
 * Topics and subscriptions as resources: create/get/list/update/delete with the real API's
 * checks and errors. The broker adds message delivery on top.
 * @see https://cloud.google.com/pubsub/docs/reference/rpc/google.pubsub.v1
 */
export abstract class Catalog {
  /** Called after anything that may make messages deliverable or change the next wake time. */
  onChange: () => void = () => undefined;
  /** Called when a subscription is deleted, so open streams can be closed. */
  onSubscriptionDeleted: (name: string) => void = () => undefined;

  protected readonly topicMap = new Map<string, TopicResource>();
  protected readonly subs = new Map<string, SubscriptionQueue>();

  createTopic(topic: TopicResource): TopicResource {
    parseTopicName(topic.name, 'name');
    if (this.topicMap.has(topic.name)) throw alreadyExists(topic.name);
    const stored = { ...topic };
    this.topicMap.set(topic.name, stored);
    return stored;
  }

  getTopic(name: unknown): TopicResource {
    const parsed = parseTopicName(name);
    const topic = this.topicMap.get(parsed.full);
    if (!topic) throw notFound(parsed.full);
    return topic;
  }

  listTopics(project: string): TopicResource[] {
    return [...this.topicMap.values()].filter((t) => t.name.startsWith(`projects/${project}/`));
  }

  deleteTopic(name: unknown): void {
    const topic = this.getTopic(name);
    this.topicMap.delete(topic.name);
    for (const sub of this.subs.values()) if (sub.resource.topic === topic.name) sub.resource.topic = DELETED_TOPIC;
  }

  topicSubscriptions(name: unknown): string[] {
    const topic = this.getTopic(name);
    return [...this.subs.values()].filter((s) => s.resource.topic === topic.name).map((s) => s.resource.name);
  }

  createSubscription(input: Partial<SubscriptionResource>): SubscriptionResource {
    const resource = normalizeSubscription(input);
    if (this.subs.has(resource.name)) throw alreadyExists(resource.name);
    if (!this.topicMap.has(resource.topic)) throw notFound(resource.topic);
    const dl = resource.deadLetterPolicy?.deadLetterTopic;
    if (dl && !this.topicMap.has(dl)) throw notFound(dl);
    this.subs.set(resource.name, new SubscriptionQueue(resource, deliveryRules(resource)));
    return resource;
  }

  getSubscription(name: unknown): SubscriptionResource {
    return this.state(name).resource;
  }

  listSubscriptions(project: string): SubscriptionResource[] {
    return [...this.subs.values()].map((s) => s.resource).filter((r) => r.name.startsWith(`projects/${project}/`));
  }

  /** Applies `paths` (snake_case field names from the update mask) of `patch`. */
  updateSubscription(patch: Partial<SubscriptionResource>, paths: string[]): SubscriptionResource {
    const sub = this.state(patch.name);
    if (paths.length === 0) throw invalidArgument('update_mask must name at least one field.');
    const next: Record<string, unknown> = { ...sub.resource };
    for (const path of paths) {
      const field = path.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (field === 'name' || field === 'topic')
        throw invalidArgument(`update_mask: field "${path}" cannot be updated.`);
      const value = (patch as Record<string, unknown>)[field];
      if (value === undefined) delete next[field];
      else next[field] = value;
    }
    const resource = normalizeSubscription(next as Partial<SubscriptionResource>);
    const dl = resource.deadLetterPolicy?.deadLetterTopic;
    if (dl && !this.topicMap.has(dl)) throw notFound(dl);
    sub.resource = resource;
    sub.rules = deliveryRules(resource);
    this.onChange();
    return resource;
  }

  modifyPushConfig(name: unknown, pushConfig: SubscriptionResource['pushConfig']): void {
    const sub = this.state(name);
    this.updateSubscription({ name: sub.resource.name, pushConfig }, ['push_config']);
  }

  deleteSubscription(name: unknown): void {
    const sub = this.state(name);
    this.forgetLeases(sub);
    this.subs.delete(sub.resource.name);
    this.onSubscriptionDeleted(sub.resource.name);
  }

  rules(name: string): DeliveryRules | undefined {
    return this.subs.get(name)?.rules;
  }

  topicNames(): string[] {
    return [...this.topicMap.keys()];
  }

  subscriptionStates(): Array<{ resource: SubscriptionResource; backlog: number; leased: number }> {
    return [...this.subs.values()].map((s) => ({ resource: s.resource, backlog: s.waiting, leased: s.leasedCount }));
  }

  protected state(name: unknown): SubscriptionQueue {
    const parsed = parseSubscriptionName(name);
    const sub = this.subs.get(parsed.full);
    if (!sub) throw notFound(parsed.full);
    return sub;
  }

  /** Drops the leases of a subscription being deleted. */
  protected abstract forgetLeases(sub: SubscriptionQueue): void;
}
