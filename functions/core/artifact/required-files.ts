/**
 * Which files a SavedModel folder needs before it can be checked, from what its own files say:
 * `saved_model.pb` names its assets and (through its variable ops) whether it has a checkpoint;
 * the checkpoint index names its data shards. A folder lands file by file in any order, so this
 * is asked again as the anchor files arrive; each answer is complete for what is known so far.
 * https://www.tensorflow.org/guide/saved_model#the_savedmodel_format_on_disk
 */

export const SAVED_MODEL_PB = 'saved_model.pb';
export const CHECKPOINT_INDEX = 'variables/variables.index';

/** Ops that hold state restored from the checkpoint: a graph with one needs `variables/`. */
export const VARIABLE_OPS: ReadonlySet<string> = new Set(['VariableV2', 'Variable', 'VarHandleOp']);

/** What the listing and the files read so far tell about a SavedModel folder (paths relative to it). */
export interface FolderFacts {
  present: ReadonlySet<string>;
  /** The workflow's `validation.goldenSet`; `./name` means it ships beside the model. */
  goldenSet: string;
  /** `AssetFileDef.filename`s of every MetaGraph; undefined when saved_model.pb is absent or unreadable. */
  assets?: readonly string[];
  /** Whether any graph node is a variable op; undefined when saved_model.pb is absent or unreadable. */
  hasVariables?: boolean;
  /** Data shard file names from the index (`variables.data-00000-of-00002`); undefined when not read. */
  shardNames?: readonly string[];
}

/** True when a graph with these node ops restores variables (so it needs a checkpoint). */
export function usesVariables(ops: Iterable<string>): boolean {
  for (const op of ops) if (VARIABLE_OPS.has(op)) return true;
  return false;
}

/**
 * Every file the folder needs, as far as its facts tell. An unreadable saved_model.pb or index
 * asks for nothing more: the static checks reject it with the reader's message, which beats
 * waiting forever for files that a broken file cannot name.
 */
export function requiredFiles(facts: FolderFacts): string[] {
  const needed = [SAVED_MODEL_PB];
  if (facts.goldenSet.startsWith('./')) needed.push(facts.goldenSet.slice(2));
  if (!facts.present.has(SAVED_MODEL_PB) || facts.assets === undefined) return needed;
  needed.push(...facts.assets.map((filename) => `assets/${filename}`));
  if (facts.hasVariables || facts.present.has(CHECKPOINT_INDEX)) {
    needed.push(CHECKPOINT_INDEX);
    for (const shard of facts.shardNames ?? []) needed.push(`variables/${shard}`);
  }
  return [...new Set(needed)];
}

/**
 * The required files not yet present. Without saved_model.pb nothing else can be known, so
 * only it is reported (the golden set is asked for once the model names what else it needs).
 */
export function missingFiles(facts: FolderFacts): string[] {
  if (!facts.present.has(SAVED_MODEL_PB)) return [SAVED_MODEL_PB];
  return requiredFiles(facts).filter((file) => !facts.present.has(file));
}

/** True when the index must be read to learn the shard names (present, and the model needs or ships it). */
export function needsShardNames(facts: FolderFacts): boolean {
  return facts.assets !== undefined && facts.present.has(CHECKPOINT_INDEX);
}
