import type { ArtifactFiles } from '../../artifacts/artifact-files';
import { decodeSavedModel } from '../../artifacts/savedmodel/tf-proto';
import { NotRunnableError } from '../errors';
import { dtypeFromTf, parseInstances, toPredictions, type OutputValue } from '../instances';
import { runBatch, type TensorSpec } from './batch-run';
import { freezeSignature } from './freeze-graph';
import type { TfTensorInfo } from './graph-types';
import { normalizeSavedModel } from './normalize-proto';
import { restoreVariables } from './restore-variables';
import { selectMetaGraph, selectSignature } from './signature';
import { buildGraphModel, type FrozenGraphModel } from './tfjs-graph';
import { modelNameFromLocation, tfServingPredict } from './tf-serving-predict';

export type { TensorSpec } from './batch-run';

/** Instances run through the graph at once; bigger requests are split so memory stays bounded. */
export const MAX_BATCH = 1024;

export interface LoadSavedModelOptions {
  signature?: string;
  tags?: string[];
  /** TF Serving REST base URL to delegate predictions to; defaults to `FERRY_TF_SERVING_URL`. */
  tfServingUrl?: string;
  /** Model name on TF Serving; defaults to the folder above the version in `files.location`. */
  modelName?: string;
  maxBatch?: number;
}

/** A loaded signature that answers TF Serving row-format predictions. */
export interface SavedModelRunner {
  readonly signatureName: string;
  readonly inputs: Record<string, TensorSpec>;
  readonly outputs: Record<string, TensorSpec>;
  /** Where predictions run: `tfjs-cpu` or the TF Serving URL. */
  readonly backend: string;
  predict(instances: unknown[]): Promise<unknown[]>;
  dispose(): void;
}

function specOf(info: TfTensorInfo, tensorName: string, where: string): TensorSpec {
  let dtype;
  try {
    dtype = dtypeFromTf(info.dtype);
  } catch {
    throw new NotRunnableError(
      `not runnable locally: ${where} has dtype ${info.dtype}, which JSON instances cannot carry`,
      info.dtype,
    );
  }
  return { dtype, shape: info.shape.unknownRank ? null : info.shape.dims, tensorName };
}

/**
 * Loads one signature of a SavedModel and runs it with TensorFlow.js on the CPU (pure JS: no native
 * TensorFlow in Cloud Functions), or delegates to TF Serving when a URL is configured. Reads
 * `saved_model.pb`, the checkpoint index and only the data shards the signature's variables live in.
 * Throws NotRunnableError for signatures or ops TensorFlow.js cannot run, at load time.
 * @see https://www.tensorflow.org/guide/saved_model
 * @see https://js.tensorflow.org/api/latest/#loadGraphModel
 */
export async function loadSavedModel(
  files: ArtifactFiles,
  options: LoadSavedModelOptions = {},
): Promise<SavedModelRunner> {
  const signatureName = options.signature ?? 'serving_default';
  const file = `${files.location}/saved_model.pb`;
  const metaGraphs = normalizeSavedModel(decodeSavedModel(await files.read('saved_model.pb'), file));
  const meta = selectMetaGraph(metaGraphs, options.tags ?? ['serve'], files.location);
  const signature = selectSignature(meta, signatureName, files.location);
  const servingUrl = options.tfServingUrl ?? process.env.FERRY_TF_SERVING_URL;
  if (servingUrl) {
    const inputs = Object.fromEntries(
      Object.entries(signature.inputs).map(([k, i]) => [k, specOf(i, i.name, `input "${k}"`)]),
    );
    const outputs = Object.fromEntries(
      Object.entries(signature.outputs).map(([k, i]) => [k, specOf(i, i.name, `output "${k}"`)]),
    );
    const target = {
      baseUrl: servingUrl,
      modelName: options.modelName ?? modelNameFromLocation(files.location),
      signatureName,
    };
    return {
      signatureName,
      inputs,
      outputs,
      backend: servingUrl,
      async predict(instances) {
        parseInstances(instances, inputs);
        return tfServingPredict(target, instances);
      },
      dispose() {},
    };
  }
  const frozen = freezeSignature(meta, signatureName, signature);
  const inputs = Object.fromEntries(
    Object.entries(frozen.inputs).map(([k, t]) => [k, specOf(signature.inputs[k], t.tensorName, `input "${k}"`)]),
  );
  const outputs = Object.fromEntries(
    Object.entries(frozen.outputs).map(([k, t]) => [k, specOf(signature.outputs[k], t.tensorName, `output "${k}"`)]),
  );
  const weights = new Map([...frozen.constants, ...(await restoreVariables(files, frozen.variables))]);
  const graph: FrozenGraphModel = buildGraphModel(frozen.nodes, weights);
  const maxBatch = Math.max(1, options.maxBatch ?? MAX_BATCH);
  let disposed = false;
  return {
    signatureName,
    inputs,
    outputs,
    backend: 'tfjs-cpu',
    async predict(instances) {
      if (disposed) throw new Error(`${files.location}: the runner for signature "${signatureName}" was disposed`);
      const parsed = parseInstances(instances, inputs);
      const rows: Array<Record<string, OutputValue>> = [];
      for (let start = 0; start < parsed.length; start += maxBatch) {
        rows.push(...(await runBatch(graph, inputs, outputs, parsed.slice(start, start + maxBatch), start)));
      }
      return toPredictions(rows);
    },
    dispose() {
      if (!disposed) graph.model.dispose();
      disposed = true;
    },
  };
}
