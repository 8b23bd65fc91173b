/**
 * What Vertex AI needs of a SavedModel to serve it: a MetaGraph tagged `serve` and a
 * `serving_default` signature its prediction container (TF Serving) runs with JSON instances.
 * Plain data in, problems out, so every refusal is unit-tested.
 * https://cloud.google.com/vertex-ai/docs/training/exporting-model-artifacts#tensorflow
 * https://github.com/tensorflow/serving/blob/master/tensorflow_serving/servables/tensorflow/predict_util.cc
 */

export const SERVING_TAG = 'serve';
export const SERVING_SIGNATURE = 'serving_default';
export const PREDICT_METHOD = 'tensorflow/serving/predict';
/** classify/regress run under Predict too, but only when they take tensors, not tf.Example strings. */
const TENSOR_METHODS = new Set([PREDICT_METHOD, 'tensorflow/serving/classify', 'tensorflow/serving/regress']);

export interface SignatureTensorFacts {
  dtype: string;
  shape: number[] | null;
}

export interface SignatureFacts {
  /** `SignatureDef.method_name`; '' reads as predict (what TF Serving assumes). */
  method: string;
  inputs: Record<string, SignatureTensorFacts>;
  outputs: Record<string, SignatureTensorFacts>;
}

export interface MetaGraphFacts {
  tags: string[];
  tensorflowVersion?: string;
  signatures: Record<string, SignatureFacts>;
}

export interface ServingSignature<G extends MetaGraphFacts> {
  /** The `serve` MetaGraph, when there is one. */
  graph?: G;
  /** Its `serving_default` signature, when it is servable. */
  signature?: G['signatures'][string];
  problems: string[];
}

/** Finds the MetaGraph and signature Vertex AI will serve; `location` names the folder in problems. */
export function servingSignature<G extends MetaGraphFacts>(location: string, metaGraphs: G[]): ServingSignature<G> {
  // TF Serving loads the MetaGraph whose tag set is exactly {serve}: [serve, gpu] is not it.
  const graph = metaGraphs.find((g) => new Set(g.tags).size === 1 && g.tags[0] === SERVING_TAG);
  if (!graph) {
    return {
      problems: [
        `${location}: no MetaGraph tagged exactly [${SERVING_TAG}] (it has ${metaGraphs.map((g) => `[${g.tags.join(', ')}]`).join(' ') || 'none'}); export with tf.saved_model.save (Vertex AI serves the MetaGraph whose tags are just "${SERVING_TAG}")`,
      ],
    };
  }
  const signature = graph.signatures[SERVING_SIGNATURE] as G['signatures'][string] | undefined;
  if (!signature) {
    const names = Object.keys(graph.signatures).join(', ') || 'none';
    return {
      graph,
      problems: [`${location}: no ${SERVING_SIGNATURE} signature; the signatures are ${names}`],
    };
  }
  const problems = methodProblems(location, signature);
  if (Object.keys(signature.inputs).length === 0)
    problems.push(`${location}: the ${SERVING_SIGNATURE} signature has no inputs, so no instance can be sent to it`);
  return problems.length > 0 ? { graph, problems } : { graph, signature, problems };
}

/** Just the problems, for callers that need no more. */
export function servingSignatureProblems(location: string, metaGraphs: MetaGraphFacts[]): string[] {
  return servingSignature(location, metaGraphs).problems;
}

function methodProblems(location: string, signature: SignatureFacts): string[] {
  const method = signature.method || PREDICT_METHOD;
  if (!TENSOR_METHODS.has(method)) {
    return [
      `${location}: the ${SERVING_SIGNATURE} signature has method ${method}, which the Predict API does not run; export a ${PREDICT_METHOD} signature`,
    ];
  }
  const stringInput = Object.entries(signature.inputs).find(([, t]) => t.dtype === 'DT_STRING');
  if (method !== PREDICT_METHOD && stringInput) {
    return [
      `${location}: the ${SERVING_SIGNATURE} signature is a ${method} signature taking serialized tf.Example strings (input "${stringInput[0]}"); Vertex AI sends JSON instances to Predict, so export a ${PREDICT_METHOD} signature that takes tensors`,
    ];
  }
  return [];
}
