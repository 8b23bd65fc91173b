/**
 * TypeScript shapes of the decoded TensorFlow messages, as `decodeSavedModel` returns them
 * (protobufjs `toObject` with the options documented in `tf-proto.ts`): camelCase keys, enums as
 * their names (a number when the value is unknown to this schema), int64 as `number`, bytes as
 * `Uint8Array`, repeated fields and maps always present, other unset proto3 fields absent (read an
 * absent scalar as its proto3 default: 0, '' or false).
 * These follow the field names of tfjs-converter's `tensorflow.IGraphDef` family, so a decoded
 * GraphDef can be handed to it after the conversions noted on `AttrValue`.
 */
import type { DataTypeName } from './tf-proto-json';

export type { DataTypeName };
/** A DataType as decoded: its name, or the bare number for a value newer than this schema. */
export type DataTypeValue = DataTypeName | number;

export interface TensorShapeProto {
  /** `size` absent means 0; -1 is an unknown dimension. */
  dim: Array<{ size?: number; name?: string }>;
  unknownRank?: boolean;
}

export interface TensorProto {
  dtype?: DataTypeValue;
  tensorShape?: TensorShapeProto;
  versionNumber?: number;
  tensorContent?: Uint8Array;
  halfVal: number[];
  floatVal: number[];
  doubleVal: number[];
  intVal: number[];
  stringVal: Uint8Array[];
  scomplexVal: number[];
  int64Val: number[];
  boolVal: boolean[];
  dcomplexVal: number[];
  uint32Val: number[];
  uint64Val: number[];
  float8Val?: Uint8Array;
  resourceHandleVal: unknown[];
  variantVal: unknown[];
}

export interface NameAttrList {
  name?: string;
  attr: Record<string, AttrValue>;
}

/**
 * One attr value (a oneof: exactly one key is set). tfjs-converter's `getStringParam` expects `s`
 * as a number array or base64 text: pass `Array.from(s)` when handing attrs to it.
 */
export interface AttrValue {
  list?: {
    s: Uint8Array[];
    i: number[];
    f: number[];
    b: boolean[];
    type: DataTypeValue[];
    shape: TensorShapeProto[];
    tensor: TensorProto[];
    func: NameAttrList[];
  };
  s?: Uint8Array;
  i?: number;
  f?: number;
  b?: boolean;
  type?: DataTypeValue;
  shape?: TensorShapeProto;
  tensor?: TensorProto;
  placeholder?: string;
  func?: NameAttrList;
}

export interface NodeDef {
  name?: string;
  op?: string;
  input: string[];
  device?: string;
  attr: Record<string, AttrValue>;
}

export interface VersionDef {
  producer?: number;
  minConsumer?: number;
  badConsumers: number[];
}

export interface ArgDef {
  name?: string;
  description?: string;
  type?: DataTypeValue;
  typeAttr?: string;
  numberAttr?: string;
  typeListAttr?: string;
  isRef?: boolean;
}

export interface AttrDef {
  name?: string;
  type?: string;
  defaultValue?: AttrValue;
  hasMinimum?: boolean;
  minimum?: number;
  allowedValues?: AttrValue;
}

export interface OpDef {
  name?: string;
  inputArg: ArgDef[];
  outputArg: ArgDef[];
  controlOutput: string[];
  attr: AttrDef[];
  isStateful?: boolean;
}

export interface FunctionDef {
  signature?: OpDef;
  attr: Record<string, AttrValue>;
  /** Keyed by argument index (decimal text, as JavaScript object keys are). */
  argAttr: Record<string, { attr: Record<string, AttrValue> }>;
  resourceArgUniqueId: Record<string, number>;
  nodeDef: NodeDef[];
  ret: Record<string, string>;
  controlRet: Record<string, string>;
}

export interface FunctionDefLibrary {
  function: FunctionDef[];
  gradient: Array<{ functionName?: string; gradientFunc?: string }>;
}

export interface GraphDef {
  node: NodeDef[];
  versions?: VersionDef;
  library?: FunctionDefLibrary;
}

