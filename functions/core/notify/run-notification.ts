/**
 * What a person is told about a run event, decided from the event alone (pure). Only states a
 * person acts on or waits for are announced; intermediate states (registered, deployed at a
 * canary step...) would be noise in a chat room.
 */
/** A ferry.run.events message (pipeline/messages.ts publishes it as `RunEvent`). */
export interface RunEventFacts {
  runId: string;
  workflow: string;
  /** The workflow environment the run rolls out in (staging, production), when it has them. */
  environment?: string;
  state: string;
  outcome?: string;
  detail?: string;
  at: string;
  /** On the event that ended a run because of a dead letter: that letter's message id. */
  deadLetterId?: string;
}

export type NotificationKind =
  'awaiting-approval' | 'promoted' | 'published' | 'rejected' | 'failed' | 'aborted' | 'rolled-back' | 'dead-letter';

export interface RunNotification {
  kind: NotificationKind;
  /** One line: what happened to which run. */
  title: string;
  /** Why, in the pipeline's own words (the timeline detail), when it gave one. */
  detail?: string;
  /** The command a person runs next. */
  next: string;
  runId: string;
  workflow: string;
  environment?: string;
  at: string;
}

const STATE_KIND: Readonly<Record<string, NotificationKind>> = {
  'awaiting-approval': 'awaiting-approval',
  promoted: 'promoted',
  // The mobile success: its team waits for it as the server team waits for `promoted`.
  published: 'published',
  rejected: 'rejected',
  failed: 'failed',
  'rolled-back': 'rolled-back',
  aborted: 'aborted',
};

const HEADLINE: Readonly<Record<NotificationKind, string>> = {
  'awaiting-approval': 'is waiting for approval',
  promoted: 'was promoted',
  published: 'was published to the mobile channels',
  rejected: 'was rejected',
  failed: 'failed',
  aborted: 'was aborted',
  'rolled-back': 'was rolled back',
  'dead-letter': 'failed: a stage message was dead-lettered',
};

function nextStep(kind: NotificationKind, runId: string): string {
  if (kind === 'awaiting-approval') return `ferry approve ${runId}  (or: ferry reject ${runId})`;
  return `ferry status ${runId}`;
}

/** The notification for one run event, or undefined when the state is not announced. */
export function runNotification(event: RunEventFacts): RunNotification | undefined {
  const base = STATE_KIND[event.state];
  if (!base) return undefined;
  const kind: NotificationKind = base === 'failed' && event.deadLetterId ? 'dead-letter' : base;
  return {
    kind,
    title: `ferry: run ${event.runId} (${event.workflow}${event.environment ? ` in ${event.environment}` : ''}) ${HEADLINE[kind]}`,
    ...(event.detail ? { detail: event.detail } : {}),
    next: nextStep(kind, event.runId),
    runId: event.runId,
    workflow: event.workflow,
    ...(event.environment ? { environment: event.environment } : {}),
    at: event.at,
  };
}
