import type { StagePoint } from '../core/run/transitions';
import { parseDeployedMessage, parseOperationMessage, parseStageMessage } from './messages';

/**
 * A message on ferry.dead-letter, as onDeadLetter reads it. Pub/Sub forwards an undeliverable
 * message there unchanged, adding `CloudPubSubDeadLetterSource*` attributes; ferry's own functions
 * also park malformed events there (JSON without a `runId`).
 * @see https://cloud.google.com/pubsub/docs/handling-failures#dead_letter_topic
 */
export interface DeadLetter {
  /** The dead letter's message id on ferry.dead-letter. */
  id: string;
  /** The run the failed stage message was for; undefined when it names none. */
  runId?: string;
  /** The trigger subscription that gave up on it (`validatePredictions-trigger`), if forwarded by Pub/Sub. */
  sourceSubscription?: string;
  deliveries?: number;
  /** Where the run stood when the message was published: a run that has moved on since is left alone. */
  at?: StagePoint;
}

export const DEAD_LETTER_ATTRIBUTES = {
  subscription: 'CloudPubSubDeadLetterSourceSubscription',
  deliveryCount: 'CloudPubSubDeadLetterSourceDeliveryCount',
} as const;

/** Trigger subscriptions are `<entryPoint>-trigger` (terraform/modules/cloud-function, emulators/local-stack.ts). */
const TRIGGER_SUFFIX = '-trigger';

/** Reads a dead letter; never throws (what names no run is only logged and acknowledged). */
export function readDeadLetter(id: string, json: unknown, attributes: Record<string, string> = {}): DeadLetter {
  const letter: DeadLetter = { id };
  const source = attributes[DEAD_LETTER_ATTRIBUTES.subscription];
  if (source) letter.sourceSubscription = source;
  const count = Number(attributes[DEAD_LETTER_ATTRIBUTES.deliveryCount]);
  if (Number.isInteger(count) && count > 0) letter.deliveries = count;
  try {
    letter.runId = parseStageMessage(json).runId;
  } catch {
    return letter;
  }
  const at = pointOf(source?.endsWith(TRIGGER_SUFFIX) ? source.slice(0, -TRIGGER_SUFFIX.length) : undefined, json);
  if (at) letter.at = at;
  return letter;
}

/** The run state the source function's message is handled in (undefined: unknown source, act anyway). */
function pointOf(entryPoint: string | undefined, json: unknown): StagePoint | undefined {
  try {
    switch (entryPoint) {
      case 'registerModel':
      case 'publishMobile':
        return { state: 'checked' };
      case 'deployModel':
        return { state: 'registered' };
      case 'validatePredictions':
        return { state: 'deployed', step: parseDeployedMessage(json).step };
      case 'awaitOperation': {
        const states = {
          register: 'checked',
          'create-endpoint': 'registered',
          deploy: 'deploying',
          rollback: 'rolling-back',
          retire: 'promoting',
        } as const;
        return { state: states[parseOperationMessage(json).purpose] };
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** The run's reason: which function gave up, after how many deliveries, and the dead letter's id. */
export function deadLetterReason(letter: DeadLetter): string {
  const where = letter.sourceSubscription ? ` on ${letter.sourceSubscription}` : '';
  const tries = letter.deliveries ? ` after ${letter.deliveries} deliveries` : '';
  return `dead-lettered${where}${tries} (dead letter ${letter.id}): the stage kept failing; see its function's logs`;
}
