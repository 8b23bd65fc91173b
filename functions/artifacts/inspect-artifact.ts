import type { ArtifactFiles } from './artifact-files';
import { checkCompleteness, INDEX_PATH, readCheckpointIndex, verifyCheckpointStreaming } from './checkpoint';

import { detectFile, detectFolder } from './detect-format';
import { checkSavedModel, readSavedModel, type MetaGraphInfo } from './savedmodel';
import { readTflite, type TfliteInfo } from './tflite/read-tflite';

/** One thing wrong with an artifact: the file, what is wrong and what to do. */
export interface Problem {
  file: string;
  message: string;
}

export interface SavedModelReport {
  kind: 'savedmodel';
  location: string;
  schemaVersion: number;
  metaGraphs: MetaGraphInfo[];
  /** Null when the SavedModel has no checkpoint (a graph of constants). */
  variables: { shards: number; entries: number; bytes: number; verified: boolean; crcChecked: boolean } | null;
  assets: string[];
  problems: Problem[];
}

export interface TfliteReport extends TfliteInfo {
  kind: 'tflite';
  location: string;
  problems: Problem[];
}

export type InspectReport = SavedModelReport | TfliteReport;

/** The artifact is not something ferry serves; the message says what to export instead. */
export class UnsupportedArtifactError extends Error {
  constructor(
    readonly location: string,
    format: string,
    advice: string,
  ) {
    super(`${location}: ${format}, not a SavedModel or TFLite model; ${advice}`);
    this.name = 'UnsupportedArtifactError';
  }
}

export interface InspectOptions {
  /** Checksum every tensor (streams all shards); off = completeness and sizes from the listing only. */
  verifyCrc?: boolean;
  /**
   * Read only tags and signatures of saved_model.pb (the graph skipped unparsed): a quick look.
   * Off (the default), the whole file is decoded strictly and its graph's references checked.
   */
  fast?: boolean;
}

/**
 * Everything ferry checks before spending 20 minutes on a deployment. Structural damage
 * (a truncated saved_model.pb, a bad index footer) throws the reader's error, which names the file;
 * integrity problems (missing shards, checksum mismatches) are listed in `problems`.
 */
export async function inspectFolder(files: ArtifactFiles, options: InspectOptions = {}): Promise<InspectReport> {
  const listing = await files.list();
  const detected = detectFolder(listing.keys());
  if (detected.kind === 'unsupported')
    throw new UnsupportedArtifactError(files.location, detected.format, detected.advice);
  if (detected.kind === 'tflite') {
    const name = [...listing.keys()].find((p) => p.endsWith('.tflite')) as string;
    return inspectTfliteBytes(await files.read(name), `${files.location}/${name}`);
  }
  if (detected.textFormat) {
    throw new UnsupportedArtifactError(
      files.location,
      'a SavedModel in text format (saved_model.pbtxt)',
      'export it in binary form (the default of tf.saved_model.save); Vertex AI serves saved_model.pb',
    );
  }
  const pb = await files.read('saved_model.pb');
  const info = readSavedModel(pb, `${files.location}/saved_model.pb`);
  if (!options.fast) checkSavedModel(pb, `${files.location}/saved_model.pb`);
  const assets = [...listing.keys()].filter((p) => p.startsWith('assets/') || p.startsWith('assets.extra/')).sort();
  if (!listing.has(INDEX_PATH))
    return { kind: 'savedmodel', location: files.location, ...info, variables: null, assets, problems: [] };
  const crcChecked = options.verifyCrc ?? true;
  const index = readCheckpointIndex(await files.read(INDEX_PATH), INDEX_PATH);
  // Shards are streamed, never held: memory stays at one chunk however large the checkpoint.
  const verified = crcChecked
    ? await verifyCheckpointStreaming(index, (path) => (listing.has(path) ? files.stream(path) : undefined))
    : checkCompleteness(index, listing);
  return {
    kind: 'savedmodel',
    location: files.location,
    ...info,
    variables: {
      shards: index.numShards,
      entries: index.entries.length,
      bytes: verified.bytes,
      verified: verified.verified,
      crcChecked,
    },
    assets,
    problems: verified.problems.map((p) => ({ file: `${files.location}/${p.file}`, message: p.message })),
  };
}

/** A single file: TFLite, or one of the formats people drop by mistake. */
export function inspectFile(bytes: Uint8Array, location: string): InspectReport {
  const detected = detectFile(location, bytes.subarray(0, 16));
  if (detected.kind === 'unsupported') throw new UnsupportedArtifactError(location, detected.format, detected.advice);
  if (detected.kind === 'savedmodel')
    throw new UnsupportedArtifactError(location, 'a single file', 'inspect the SavedModel folder');
  return inspectTfliteBytes(bytes, location);
}

function inspectTfliteBytes(bytes: Uint8Array, location: string): TfliteReport {
  const info = readTflite(bytes, location);
  const problems = info.customOperators.map((op) => ({
    file: location,
    message: `uses custom op ${op}, which the stock TFLite runtime (and so the apps) cannot run unless it is linked in; convert without it (tf.lite.OpsSet.TFLITE_BUILTINS)`,
  }));
  return { kind: 'tflite', location, ...info, problems };
}
