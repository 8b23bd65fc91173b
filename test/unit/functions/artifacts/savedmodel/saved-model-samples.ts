import type { SavedModel, SignatureDef, TensorInfo } from '../../../../../functions/artifacts/savedmodel/tf-proto';

/** A dense TensorInfo with the given dims (`null` → unknown rank, `undefined` → no tensor_shape). */
export function tensorInfo(name: string, dtype: string, dims: number[] | null | undefined): TensorInfo {
  const info: TensorInfo = { name, dtype: dtype as TensorInfo['dtype'] };
  if (dims === null) info.tensorShape = { dim: [], unknownRank: true };
  else if (dims) info.tensorShape = { dim: dims.map((size) => ({ size })) };
  return info;
}

export function signature(
  method: string,
  inputs: Record<string, TensorInfo>,
  outputs: Record<string, TensorInfo>,
): SignatureDef {
  return { methodName: method, inputs, outputs, defaults: {} };
}

/** A SavedModel message with one MetaGraph per entry of `graphs` (no GraphDef: the reader ignores it). */
export function savedModelMessage(
  graphs: Array<{ tags: string[]; version?: string; signatures: Record<string, SignatureDef> }>,
): SavedModel {
  return {
    savedModelSchemaVersion: 1,
    metaGraphs: graphs.map((graph) => ({
      metaInfoDef: {
        tags: graph.tags,
        tensorflowVersion: graph.version ?? '2.15.0',
        tensorflowGitVersion: 'v2.15.0-test',
        functionAliases: {},
      },
      collectionDef: {},
      signatureDef: graph.signatures,
      assetFileDef: [],
    })),
  };
}

/** The `serving_default` signature every generated half-plus-two style model carries. */
export const PREDICT_X_TO_Y = signature(
  'tensorflow/serving/predict',
  { x: tensorInfo('x:0', 'DT_FLOAT', [-1, 1]) },
  { y: tensorInfo('y:0', 'DT_FLOAT', [-1, 1]) },
);
