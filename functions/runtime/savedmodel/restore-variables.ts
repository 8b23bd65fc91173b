import type { ArtifactFiles } from '../../artifacts/artifact-files';
import { readCheckpointIndex, readTensorValues, shardFileName, type CheckpointEntry } from '../../artifacts/checkpoint';
import { decodeTrackableObjectGraph } from '../../artifacts/savedmodel/tf-proto';
import type { VariableRequest } from './freeze-graph';
import type { TfTrackableGraph } from './graph-types';
import { normalizeTrackableGraph } from './normalize-proto';
import { fromCheckpointValues, type TfjsValues } from './tensor-values';

/** Where a SavedModel keeps its checkpoint index. */
export const INDEX_FILE = 'variables/variables.index';
/** The checkpoint entry holding the serialized TrackableObjectGraph of a TF2 SavedModel. */
export const OBJECT_GRAPH_KEY = '_CHECKPOINTABLE_OBJECT_GRAPH';

/** Reads an entry's shard once per restore (shards can be large; only those needed are read). */
class ShardCache {
  private readonly shards = new Map<number, Promise<Uint8Array>>();

  constructor(
    private readonly files: ArtifactFiles,
    private readonly numShards: number,
  ) {}

  async values(entry: CheckpointEntry): Promise<ReturnType<typeof readTensorValues>> {
    const file = `variables/${shardFileName(entry.shardId, this.numShards)}`;
    let shard = this.shards.get(entry.shardId);
    if (!shard) {
      shard = this.files.read(file);
      this.shards.set(entry.shardId, shard);
    }
    return readTensorValues(entry, await shard, { file: `${this.files.location}/${file}` });
  }
}

/** The checkpoint key of a SavedObjectGraph node's variable (`.../.ATTRIBUTES/VARIABLE_VALUE`). */
function objectKey(graph: TfTrackableGraph, objectId: number): string | undefined {
  return graph.nodes[objectId]?.attributes.find((a) => a.name === 'VARIABLE_VALUE')?.checkpointKey;
}

/**
 * Values of the variables a frozen signature reads, from `variables/variables.index` and only the
 * data shards holding them. TF2 variables are found through the checkpoint's TrackableObjectGraph
 * (its node ids are the SavedObjectGraph's), TF1 variables under their op name.
 * @see https://www.tensorflow.org/guide/checkpoint#manually_inspecting_checkpoints
 */
export async function restoreVariables(
  files: ArtifactFiles,
  requests: VariableRequest[],
): Promise<Map<string, TfjsValues>> {
  const values = new Map<string, TfjsValues>();
  if (requests.length === 0) return values;
  const index = readCheckpointIndex(await files.read(INDEX_FILE), `${files.location}/${INDEX_FILE}`);
  const byKey = new Map(index.entries.map((e) => [e.key, e]));
  const shards = new ShardCache(files, index.numShards);
  let trackable: TfTrackableGraph | undefined;
  if (requests.some((r) => r.objectId !== undefined)) {
    const entry = byKey.get(OBJECT_GRAPH_KEY);
    if (entry) {
      const [bytes] = (await shards.values(entry)) as Uint8Array[];
      trackable = normalizeTrackableGraph(
        decodeTrackableObjectGraph(bytes, `${files.location}/${INDEX_FILE} (${OBJECT_GRAPH_KEY})`),
      );
    }
  }
  for (const request of requests) {
    const fromObject = request.objectId !== undefined && trackable ? objectKey(trackable, request.objectId) : undefined;
    const candidates = [fromObject, ...request.names].filter((k): k is string => !!k);
    const entry = candidates.map((k) => byKey.get(k)).find((e) => e !== undefined);
    if (!entry) {
      throw new Error(
        `${files.location}/${INDEX_FILE}: variable ${request.node} has no checkpoint entry (looked for ${candidates.map((k) => `"${k}"`).join(', ') || 'no key'}); re-export the SavedModel with its variables`,
      );
    }
    if (request.dtype !== 'DT_INVALID' && entry.dtype !== request.dtype) {
      throw new Error(
        `${files.location}/${INDEX_FILE}: variable ${request.node} is ${request.dtype} in the graph but "${entry.key}" is ${entry.dtype} in the checkpoint`,
      );
    }
    const raw = await shards.values(entry);
    values.set(
      request.node,
      fromCheckpointValues(
        entry.dtype,
        entry.shape,
        raw as ArrayLike<number | bigint> | Uint8Array[],
        `variable ${request.node} ("${entry.key}")`,
      ),
    );
  }
  return values;
}
