import { NotRunnableError } from '../errors';
import type { TfMetaGraph, TfSignature } from './graph-types';

/** The method TF Serving's Predict API runs; classify/regress take serialized tf.Example strings. */
export const PREDICT_METHOD = 'tensorflow/serving/predict';

/**
 * Methods TF Serving's Predict API accepts; classify/regress signatures run too when they take
 * tensors rather than tf.Example strings.
 * @see https://github.com/tensorflow/serving/blob/master/tensorflow_serving/servables/tensorflow/predict_util.cc
 */
const TENSOR_METHODS = new Set([PREDICT_METHOD, 'tensorflow/serving/classify', 'tensorflow/serving/regress']);

/** Signature keys that are loader plumbing, not something to call. */
const INTERNAL_SIGNATURES = new Set(['__saved_model_init_op', '__saved_model_train_op']);

/**
 * The MetaGraph whose tag set equals `tags` (as TF Serving's loader matches them).
 * @see https://www.tensorflow.org/guide/saved_model#specifying_signatures_during_export
 */
export function selectMetaGraph(metaGraphs: TfMetaGraph[], tags: string[], location: string): TfMetaGraph {
  const wanted = [...new Set(tags)].sort().join(',');
  const found = metaGraphs.find((m) => [...new Set(m.tags)].sort().join(',') === wanted);
  if (found) return found;
  const have = metaGraphs.map((m) => `[${m.tags.join(', ')}]`).join(' ');
  throw new Error(
    `${location}/saved_model.pb: no MetaGraph is tagged [${tags.join(', ')}]; it has ${have || 'no MetaGraphs'}`,
  );
}

/** Signature keys a caller can choose from. */
export function signatureNames(meta: TfMetaGraph): string[] {
  return Object.keys(meta.signatures)
    .filter((k) => !INTERNAL_SIGNATURES.has(k))
    .sort();
}

/**
 * The named signature, checked to be a plain tensor prediction: it has inputs, a method TF Serving's
 * Predict API runs (classify/regress only without tf.Example strings), and no input or output is a
 * reference (a TF1 variable itself, as in a counter's signatures).
 */
export function selectSignature(meta: TfMetaGraph, name: string, location: string): TfSignature {
  const signature = INTERNAL_SIGNATURES.has(name) ? undefined : meta.signatures[name];
  if (!signature) {
    throw new Error(
      `${location}: no signature "${name}"; the SavedModel has ${signatureNames(meta).join(', ') || 'no signatures'}`,
    );
  }
  const method = signature.methodName || PREDICT_METHOD;
  if (!TENSOR_METHODS.has(method)) {
    throw new NotRunnableError(
      `not runnable locally: signature "${name}" has method ${method}; only ${[...TENSOR_METHODS].join(', ')} signatures run here`,
      method,
    );
  }
  const stringInput = Object.entries(signature.inputs).find(([, info]) => info.dtype === 'DT_STRING');
  if (method !== PREDICT_METHOD && stringInput) {
    throw new NotRunnableError(
      `not runnable locally: signature "${name}" is a ${method} signature taking serialized tf.Example strings (input "${stringInput[0]}"); serve it with TF Serving's :${method.split('/').pop()} API or pick a signature that takes tensors`,
      method,
    );
  }
  if (Object.keys(signature.inputs).length === 0) {
    throw new NotRunnableError(
      `not runnable locally: signature "${name}" takes no inputs, so it is not a tensor prediction (it reads or changes model state)`,
      'no inputs',
    );
  }
  for (const [side, entries] of [
    ['input', signature.inputs],
    ['output', signature.outputs],
  ] as const) {
    for (const [key, info] of Object.entries(entries)) {
      if (info.dtype.endsWith('_REF')) {
        throw new NotRunnableError(
          `not runnable locally: signature "${name}" ${side} "${key}" (${info.name}) is a variable reference (${info.dtype}); the signature changes model state`,
          info.dtype,
        );
      }
      if (!info.name)
        throw new Error(
          `${location}: signature "${name}" ${side} "${key}" has no tensor name (sparse/composite tensors are not supported)`,
        );
    }
  }
  if (Object.keys(signature.outputs).length === 0) throw new Error(`${location}: signature "${name}" has no outputs`);
  return signature;
}
