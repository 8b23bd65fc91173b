/**
 * protobufjs JSON descriptors for `tensorflow/core/protobuf/*.proto` (saved_model, meta_graph, saver,
 * saved_object_graph, struct, trackable_object_graph) and `framework/variable.proto`'s enums.
 * Field names are camelCase, numbers are TensorFlow's.
 * Source: https://github.com/tensorflow/tensorflow/tree/master/tensorflow/core/protobuf
 */
import { type NestedJson, field as f, map as m, message, repeated as r } from './tf-proto-json';

const TRACKABLE_REF = 'TrackableObjectGraph.TrackableObject.ObjectReference';

const savedModel = {
  SavedModel: message({ savedModelSchemaVersion: f('int64', 1), metaGraphs: r('MetaGraphDef', 2) }),
  MetaGraphDef: message(
    {
      metaInfoDef: f('MetaInfoDef', 1),
      graphDef: f('GraphDef', 2),
      saverDef: f('SaverDef', 3),
      collectionDef: m('string', 'CollectionDef', 4),
      signatureDef: m('string', 'SignatureDef', 5),
      assetFileDef: r('AssetFileDef', 6),
      objectGraphDef: f('SavedObjectGraph', 7),
    },
    {
      MetaInfoDef: message({
        metaGraphVersion: f('string', 1),
        strippedOpList: f('OpList', 2),
        anyInfo: f('google.protobuf.Any', 3),
        tags: r('string', 4),
        tensorflowVersion: f('string', 5),
        tensorflowGitVersion: f('string', 6),
        strippedDefaultAttrs: f('bool', 7),
        functionAliases: m('string', 'string', 8),
      }),
    },
  ),
  CollectionDef: message(
    {
      nodeList: f('NodeList', 1),
      bytesList: f('BytesList', 2),
      int64List: f('Int64List', 3),
      floatList: f('FloatList', 4),
      anyList: f('AnyList', 5),
    },
    {
      NodeList: message({ value: r('string', 1) }),
      BytesList: message({ value: r('bytes', 1) }),
      Int64List: message({ value: r('int64', 1) }),
      FloatList: message({ value: r('float', 1) }),
      AnyList: message({ value: r('google.protobuf.Any', 1) }),
    },
    { kind: ['nodeList', 'bytesList', 'int64List', 'floatList', 'anyList'] },
  ),
  TensorInfo: message(
    {
      name: f('string', 1),
      cooSparse: f('CooSparse', 4),
      compositeTensor: f('CompositeTensor', 5),
      dtype: f('DataType', 2),
      tensorShape: f('TensorShapeProto', 3),
    },
    {
      CooSparse: message({
        valuesTensorName: f('string', 1),
        indicesTensorName: f('string', 2),
        denseShapeTensorName: f('string', 3),
      }),
      CompositeTensor: message({ typeSpec: f('TypeSpecProto', 1), components: r('TensorInfo', 2) }),
    },
    { encoding: ['name', 'cooSparse', 'compositeTensor'] },
  ),
  SignatureDef: message({
    inputs: m('string', 'TensorInfo', 1),
    outputs: m('string', 'TensorInfo', 2),
    methodName: f('string', 3),
    defaults: m('string', 'TensorProto', 4),
  }),
  AssetFileDef: message({ tensorInfo: f('TensorInfo', 1), filename: f('string', 2) }),
  SaverDef: message(
    {
      filenameTensorName: f('string', 1),
      saveTensorName: f('string', 2),
      restoreOpName: f('string', 3),
      maxToKeep: f('int32', 4),
      sharded: f('bool', 5),
      keepCheckpointEveryNHours: f('float', 6),
      version: f('CheckpointFormatVersion', 7),
    },
    { CheckpointFormatVersion: { values: { LEGACY: 0, V1: 1, V2: 2 } } },
  ),
};

