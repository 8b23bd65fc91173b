/**
 * protobufjs JSON descriptors for `tensorflow/core/framework/*.proto` (graph, node_def, attr_value,
 * tensor, tensor_shape, types, function, op_def, versions, resource_handle, full_type, variable). Field names
 * are camelCase (what protobufjs' own .proto parser produces), numbers are TensorFlow's.
 * Written as JSON rather than .proto text: `Root.fromJSON` skips the text parser at cold start.
 * Source: https://github.com/tensorflow/tensorflow/tree/master/tensorflow/core/framework
 */
import { type NestedJson, DATA_TYPES, field as f, map as m, message, repeated as r } from './tf-proto-json';

const framework = {
  DataType: { values: DATA_TYPES },
  TensorShapeProto: message(
    { dim: r('Dim', 2), unknownRank: f('bool', 3) },
    { Dim: message({ size: f('int64', 1), name: f('string', 2) }) },
  ),
  ResourceHandleProto: message(
    {
      device: f('string', 1),
      container: f('string', 2),
      name: f('string', 3),
      hashCode: f('uint64', 4),
      maybeTypeName: f('string', 5),
      dtypesAndShapes: r('DtypeAndShape', 6),
    },
    { DtypeAndShape: message({ dtype: f('DataType', 1), shape: f('TensorShapeProto', 2) }) },
  ),
  TensorProto: message({
    dtype: f('DataType', 1),
    tensorShape: f('TensorShapeProto', 2),
    versionNumber: f('int32', 3),
    tensorContent: f('bytes', 4),
    halfVal: r('int32', 13),
    floatVal: r('float', 5),
    doubleVal: r('double', 6),
    intVal: r('int32', 7),
    stringVal: r('bytes', 8),
    scomplexVal: r('float', 9),
    int64Val: r('int64', 10),
    boolVal: r('bool', 11),
    dcomplexVal: r('double', 12),
    resourceHandleVal: r('ResourceHandleProto', 14),
    variantVal: r('VariantTensorDataProto', 15),
    uint32Val: r('uint32', 16),
    uint64Val: r('uint64', 17),
    float8Val: f('bytes', 18),
  }),
  VariantTensorDataProto: message({
    typeName: f('string', 1),
    metadata: f('bytes', 2),
    tensors: r('TensorProto', 3),
  }),
  AttrValue: message(
    {
      list: f('ListValue', 1),
      s: f('bytes', 2),
      i: f('int64', 3),
      f: f('float', 4),
      b: f('bool', 5),
      type: f('DataType', 6),
      shape: f('TensorShapeProto', 7),
      tensor: f('TensorProto', 8),
      placeholder: f('string', 9),
      func: f('NameAttrList', 10),
    },
    {
      ListValue: message({
        s: r('bytes', 2),
        i: r('int64', 3),
        f: r('float', 4),
        b: r('bool', 5),
        type: r('DataType', 6),
        shape: r('TensorShapeProto', 7),
        tensor: r('TensorProto', 8),
        func: r('NameAttrList', 9),
      }),
    },
    { value: ['list', 's', 'i', 'f', 'b', 'type', 'shape', 'tensor', 'placeholder', 'func'] },
  ),
  NameAttrList: message({ name: f('string', 1), attr: m('string', 'AttrValue', 2) }),
  // FullTypeDef.type_id is the FullTypeId enum; kept numeric (same varint on the wire), nobody reads it.
  FullTypeDef: message(
    { typeId: f('int32', 1), args: r('FullTypeDef', 2), s: f('string', 3), i: f('int64', 4) },
    undefined,
    { attr: ['s', 'i'] },
  ),
  NodeDef: message(
    {
      name: f('string', 1),
      op: f('string', 2),
      input: r('string', 3),
      device: f('string', 4),
      attr: m('string', 'AttrValue', 5),
      experimentalDebugInfo: f('ExperimentalDebugInfo', 6),
      experimentalType: f('FullTypeDef', 7),
    },
    {
      ExperimentalDebugInfo: message({ originalNodeNames: r('string', 1), originalFuncNames: r('string', 2) }),
    },
  ),
  // variable.proto: TF1 `variables` / `trainable_variables` collections hold these, serialized.
  VariableDef: message({
    variableName: f('string', 1),
    initialValueName: f('string', 6),
    initializerName: f('string', 2),
    snapshotName: f('string', 3),
    saveSliceInfoDef: f('SaveSliceInfoDef', 4),
    isResource: f('bool', 5),
    trainable: f('bool', 7),
    synchronization: f('VariableSynchronization', 8),
    aggregation: f('VariableAggregation', 9),
  }),
  SaveSliceInfoDef: message({
    fullName: f('string', 1),
    fullShape: r('int64', 2),
    varOffset: r('int64', 3),
    varShape: r('int64', 4),
  }),
  VersionDef: message({ producer: f('int32', 1), minConsumer: f('int32', 2), badConsumers: r('int32', 3) }),
  // GraphDef.debug_info (5) is left out: stack traces, unused; unknown fields are skipped on decode.
  GraphDef: message({
    node: r('NodeDef', 1),
    versions: f('VersionDef', 4),
    version: f('int32', 3),
    library: f('FunctionDefLibrary', 2),
  }),
  OpDef: message(
    {
      name: f('string', 1),
      inputArg: r('ArgDef', 2),
      outputArg: r('ArgDef', 3),
      controlOutput: r('string', 20),
      attr: r('AttrDef', 4),
      deprecation: f('OpDeprecation', 8),
      summary: f('string', 5),
      description: f('string', 6),
      isCommutative: f('bool', 18),
      isAggregate: f('bool', 16),
      isStateful: f('bool', 17),
      allowsUninitializedInput: f('bool', 19),
      isDistributedCommunication: f('bool', 21),
    },
    {
      ArgDef: message({
        name: f('string', 1),
        description: f('string', 2),
        type: f('DataType', 3),
        typeAttr: f('string', 4),
        numberAttr: f('string', 5),
        typeListAttr: f('string', 6),
        handleData: r('ResourceHandleProto.DtypeAndShape', 7),
        isRef: f('bool', 16),
        experimentalFullType: f('FullTypeDef', 17),
      }),
      AttrDef: message({
        name: f('string', 1),
        type: f('string', 2),
        defaultValue: f('AttrValue', 3),
        description: f('string', 4),
        hasMinimum: f('bool', 5),
        minimum: f('int64', 6),
        allowedValues: f('AttrValue', 7),
      }),
    },
  ),
  OpDeprecation: message({ version: f('int32', 1), explanation: f('string', 2) }),
  OpList: message({ op: r('OpDef', 1) }),
  FunctionDefLibrary: message({
    function: r('FunctionDef', 1),
    gradient: r('GradientDef', 2),
    registeredGradients: r('RegisteredGradient', 3),
  }),
  GradientDef: message({ functionName: f('string', 1), gradientFunc: f('string', 2) }),
  RegisteredGradient: message({ gradientFunc: f('string', 1), registeredOpType: f('string', 2) }),
  FunctionDef: message(
    {
      signature: f('OpDef', 1),
      attr: m('string', 'AttrValue', 5),
      argAttr: m('uint32', 'ArgAttrs', 7),
      resourceArgUniqueId: m('uint32', 'uint32', 8),
      nodeDef: r('NodeDef', 3),
      ret: m('string', 'string', 4),
      controlRet: m('string', 'string', 6),
    },
    { ArgAttrs: message({ attr: m('string', 'AttrValue', 1) }) },
  ),
};

export const FRAMEWORK_TYPES: NestedJson = framework;
