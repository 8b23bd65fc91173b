import { Builder } from 'flatbuffers';
import { BuiltinOperator } from './builtin-operators';
import * as S from './tflite-schema';

export interface ExampleTfliteOptions {
  a: number;
  b: number;
  /** Add a `serving_default` SignatureDef (x → y), as TF 2.x converters do. */
  withSignature?: boolean;
  /** Fixed batch size: `x` and `y` are [batch, 1]. Default 1, as the TFLite converter emits. */
  batch?: number;
}

/** The runtime version the converter records for MUL/ADD v1 float models. */
export const EXAMPLE_MIN_RUNTIME_VERSION = '1.5.0';

/**
 * A real TFLite model computing `y = a*x + b` (input `x` float32 [batch,1], MUL then ADD, output `y`),
 * built with the FlatBuffers Builder. Tests and demos need a runnable `.tflite` on a fresh clone,
 * where TensorFlow's own fixtures are absent and TensorFlow is not installed.
 * Schema: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/compiler/mlir/lite/schema/schema.fbs
 */
export function writeExampleTflite({ a, b, withSignature = true, batch = 1 }: ExampleTfliteOptions): Uint8Array {
  if (!Number.isInteger(batch) || batch < 1 || batch > 65_536)
    throw new RangeError(`writeExampleTflite: batch must be an integer in 1..65536, got ${String(batch)}`);
  for (const [name, value] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new RangeError(`writeExampleTflite: ${name} must be a finite number, got ${String(value)}`);
  }
  const fb = new Builder(1024);
  const offsets = (items: number[]): number => {
    fb.startVector(4, items.length, 4);
    for (let i = items.length - 1; i >= 0; i -= 1) fb.addOffset(items[i]);
    return fb.endVector();
  };
  const int32s = (items: number[]): number => {
    fb.startVector(4, items.length, 4);
    for (let i = items.length - 1; i >= 0; i -= 1) fb.addInt32(items[i]);
    return fb.endVector();
  };
  const buffer = (data: Uint8Array | null): number => {
    let dataOffset = 0;
    if (data) {
      fb.startVector(1, data.length, 16); // schema: data:[ubyte] (force_align: 16)
      for (let i = data.length - 1; i >= 0; i -= 1) fb.addInt8(data[i]);
      dataOffset = fb.endVector();
    }
    fb.startObject(3);
    if (data) fb.addFieldOffset(S.Buffer.data, dataOffset, 0);
    return fb.endObject();
  };
  const tensor = (name: string, shape: number[], bufferIndex: number): number => {
    const nameOffset = fb.createString(name);
    const shapeOffset = int32s(shape);
    fb.startObject(9);
    fb.addFieldOffset(S.Tensor.shape, shapeOffset, 0);
    fb.addFieldInt8(S.Tensor.type, S.TensorTypeValue.float32, -1);
    fb.addFieldInt32(S.Tensor.buffer, bufferIndex, 0);
    fb.addFieldOffset(S.Tensor.name, nameOffset, 0);
    return fb.endObject();
  };
  const opcode = (code: number): number => {
    fb.startObject(4);
    fb.addFieldInt8(S.OperatorCode.deprecatedBuiltinCode, code, 0);
    fb.addFieldInt32(S.OperatorCode.version, 1, 0);
    fb.addFieldInt32(S.OperatorCode.builtinCode, code, 0);
    return fb.endObject();
  };
  const operator = (opcodeIndex: number, inputs: number[], outputs: number[], optionsType: number): number => {
    const inputsOffset = int32s(inputs);
    const outputsOffset = int32s(outputs);
    fb.startObject(1); // AddOptions / MulOptions: fused_activation_function NONE (the default)
    const options = fb.endObject();
    fb.startObject(6);
    fb.addFieldInt32(S.Operator.opcodeIndex, opcodeIndex, -1);
    fb.addFieldOffset(S.Operator.inputs, inputsOffset, 0);
    fb.addFieldOffset(S.Operator.outputs, outputsOffset, 0);
    fb.addFieldInt8(S.Operator.builtinOptionsType, optionsType, 0);
    fb.addFieldOffset(S.Operator.builtinOptions, options, 0);
    return fb.endObject();
  };
  const tensorMap = (name: string, index: number): number => {
    const nameOffset = fb.createString(name);
    fb.startObject(2);
    fb.addFieldOffset(S.TensorMap.name, nameOffset, 0);
    fb.addFieldInt32(S.TensorMap.tensorIndex, index, -1);
    return fb.endObject();
  };

  const X = 0,
    A = 1,
    B = 2,
    AX = 3,
    Y = 4;
  const float = (value: number) => new Uint8Array(new Float32Array([value]).buffer);
  const version = new Uint8Array(16);
  version.set(new TextEncoder().encode(EXAMPLE_MIN_RUNTIME_VERSION));
  // Buffer 0 must be empty: tensors without constant data point at it.
  const buffers = offsets([buffer(null), buffer(float(a)), buffer(float(b)), buffer(version)]);
  const tensors = offsets([
    tensor('x', [batch, 1], 0),
    tensor('a', [1], 1),
    tensor('b', [1], 2),
    tensor('ax', [batch, 1], 0),
    tensor('y', [batch, 1], 0),
  ]);
  const operators = offsets([
    operator(0, [X, A], [AX], S.BuiltinOptions.MulOptions),
    operator(1, [AX, B], [Y], S.BuiltinOptions.AddOptions),
  ]);
  const subgraphInputs = int32s([X]);
  const subgraphOutputs = int32s([Y]);
  const subgraphName = fb.createString('main');
  fb.startObject(5);
  fb.addFieldOffset(S.SubGraph.tensors, tensors, 0);
  fb.addFieldOffset(S.SubGraph.inputs, subgraphInputs, 0);
  fb.addFieldOffset(S.SubGraph.outputs, subgraphOutputs, 0);
  fb.addFieldOffset(S.SubGraph.operators, operators, 0);
  fb.addFieldOffset(S.SubGraph.name, subgraphName, 0);
  const subgraphs = offsets([fb.endObject()]);
  const operatorCodes = offsets([opcode(BuiltinOperator.MUL), opcode(BuiltinOperator.ADD)]);

  const metadataName = fb.createString('min_runtime_version');
  fb.startObject(2);
  fb.addFieldOffset(S.Metadata.name, metadataName, 0);
  fb.addFieldInt32(S.Metadata.buffer, 3, -1);
  const metadata = offsets([fb.endObject()]);

  let signatures = 0;
  if (withSignature) {
    const inputs = offsets([tensorMap('x', X)]);
    const outputs = offsets([tensorMap('y', Y)]);
    const key = fb.createString('serving_default');
    fb.startObject(5);
    fb.addFieldOffset(S.SignatureDef.inputs, inputs, 0);
    fb.addFieldOffset(S.SignatureDef.outputs, outputs, 0);
    fb.addFieldOffset(S.SignatureDef.signatureKey, key, 0);
    fb.addFieldInt32(S.SignatureDef.subgraphIndex, 0, -1);
    signatures = offsets([fb.endObject()]);
  }

  const description = fb.createString(`ferry example: y = ${a}*x + ${b}`);
  fb.startObject(8);
  fb.addFieldInt32(S.Model.version, S.SCHEMA_VERSION, 0);
  fb.addFieldOffset(S.Model.operatorCodes, operatorCodes, 0);
  fb.addFieldOffset(S.Model.subgraphs, subgraphs, 0);
  fb.addFieldOffset(S.Model.description, description, 0);
  fb.addFieldOffset(S.Model.buffers, buffers, 0);
  fb.addFieldOffset(S.Model.metadata, metadata, 0);
  if (withSignature) fb.addFieldOffset(S.Model.signatureDefs, signatures, 0);
  fb.finish(fb.endObject(), S.FILE_IDENTIFIER);
  return fb.asUint8Array().slice();
}