const objectGraph = {
  VariableSynchronization: {
    values: {
      VARIABLE_SYNCHRONIZATION_AUTO: 0,
      VARIABLE_SYNCHRONIZATION_NONE: 1,
      VARIABLE_SYNCHRONIZATION_ON_WRITE: 2,
      VARIABLE_SYNCHRONIZATION_ON_READ: 3,
    },
  },
  VariableAggregation: {
    values: {
      VARIABLE_AGGREGATION_NONE: 0,
      VARIABLE_AGGREGATION_SUM: 1,
      VARIABLE_AGGREGATION_MEAN: 2,
      VARIABLE_AGGREGATION_ONLY_FIRST_REPLICA: 3,
    },
  },
  SavedObjectGraph: message({
    nodes: r('SavedObject', 1),
    concreteFunctions: m('string', 'SavedConcreteFunction', 2),
  }),
  SavedObject: message(
    {
      children: r(TRACKABLE_REF, 1),
      dependencies: r(TRACKABLE_REF, 15),
      slotVariables: r('TrackableObjectGraph.TrackableObject.SlotVariableReference', 3),
      userObject: f('SavedUserObject', 4),
      asset: f('SavedAsset', 5),
      function: f('SavedFunction', 6),
      variable: f('SavedVariable', 7),
      bareConcreteFunction: f('SavedBareConcreteFunction', 8),
      constant: f('SavedConstant', 9),
      resource: f('SavedResource', 10),
      capturedTensor: f('CapturedTensor', 12),
      saveableObjects: m('string', 'SaveableObject', 11),
      registeredName: f('string', 13),
      serializedUserProto: f('google.protobuf.Any', 14),
      registeredSaver: f('string', 16),
    },
    undefined,
    {
      kind: [
        'userObject',
        'asset',
        'function',
        'variable',
        'bareConcreteFunction',
        'constant',
        'resource',
        'capturedTensor',
      ],
    },
  ),
  SavedUserObject: message({ identifier: f('string', 1), version: f('VersionDef', 2), metadata: f('string', 3) }),
  SavedAsset: message({ assetFileDefIndex: f('int32', 1) }),
  SavedFunction: message({ concreteFunctions: r('string', 1), functionSpec: f('FunctionSpec', 2) }),
  CapturedTensor: message({ name: f('string', 1), concreteFunction: f('string', 2) }),
  SavedConcreteFunction: message({
    boundInputs: r('int32', 2),
    canonicalizedInputSignature: f('StructuredValue', 3),
    outputSignature: f('StructuredValue', 4),
  }),
  SavedBareConcreteFunction: message({
    concreteFunctionName: f('string', 1),
    argumentKeywords: r('string', 2),
    allowedPositionalArguments: f('int64', 3),
    functionSpec: f('FunctionSpec', 4),
  }),
  SavedConstant: message({ operation: f('string', 1) }),
  SavedVariable: message({
    dtype: f('DataType', 1),
    shape: f('TensorShapeProto', 2),
    trainable: f('bool', 3),
    synchronization: f('VariableSynchronization', 4),
    aggregation: f('VariableAggregation', 5),
    name: f('string', 6),
    device: f('string', 7),
    experimentalDistributedVariableComponents: r('SavedVariable', 8),
  }),
  FunctionSpec: message(
    {
      fullargspec: f('StructuredValue', 1),
      isMethod: f('bool', 2),
      inputSignature: f('StructuredValue', 5),
      jitCompile: f('JitCompile', 6),
    },
    { JitCompile: { values: { DEFAULT: 0, ON: 1, OFF: 2 } } },
  ),
  SavedResource: message({ device: f('string', 1) }),
  SaveableObject: message({ saveFunction: f('int32', 2), restoreFunction: f('int32', 3) }),
  TrackableObjectGraph: message(
    { nodes: r('TrackableObject', 1) },
    {
      TrackableObject: message(
        {
          children: r('ObjectReference', 1),
          attributes: r('SerializedTensor', 2),
          slotVariables: r('SlotVariableReference', 3),
          registeredSaver: f('RegisteredSaver', 4),
          hasCheckpointValues: f('google.protobuf.BoolValue', 5),
        },
        {
          ObjectReference: message({ nodeId: f('int32', 1), localName: f('string', 2) }),
          SerializedTensor: message({
            name: f('string', 1),
            fullName: f('string', 2),
            checkpointKey: f('string', 3),
            optionalRestore: f('bool', 4),
          }),
          SlotVariableReference: message({
            originalVariableNodeId: f('int32', 1),
            slotName: f('string', 2),
            slotVariableNodeId: f('int32', 3),
          }),
        },
      ),
    },
  ),
  RegisteredSaver: message({ name: f('string', 1), objectName: f('string', 2) }),
};

