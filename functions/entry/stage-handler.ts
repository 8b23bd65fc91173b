import type { CloudEvent } from '@google-cloud/functions-framework';
import type { Logger } from '../pipeline/ports';
import { handleStageEvent } from '../pipeline/stage-event';
import type { StageEventDeps } from '../pipeline/stage-event';
import { eventId, messageJson } from './events';
import { jsonLogger } from './logger';
import { functionConfig, pendingStore, stageDeps } from './wiring';

/**
 * The shape every Pub/Sub-triggered entry point shares, wired to the real clients: decode, give
 * up on events retried for too long, run the stage (pipeline/stage-event.ts decides). Functions
 * whose runs may hold a canary pass `rollout` (their Vertex ports, kept out of this shared module
 * so other functions' bundles carry no Vertex client); without it such a run is left to the
 * reconciler rather than ended with traffic on its candidate.
 */
export function stageHandler<M extends { runId: string; since?: string }>(
  name: string,
  parse: (json: unknown) => M,
  run: (message: M, log: Logger) => Promise<void>,
  rollout?: StageEventDeps['rollout'],
): (event: CloudEvent<unknown>) => Promise<void> {
  return (event) => {
    const log = jsonLogger(name);
    const deps = {
      ...stageDeps(log),
      leases: pendingStore(),
      maxEventAgeMs: functionConfig().maxEventAgeMs,
      ...(rollout ? { rollout } : {}),
    };
    const delivery = {
      name,
      eventId: eventId(event),
      time: event.time,
      data: event.data ?? (event as unknown as { message?: unknown }).message,
      decode: () => messageJson(event),
    };
    return handleStageEvent(deps, delivery, parse, run);
  };
}