export interface TensorInfo {
  name?: string;
  cooSparse?: { valuesTensorName?: string; indicesTensorName?: string; denseShapeTensorName?: string };
  compositeTensor?: { typeSpec?: unknown; components: TensorInfo[] };
  dtype?: DataTypeValue;
  tensorShape?: TensorShapeProto;
}

export interface SignatureDef {
  inputs: Record<string, TensorInfo>;
  outputs: Record<string, TensorInfo>;
  methodName?: string;
  defaults: Record<string, TensorProto>;
}

export interface SaverDef {
  filenameTensorName?: string;
  saveTensorName?: string;
  restoreOpName?: string;
  maxToKeep?: number;
  sharded?: boolean;
  keepCheckpointEveryNHours?: number;
  version?: 'LEGACY' | 'V1' | 'V2' | number;
}

export interface CollectionDef {
  nodeList?: { value: string[] };
  bytesList?: { value: Uint8Array[] };
  int64List?: { value: number[] };
  floatList?: { value: number[] };
  anyList?: { value: Array<{ typeUrl?: string; value?: Uint8Array }> };
}

export interface MetaInfoDef {
  metaGraphVersion?: string;
  strippedOpList?: { op: OpDef[] };
  tags: string[];
  tensorflowVersion?: string;
  tensorflowGitVersion?: string;
  strippedDefaultAttrs?: boolean;
  functionAliases: Record<string, string>;
}

export interface ObjectReference {
  nodeId?: number;
  localName?: string;
}

export interface SavedVariable {
  dtype?: DataTypeValue;
  shape?: TensorShapeProto;
  trainable?: boolean;
  name?: string;
  device?: string;
}

/** One node of a TF2 object graph; exactly one of the kind keys is set. */
export interface SavedObject {
  children: ObjectReference[];
  dependencies: ObjectReference[];
  slotVariables: unknown[];
  userObject?: { identifier?: string; version?: VersionDef; metadata?: string };
  asset?: { assetFileDefIndex?: number };
  function?: { concreteFunctions: string[]; functionSpec?: unknown };
  variable?: SavedVariable;
  bareConcreteFunction?: {
    concreteFunctionName?: string;
    argumentKeywords: string[];
    allowedPositionalArguments?: number;
  };
  constant?: { operation?: string };
  resource?: { device?: string };
  capturedTensor?: { name?: string; concreteFunction?: string };
  saveableObjects: Record<string, { saveFunction?: number; restoreFunction?: number }>;
  registeredName?: string;
}

export interface SavedConcreteFunction {
  boundInputs: number[];
  canonicalizedInputSignature?: unknown;
  outputSignature?: unknown;
}

export interface SavedObjectGraph {
  nodes: SavedObject[];
  concreteFunctions: Record<string, SavedConcreteFunction>;
}

export interface MetaGraphDef {
  metaInfoDef?: MetaInfoDef;
  graphDef?: GraphDef;
  saverDef?: SaverDef;
  collectionDef: Record<string, CollectionDef>;
  signatureDef: Record<string, SignatureDef>;
  assetFileDef: Array<{ tensorInfo?: TensorInfo; filename?: string }>;
  objectGraphDef?: SavedObjectGraph;
}

export interface SavedModel {
  savedModelSchemaVersion?: number;
  metaGraphs: MetaGraphDef[];
}

/** What `decodeSavedModelSignatures` returns: MetaGraphs reduced to tags, versions and signatures. */
export interface SavedModelView {
  savedModelSchemaVersion?: number;
  metaGraphs: Array<{
    metaInfoDef?: Pick<MetaInfoDef, 'tags' | 'tensorflowVersion' | 'tensorflowGitVersion'>;
    signatureDef: Record<string, SignatureDef>;
  }>;
}

/** The checkpoint's `_CHECKPOINTABLE_OBJECT_GRAPH` entry (trackable_object_graph.proto). */
export interface TrackableObjectGraph {
  nodes: Array<{
    children: ObjectReference[];
    attributes: Array<{ name?: string; fullName?: string; checkpointKey?: string; optionalRestore?: boolean }>;
    slotVariables: Array<{ originalVariableNodeId?: number; slotName?: string; slotVariableNodeId?: number }>;
  }>;
}
