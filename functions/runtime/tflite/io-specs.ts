import type { TfliteInfo } from '../../artifacts/tflite/read-tflite';
import { NotRunnableError } from '../errors';
import { dtypeFromTflite, type ValueDType } from '../instances';
import { feedable } from './tensor-copy';
import type { WasmTensor } from './tflite-wasm';

/** One model input or output as callers name it. */
export interface TfliteTensorSpec {
  /** The serving signature's name when the model has one (`input_1`), else the tensor name. */
  name: string;
  /** The tensor's own name in the graph (`serving_default_input_1:0`). */
  tensor: string;
  dtype: ValueDType;
  /** Shape as allocated by the runtime, batch dim first. */
  shape: number[];
}

export interface IoPlan {
  inputs: TfliteTensorSpec[];
  outputs: TfliteTensorSpec[];
  /**
   * Instances per Infer: the shared leading dim of every input, or 0 when the inputs do not share
   * one (then each instance supplies every input's full shape, one Infer each).
   */
  batch: number;
}

/**
 * Names, dtypes and shapes of the runner's tensors, and how instances map onto Infer calls.
 * Names come from the `serving_default` SignatureDef when it covers every tensor, so requests use
 * the same keys as TF Serving / Vertex AI would for the SavedModel the file was converted from.
 */
export function planIo(file: string, info: TfliteInfo, inputs: WasmTensor[], outputs: WasmTensor[]): IoPlan {
  const signature =
    info.signatures.find((s) => s.subgraphIndex === 0 && s.key === 'serving_default') ??
    info.signatures.find((s) => s.subgraphIndex === 0);
  const inputSpecs = specs(file, inputs, 'input', signature?.inputs);
  const outputSpecs = specs(file, outputs, 'output', signature?.outputs);
  const leading = inputSpecs.map((spec) => (spec.shape.length > 0 ? spec.shape[0] : -1));
  const batch = leading.length > 0 && leading.every((dim) => dim > 0 && dim === leading[0]) ? leading[0] : 0;
  if (batch > 1) {
    const unbatched = outputSpecs.find((spec) => spec.shape[0] !== batch);
    if (unbatched) {
      throw new NotRunnableError(
        `not runnable: ${file}: inputs take a fixed batch of ${batch} but output ${unbatched.name} has shape [${unbatched.shape.join(',')}], so results cannot be matched to instances`,
        'fixed batch',
      );
    }
  }
  return { inputs: inputSpecs, outputs: outputSpecs, batch };
}

function specs(
  file: string,
  tensors: WasmTensor[],
  kind: string,
  aliases: Record<string, string> | undefined,
): TfliteTensorSpec[] {
  const aliasOf = new Map(Object.entries(aliases ?? {}).map(([alias, tensor]) => [tensor, alias]));
  const useAliases = aliasOf.size === tensors.length && tensors.every((t) => aliasOf.has(t.name));
  const result = tensors.map((t) => {
    let dtype: ValueDType;
    try {
      dtype = dtypeFromTflite(t.dataType);
    } catch {
      dtype = 'string';
    }
    if (!feedable(dtype) || t.dataType.toLowerCase() !== dtype) {
      throw new NotRunnableError(
        `not runnable: ${file}: ${kind} ${t.name} has dtype ${t.dataType}, which the TFLite web runtime cannot exchange`,
        `${t.dataType} ${kind}`,
      );
    }
    const shape = t.shape === '' ? [] : t.shape.split(',').map(Number);
    return { name: useAliases ? (aliasOf.get(t.name) as string) : t.name, tensor: t.name, dtype, shape };
  });
  const names = result.map((spec) => spec.name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined)
    throw new NotRunnableError(
      `not runnable: ${file}: two ${kind}s are both named ${JSON.stringify(duplicate)}`,
      `duplicate ${kind} name`,
    );
  return result;
}

/** Elements in one instance's slice of a tensor (the whole tensor when unbatched). */
export function rowShape(spec: TfliteTensorSpec, batch: number): number[] {
  return batch > 0 && spec.shape.length > 0 && spec.shape[0] === batch ? spec.shape.slice(1) : spec.shape;
}

export function elementCount(shape: number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}
