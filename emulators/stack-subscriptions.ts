import type { PubSub } from '@google-cloud/pubsub';
import { TOPICS } from '../functions/pipeline/topics';

/** Which topic triggers which function (Terraform declares the same; a test checks it). */
export const TRIGGERS: Record<string, string> = {
  'ferry.savedmodel.ready': 'registerModel',
  'ferry.model.registered': 'deployModel',
  'ferry.operation.pending': 'awaitOperation',
  'ferry.model.deployed': 'validatePredictions',
  'ferry.tflite.ready': 'publishMobile',
  'ferry.dead-letter': 'onDeadLetter',
  'ferry.reconcile': 'reconcile',
};

/**
 * Triggers of functions that exist only when configured (Terraform: local.optional_functions):
 * notifyRunEvent, when a chat webhook is set (FERRY_NOTIFY_WEBHOOK_URL here, a secret there).
 */
export const OPTIONAL_TRIGGERS: Record<string, string> = {
  'ferry.run.events': 'notifyRunEvent',
};

/** Whether the stack subscribes notifyRunEvent: only with a webhook to post to, so the demo is unchanged. */
export function optionalFunctions(env: NodeJS.ProcessEnv): string[] {
  return env.FERRY_NOTIFY_WEBHOOK_URL ? ['notifyRunEvent'] : [];
}

/**
 * Functions whose trigger subscription has no dead-letter policy: onDeadLetter's would forward
 * into its own topic; a reconciler tick that keeps failing is superseded by the next one; a run
 * event names its run, so onDeadLetter would end a run because its notification failed.
 */
export const WITHOUT_DEAD_LETTER: ReadonlySet<string> = new Set(['onDeadLetter', 'reconcile', 'notifyRunEvent']);

/** The subscriptions besides the triggers: status reads the inbox, people pull the audit one. */
export const DEAD_LETTER_INBOX = 'ferry-dead-letter-inbox';
export const DEAD_LETTER_RECORDER = 'ferry-dead-letter-recorder';
export const RUN_EVENTS_AUDIT = 'ferry-run-events-audit';

/** The account Pub/Sub mints push tokens for (terraform: `${var.name_prefix}-invoker`). */
export function invokerEmail(projectId: string): string {
  return `ferry-invoker@${projectId}.iam.gserviceaccount.com`;
}

/**
 * A stage function's push config, as terraform/modules/cloud-function declares it: the function's
 * URL with the path `/projects/P/topics/T`, from which the Functions Framework names the
 * CloudEvent's source when it converts the push envelope, and an OIDC token for the invoker with
 * the function's URL as audience.
 */
export function triggerPushConfig(functionUrl: string, projectId: string, topic: string) {
  const uri = functionUrl.replace(/\/$/, '');
  return {
    pushEndpoint: `${uri}/projects/${projectId}/topics/${topic}`,
    oidcToken: { serviceAccountEmail: invokerEmail(projectId), audience: uri },
  };
}

/** The trigger subscriptions' retry policy (terraform: min/max_backoff_s): 10 s to 600 s. */
export const RETRY = { minBackoffS: 10, maxBackoffS: 600 };

export interface StackSubscriptionsOptions {
  projectId: string;
  /** Each function's URL. */
  functions: Record<string, string>;
  /** Where every message on ferry.dead-letter is pushed too, so the stack can list them. */
  deadLetterRecorderUrl: string;
  maxDeliveryAttempts: number;
  /**
   * An external emulator may hold ferry's topics and subscriptions from an earlier stack: topics
   * are kept, subscriptions replaced (their push endpoints and backlog belong to that stack, whose
   * run records are gone).
   */
  replaceExisting: boolean;
  /** Entry points of OPTIONAL_TRIGGERS to subscribe (optionalFunctions). */
  optional?: readonly string[];
}

/**
 * Creates ferry's topics and subscriptions through the official client, as Terraform does: a push
 * subscription per triggered function with retry and dead-letter policies, the dead-letter inbox,
 * a push to the dead-letter recorder, and the run-events audit subscription.
 */
export async function createStackSubscriptions(client: PubSub, options: StackSubscriptionsOptions): Promise<void> {
  for (const topic of Object.values(TOPICS)) {
    await client.createTopic(topic).catch((error: { code?: number }) => {
      if (!(options.replaceExisting && error.code === ALREADY_EXISTS)) throw error;
    });
  }
  const create = async (topic: string, name: string, config: Parameters<PubSub['createSubscription']>[2]) => {
    if (options.replaceExisting) {
      const subscription = client.subscription(name);
      const [exists] = await subscription.exists();
      if (exists) await subscription.delete();
    }
    await client.topic(topic).createSubscription(name, config);
  };
  const deadLetterTopic = `projects/${options.projectId}/topics/${TOPICS.deadLetter}`;
  const optional = Object.entries(OPTIONAL_TRIGGERS).filter(([, fn]) => options.optional?.includes(fn));
  for (const [topic, fn] of [...Object.entries(TRIGGERS), ...optional]) {
    await create(topic, `${fn}-trigger`, {
      pushConfig: triggerPushConfig(options.functions[fn], options.projectId, topic),
      ackDeadlineSeconds: 600,
      retryPolicy: { minimumBackoff: { seconds: RETRY.minBackoffS }, maximumBackoff: { seconds: RETRY.maxBackoffS } },
      ...(WITHOUT_DEAD_LETTER.has(fn)
        ? {}
        : { deadLetterPolicy: { deadLetterTopic, maxDeliveryAttempts: options.maxDeliveryAttempts } }),
    });
  }
  await create(TOPICS.deadLetter, DEAD_LETTER_INBOX, {});
  await create(TOPICS.deadLetter, DEAD_LETTER_RECORDER, {
    pushConfig: { pushEndpoint: options.deadLetterRecorderUrl },
  });
  await create(TOPICS.runEvents, RUN_EVENTS_AUDIT, {});
}

/** gRPC status ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;