/** struct.proto: the nested Python values (`tf.TensorSpec`, dicts, tuples) of function signatures. */
const struct = {
  StructuredValue: message(
    {
      noneValue: f('NoneValue', 1),
      float64Value: f('double', 11),
      int64Value: f('sint64', 12),
      stringValue: f('string', 13),
      boolValue: f('bool', 14),
      tensorShapeValue: f('TensorShapeProto', 31),
      tensorDtypeValue: f('DataType', 32),
      tensorSpecValue: f('TensorSpecProto', 33),
      typeSpecValue: f('TypeSpecProto', 34),
      boundedTensorSpecValue: f('BoundedTensorSpecProto', 35),
      listValue: f('ListValue', 51),
      tupleValue: f('TupleValue', 52),
      dictValue: f('DictValue', 53),
      namedTupleValue: f('NamedTupleValue', 54),
      tensorValue: f('TensorProto', 55),
      numpyValue: f('TensorProto', 56),
    },
    undefined,
    {
      kind: [
        'noneValue',
        'float64Value',
        'int64Value',
        'stringValue',
        'boolValue',
        'tensorShapeValue',
        'tensorDtypeValue',
        'tensorSpecValue',
        'typeSpecValue',
        'boundedTensorSpecValue',
        'listValue',
        'tupleValue',
        'dictValue',
        'namedTupleValue',
        'tensorValue',
        'numpyValue',
      ],
    },
  ),
  NoneValue: message({}),
  ListValue: message({ values: r('StructuredValue', 1) }),
  TupleValue: message({ values: r('StructuredValue', 1) }),
  DictValue: message({ fields: m('string', 'StructuredValue', 1) }),
  PairValue: message({ key: f('string', 1), value: f('StructuredValue', 2) }),
  NamedTupleValue: message({ name: f('string', 1), values: r('PairValue', 2) }),
  TensorSpecProto: message({ name: f('string', 1), shape: f('TensorShapeProto', 2), dtype: f('DataType', 3) }),
  BoundedTensorSpecProto: message({
    name: f('string', 1),
    shape: f('TensorShapeProto', 2),
    dtype: f('DataType', 3),
    minimum: f('TensorProto', 4),
    maximum: f('TensorProto', 5),
  }),
  TypeSpecProto: message(
    { typeSpecClass: f('TypeSpecClass', 1), typeState: f('StructuredValue', 2), typeSpecClassName: f('string', 3) },
    {
      TypeSpecClass: {
        values: {
          UNKNOWN: 0,
          SPARSE_TENSOR_SPEC: 1,
          INDEXED_SLICES_SPEC: 2,
          RAGGED_TENSOR_SPEC: 3,
          TENSOR_ARRAY_SPEC: 4,
          DATA_DATASET_SPEC: 5,
          DATA_ITERATOR_SPEC: 6,
          OPTIONAL_SPEC: 7,
          PER_REPLICA_SPEC: 8,
          VARIABLE_SPEC: 9,
          ROW_PARTITION_SPEC: 10,
          REGISTERED_TYPE_SPEC: 12,
          EXTENSION_TYPE_SPEC: 13,
        },
      },
    },
  ),
};

export const PROTOBUF_TYPES: NestedJson = { ...savedModel, ...objectGraph, ...struct };

/** google/protobuf/{any,wrappers}.proto, the two well-known types TensorFlow's messages embed. */
export const GOOGLE_PROTOBUF_TYPES: NestedJson = {
  Any: message({ typeUrl: f('string', 1), value: f('bytes', 2) }),
  BoolValue: message({ value: f('bool', 1) }),
};

/**
 * Partial views of SavedModel (package `ferry`, same field numbers): only what a signature read
 * needs. protobufjs skips the GraphDef, function library and object graph as opaque bytes
 * instead of building objects for every node.
 */
export const VIEW_TYPES: NestedJson = {
  SavedModelView: message({ savedModelSchemaVersion: f('int64', 1), metaGraphs: r('MetaGraphView', 2) }),
  MetaGraphView: message({
    metaInfoDef: f('MetaInfoView', 1),
    signatureDef: m('string', 'tensorflow.SignatureDef', 5),
  }),
  MetaInfoView: message({
    tags: r('string', 4),
    tensorflowVersion: f('string', 5),
    tensorflowGitVersion: f('string', 6),
  }),
};
