import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { IdSequence } from './clock';
import type { DeployedModelRecord, EndpointEntry } from './endpoint-registry';
import { lazyLoadedModel } from './lazy-model';
import type { ModelVersion } from './model-registry';
import type { OperationReplay } from './operations';
import type { Msg } from './protos';
import { Code } from './rpc-error';
import { stateProblem } from './state-checks';
import { VERTEX_STATE_SCHEMA } from './state-schema';
import { readStateFile, writeStateFile } from '../state-file';
import type { Handler } from './unary';
import type { LroMethod, VertexContext } from './vertex-context';

export const STATE_FILE = 'vertex-emulator.json';

/** Resource ids handed out so far, one sequence per kind (endpoints also number deployed models). */
export interface VertexIds {
  models: IdSequence;
  endpoints: IdSequence;
}

/** The saved form of the emulator: plain JSON, runtimes and timers left out. */
export interface SavedVertexState {
  format: 'ferry-vertex-emulator';
  version: 1;
  ids: { models: string; endpoints: string };
  counters: { modelEtags: number; endpointEtags: number; operations: number };
  models: Array<{
    name: string;
    createTime: number;
    nextVersion: number;
    versions: Array<Omit<ModelVersion, 'deploying'>>;
  }>;
  endpoints: Array<
    Omit<EndpointEntry, 'deployed' | 'pendingOperation'> & { deployed: Array<Omit<DeployedModelRecord, 'loaded'>> }
  >;
  operations: SavedOperation[];
}

export interface SavedOperation {
  name: string;
  startedAt: number;
  durationMs: number;
  done: boolean;
  metadataType?: string;
  metadata?: Msg;
  response?: { type: string; value: Msg };
  error?: { code: number; message: string };
  replay?: OperationReplay;
}

let validator: ValidateFunction<SavedVertexState> | undefined;

/** The whole state as JSON-safe values (a deep copy, so later changes do not leak in). */
export function saveableState(ctx: VertexContext, ids: VertexIds): SavedVertexState {
  const state: SavedVertexState = {
    format: 'ferry-vertex-emulator',
    version: 1,
    ids: { models: ids.models.last(), endpoints: ids.endpoints.last() },
    counters: {
      modelEtags: ctx.models.etagCount,
      endpointEtags: ctx.endpoints.etagCount,
      operations: ctx.operations.nextId,
    },
    models: [...ctx.models.models.values()].map((m) => ({
      name: m.name,
      createTime: m.createTime,
      nextVersion: m.nextVersion,
      versions: [...m.versions.values()].map(({ deploying: _deploying, ...version }) => version),
    })),
    endpoints: [...ctx.endpoints.endpoints.values()].map(({ deployed, pendingOperation: _pending, ...endpoint }) => ({
      ...endpoint,
      deployed: deployed.map(({ loaded: _loaded, ...record }) => record),
    })),
    operations: ctx.operations.all().map((op): SavedOperation => {
      const timing = { name: op.name, startedAt: op.startedAt, durationMs: op.durationMs };
      if (!op.done) return { ...timing, done: false, replay: op.replay };
      return {
        ...timing,
        done: true,
        metadataType: op.metadataType,
        metadata: op.metadata(1),
        response: op.response,
        error: op.error,
      };
    }),
  };
  return JSON.parse(JSON.stringify(state)) as SavedVertexState;
}

/** Writes the state to `<dataDir>/vertex-emulator.json` (temp file + rename). */
export function saveVertexState(dataDir: string, ctx: VertexContext, ids: VertexIds): void {
  writeStateFile(join(dataDir, STATE_FILE), saveableState(ctx, ids));
}

/**
 * Restores a saved state into a fresh emulator. Deployed models get a runtime that loads from the
 * version's artifactUri on first use. Operations that were still running are redone through their
 * RPC handler under the same name and finish at their original scheduled time (at once if that
 * has passed): a real LRO keeps running whatever happens to its callers, and ferry's
 * await-operation keeps polling the same name, so it gets the real outcome, not a made-up failure.
 */
export async function loadVertexState(
  dataDir: string,
  ctx: VertexContext,
  ids: VertexIds,
  handlers: Record<string, Handler>,
): Promise<void> {
  const file = join(dataDir, STATE_FILE);
  validator ??= new Ajv({ allErrors: false, strict: false }).compile<SavedVertexState>(VERTEX_STATE_SCHEMA);
  const state = readStateFile(file, validator, 'Vertex AI emulator');
  if (!state) return;
  const problem = stateProblem(state);
  if (problem)
    throw new Error(
      `${file}: ${problem}. Restore it from a backup, or delete it to start the Vertex AI emulator empty.`,
    );
  ids.models.resumeAfter(state.ids.models);
  ids.endpoints.resumeAfter(state.ids.endpoints);
  ctx.models.etagCount = state.counters.modelEtags;
  ctx.endpoints.etagCount = state.counters.endpointEtags;
  ctx.operations.nextId = state.counters.operations;
  for (const model of state.models) {
    const versions = new Map(model.versions.map((v) => [v.versionId, { ...v, deploying: 0 }]));
    ctx.models.models.set(model.name, { ...model, versions });
  }
  for (const endpoint of state.endpoints) {
    const deployed = endpoint.deployed.map((record): DeployedModelRecord => {
      const artifactUri = ctx.models.models.get(record.model)?.versions.get(record.modelVersionId)?.artifactUri;
      return { ...record, loaded: lazyLoadedModel(ctx.backend, artifactUri ?? '') };
    });
    ctx.endpoints.endpoints.set(endpoint.name, { ...endpoint, deployed });
  }
  for (const op of state.operations) {
    if (op.done)
      ctx.operations.restoreDone({
        ...op,
        metadataType: op.metadataType ?? 'google.protobuf.Empty',
        metadata: op.metadata ?? {},
      });
  }
  for (const op of state.operations.filter((o) => !o.done)) {
    const replay = op.replay;
    const handler = replay && handlers[replay.method];
    if (!replay || !handler) {
      const error = {
        code: Code.ABORTED,
        message:
          'The emulator restarted while this operation ran and cannot redo it; nothing was changed. Retry the call.',
      };
      ctx.operations.restoreDone({ ...op, metadataType: 'google.protobuf.Empty', metadata: {}, error });
      continue;
    }
    sequenceFor(replay.method, ids).pin(replay.ids);
    await ctx.operations.resume(op, async () => handler(replay.request));
    sequenceFor(replay.method, ids).pin([]);
  }
}

function sequenceFor(method: LroMethod, ids: VertexIds): IdSequence {
  return method === 'UploadModel' || method === 'CopyModel' ? ids.models : ids.endpoints;
}
