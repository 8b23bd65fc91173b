import type { RunEventFacts } from '../core/notify/run-notification';
/**
 * The JSON carried in `message.data` between stages, written down once and checked at the edge.
 * Stages pass only the run id (and, for operations, the operation): the run record is the truth.
 */
export interface StageMessage {
  runId: string;
  /**
   * When the first copy of a handed-on message was published (ISO). A hand-on (waiting for the
   * endpoint's turn, following an operation) publishes a fresh message whose event time restarts,
   * so the give-up on old events (entry/stage-handler.ts) counts from this instead.
   */
  since?: string;
}

/** ferry.model.deployed: the candidate serves its share at traffic step `step` (-1 = the canary). */
export interface DeployedMessage extends StageMessage {
  step: number;
}

/**
 * Why an operation is followed, which decides what its completion does: `register` and
 * `create-endpoint` resume the stage that started it (registerModel, deployModel).
 */
export type OperationPurpose = 'deploy' | 'rollback' | 'retire' | 'register' | 'create-endpoint';
const PURPOSES: readonly OperationPurpose[] = ['deploy', 'rollback', 'retire', 'register', 'create-endpoint'];

export interface OperationMessage extends StageMessage {
  /** Absent when a retried DeployModel found its first attempt's deployment: the endpoint is watched instead. */
  operation?: string;
  purpose: OperationPurpose;
  /** When the operation was started (ISO); follows end the run failed past the operation timeout. */
  startedAt: string;
}

/** Published on ferry.run.events at every state change: notifications and audit. One shape with what notifyRunEvent reads. */
export type RunEvent = RunEventFacts;

export class MessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

const RUN_ID = /^[a-z0-9_-]{1,63}$/;

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new MessageError(`${what}: expected a JSON object`);
  return value as Record<string, unknown>;
}

function field(record: Record<string, unknown>, name: string, what: string, pattern?: RegExp): string {
  const value = record[name];
  if (typeof value !== 'string' || value === '' || (pattern && !pattern.test(value)))
    throw new MessageError(`${what}: "${name}" is missing or malformed`);
  return value;
}

/** The optional `since` field: a date when present. */
function since(record: Record<string, unknown>, what: string): { since?: string } {
  if (record.since === undefined) return {};
  const value = field(record, 'since', what);
  if (Number.isNaN(Date.parse(value))) throw new MessageError(`${what}: "since" is not a date`);
  return { since: value };
}

export function parseStageMessage(value: unknown): StageMessage {
  const record = object(value, 'stage message');
  return { runId: field(record, 'runId', 'stage message', RUN_ID), ...since(record, 'stage message') };
}

export function parseDeployedMessage(value: unknown): DeployedMessage {
  const record = object(value, 'deployed message');
  const step = record.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < -1 || step > 100)
    throw new MessageError('deployed message: "step" must be an integer from -1');
  return { runId: field(record, 'runId', 'deployed message', RUN_ID), step };
}

export function parseOperationMessage(value: unknown): OperationMessage {
  const record = object(value, 'operation message');
  const purpose = field(record, 'purpose', 'operation message') as OperationPurpose;
  if (!PURPOSES.includes(purpose))
    throw new MessageError(`operation message: "purpose" must be one of ${PURPOSES.join(', ')}, got ${purpose}`);
  const startedAt = field(record, 'startedAt', 'operation message');
  if (Number.isNaN(Date.parse(startedAt))) throw new MessageError('operation message: "startedAt" is not a date');
  const message: OperationMessage = {
    runId: field(record, 'runId', 'operation message', RUN_ID),
    purpose,
    startedAt,
    ...since(record, 'operation message'),
  };
  if (record.operation !== undefined)
    message.operation = field(
      record,
      'operation',
      'operation message',
      /^projects\/[^/]+\/locations\/[^/]+\/.+\/operations\/[^/]+$/,
    );
  return message;
}

/** Run states are kebab-case words (`rolling-back`); new ones (`awaiting-approval`) fit the same shape. */
const STATE = /^[a-z]+(?:-[a-z]+)*$/;

/** A ferry.run.events message, checked at the edge (notifyRunEvent): a broken one names its field. */
export function parseRunEvent(value: unknown): RunEvent {
  const what = 'run event';
  const record = object(value, what);
  const at = field(record, 'at', what);
  if (Number.isNaN(Date.parse(at))) throw new MessageError(`${what}: "at" is not a date`);
  const event: RunEvent = {
    runId: field(record, 'runId', what, RUN_ID),
    workflow: field(record, 'workflow', what),
    state: field(record, 'state', what, STATE),
    at,
  };
  for (const name of ['environment', 'outcome', 'detail', 'deadLetterId'] as const)
    if (record[name] !== undefined) event[name] = field(record, name, what);
  return event;
}
