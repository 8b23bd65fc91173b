/**
 * The parts of a SavedModel this runtime reads, normalised: dtypes as names (`DT_FLOAT`), 64-bit
 * integers as numbers, bytes as Uint8Array. `normalize-proto.ts` builds them from the decoder's output.
 * @see https://github.com/tensorflow/tensorflow/blob/master/tensorflow/core/protobuf/meta_graph.proto
 */
export interface TfShape {
  /** -1 = unknown size. */
  dims: number[];
  unknownRank: boolean;
}

export interface TfTensor {
  dtype: string;
  shape: TfShape;
  content?: Uint8Array;
  floatVal?: number[];
  doubleVal?: number[];
  intVal?: number[];
  int64Val?: number[];
  boolVal?: boolean[];
  halfVal?: number[];
  stringVal?: Uint8Array[];
  uint32Val?: number[];
  uint64Val?: number[];
}

export interface TfAttrList {
  s?: Uint8Array[];
  i?: number[];
  f?: number[];
  b?: boolean[];
  type?: string[];
  shape?: TfShape[];
  func?: Array<{ name: string }>;
}

export interface TfAttr {
  s?: Uint8Array;
  i?: number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: TfShape;
  tensor?: TfTensor;
  func?: { name: string };
  list?: TfAttrList;
  placeholder?: string;
}

export interface TfNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, TfAttr>;
}

export interface TfArg {
  name: string;
  type: string;
}

export interface TfFunction {
  name: string;
  inputArgs: TfArg[];
  outputArgs: TfArg[];
  nodes: TfNode[];
  /** output arg name → `node:out_arg:index` */
  ret: Record<string, string>;
}

export interface TfTensorInfo {
  name: string;
  dtype: string;
  shape: TfShape;
}

export interface TfSignature {
  methodName: string;
  inputs: Record<string, TfTensorInfo>;
  outputs: Record<string, TfTensorInfo>;
}

/** What this runtime needs of the SavedObjectGraph. */
export interface TfObjectGraph {
  /** concrete function name → SavedObjectGraph node ids of its captured inputs. */
  boundInputs: Record<string, number[]>;
}

export interface TfMetaGraph {
  tags: string[];
  nodes: TfNode[];
  functions: Record<string, TfFunction>;
  signatures: Record<string, TfSignature>;
  objectGraph?: TfObjectGraph;
}

/** The checkpoint's TrackableObjectGraph: node ids line up with the SavedObjectGraph. */
export interface TfTrackableGraph {
  nodes: Array<{ attributes: Array<{ name: string; checkpointKey: string }> }>;
}
