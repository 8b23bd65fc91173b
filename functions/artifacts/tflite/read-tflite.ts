import { builtinOperatorName, CUSTOM_CODE } from './builtin-operators';
import { CheckedReader, type CheckedTable, type CheckedVector } from './checked-reader';
import type { OperatorInfo, SignatureInfo, SubgraphInfo, TensorInfo, TfliteInfo } from './tflite-info';
import { TfliteError } from './tflite-error';
import * as S from './tflite-schema';

export type { OperatorInfo, SignatureInfo, SubgraphInfo, TensorInfo, TfliteInfo } from './tflite-info';

/**
 * Reads what ferry needs to know about a `.tflite` file (inputs, outputs, ops, signatures,
 * metadata) without running it, so a bad or unrunnable model is rejected with a reason before
 * any runtime sees it. Every offset is checked; hostile files give `TfliteError`, never a crash.
 * Schema: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/compiler/mlir/lite/schema/schema.fbs
 */
export function readTflite(bytes: Uint8Array, file = 'model.tflite'): TfliteInfo {
  if (!(bytes instanceof Uint8Array))
    throw new TfliteError(
      file,
      `expected the file's bytes (Uint8Array), got ${bytes === null ? 'null' : typeof bytes}`,
      'pass the file contents, not its path or text',
    );
  if (bytes.byteLength === 0)
    throw new TfliteError(file, 'the file is empty', 'upload the .tflite file again (the upload may have failed)');
  if (bytes.byteLength < 8)
    throw new TfliteError(
      file,
      `only ${bytes.byteLength} bytes; a TFLite file has at least a root offset and the TFL3 identifier`,
      'upload the complete .tflite file',
    );
  const identifier = new TextDecoder('latin1').decode(bytes.subarray(4, 8));
  if (identifier !== S.FILE_IDENTIFIER) {
    throw new TfliteError(
      file,
      `file identifier is ${JSON.stringify(identifier)}, not "TFL3": this is not a TFLite model`,
      'convert the model with tf.lite.TFLiteConverter (a SavedModel goes under models/, not mobile/)',
    );
  }
  const r: CheckedReader = new CheckedReader(bytes, file);
  const model = r.tableAt(0, 'model');
  const buffers = r.vector(model, S.Model.buffers, 4, 'buffers');
  const subgraphsVector = r.vector(model, S.Model.subgraphs, 4, 'subgraphs');
  if (!subgraphsVector || subgraphsVector.length === 0) r.fail('subgraphs', 'the model has no subgraphs');

  const tensorsBySubgraph: CheckedVector[] = [];
  const subgraphs: SubgraphInfo[] = [];
  for (let i = 0; i < subgraphsVector.length; i += 1) {
    const subgraph = r.tableIn(subgraphsVector, i);
    const tensors = r.vector(subgraph, S.SubGraph.tensors, 4, `${subgraph.path}.tensors`) ?? {
      start: 0,
      length: 0,
      path: `${subgraph.path}.tensors`,
    };
    tensorsBySubgraph.push(tensors);
    const tensorList = (id: number, what: string): TensorInfo[] =>
      r
        .int32s(r.vector(subgraph, id, 4, `${subgraph.path}.${what}`))
        .map((index) => readTensor(r, tensors, index, `${subgraph.path}.${what}`));
    subgraphs.push({
      name: r.string(subgraph, S.SubGraph.name, `${subgraph.path}.name`) ?? '',
      inputs: tensorList(S.SubGraph.inputs, 'inputs'),
      outputs: tensorList(S.SubGraph.outputs, 'outputs'),
      operatorCount: r.vector(subgraph, S.SubGraph.operators, 4, `${subgraph.path}.operators`)?.length ?? 0,
    });
  }

  const operators = readOperatorCodes(r, model);
  return {
    identifier: 'TFL3',
    schemaVersion: r.uint32(model, S.Model.version, 0),
    description: r.string(model, S.Model.description, 'description') ?? '',
    sizeBytes: bytes.byteLength,
    subgraphs,
    inputs: subgraphs[0].inputs,
    outputs: subgraphs[0].outputs,
    operators,
    customOperators: [...new Set(operators.filter((op) => op.custom).map((op) => op.name))],
    signatures: readSignatures(r, model, tensorsBySubgraph),
    metadata: readMetadata(r, model, buffers),
    buffers: { count: buffers?.length ?? 0, totalBytes: buffers ? bufferBytes(r, buffers) : 0 },
  };
}

function readTensor(r: CheckedReader, tensors: CheckedVector, index: number, where: string): TensorInfo {
  if (index < 0 || index >= tensors.length)
    r.fail(where, `tensor index ${index} is not among the subgraph's ${tensors.length} tensors`);
  const t = r.tableIn(tensors, index);
  const shapeSignature = r.vector(t, S.Tensor.shapeSignature, 4, `${t.path}.shape_signature`);
  return {
    name: r.string(t, S.Tensor.name, `${t.path}.name`) ?? '',
    dtype: S.tensorTypeName(r.int8(t, S.Tensor.type, 0)),
    shape: r.int32s(r.vector(t, S.Tensor.shape, 4, `${t.path}.shape`)),
    shapeSignature: shapeSignature ? r.int32s(shapeSignature) : null,
    quantization: readQuantization(r, r.table(t, S.Tensor.quantization, `${t.path}.quantization`)),
  };
}

function readQuantization(r: CheckedReader, q: CheckedTable | null): TensorInfo['quantization'] {
  if (!q) return null;
  const scale = r.float32s(r.vector(q, S.QuantizationParameters.scale, 4, `${q.path}.scale`));
  const zeroPoint = r.int64s(r.vector(q, S.QuantizationParameters.zeroPoint, 8, `${q.path}.zero_point`));
  if (scale.length === 0 && zeroPoint.length === 0) return null;
  return { scale, zeroPoint, quantizedDimension: r.int32(q, S.QuantizationParameters.quantizedDimension, 0) };
}

function readOperatorCodes(r: CheckedReader, model: CheckedTable): OperatorInfo[] {
  const codes = r.vector(model, S.Model.operatorCodes, 4, 'operator_codes');
  const out: OperatorInfo[] = [];
  for (let i = 0; codes && i < codes.length; i += 1) {
    const code = r.tableIn(codes, i);
    const builtinCode = Math.max(
      r.int8(code, S.OperatorCode.deprecatedBuiltinCode, 0),
      r.int32(code, S.OperatorCode.builtinCode, 0),
    );
    const custom = builtinCode === CUSTOM_CODE;
    const customName = r.string(code, S.OperatorCode.customCode, `${code.path}.custom_code`);
    out.push({
      name: custom ? customName || 'CUSTOM' : builtinOperatorName(builtinCode),
      builtinCode,
      version: r.int32(code, S.OperatorCode.version, 1),
      custom,
    });
  }
  return out;
}

function readSignatures(r: CheckedReader, model: CheckedTable, tensorsBySubgraph: CheckedVector[]): SignatureInfo[] {
  const defs = r.vector(model, S.Model.signatureDefs, 4, 'signature_defs');
  const out: SignatureInfo[] = [];
  for (let i = 0; defs && i < defs.length; i += 1) {
    const def = r.tableIn(defs, i);
    const subgraphIndex = r.uint32(def, S.SignatureDef.subgraphIndex, 0);
    const tensors = tensorsBySubgraph[subgraphIndex];
    if (!tensors)
      r.fail(
        `${def.path}.subgraph_index`,
        `subgraph ${subgraphIndex} does not exist (the model has ${tensorsBySubgraph.length})`,
      );
    const names = (id: number, what: string): Record<string, string> => {
      const maps = r.vector(def, id, 4, `${def.path}.${what}`);
      const result: Record<string, string> = {};
      for (let j = 0; maps && j < maps.length; j += 1) {
        const map = r.tableIn(maps, j);
        const alias = r.string(map, S.TensorMap.name, `${map.path}.name`) ?? '';
        const index = r.uint32(map, S.TensorMap.tensorIndex, 0);
        result[alias] = readTensor(r, tensors, index, `${map.path}.tensor_index`).name;
      }
      return result;
    };
    out.push({
      key: r.string(def, S.SignatureDef.signatureKey, `${def.path}.signature_key`) ?? '',
      subgraphIndex,
      inputs: names(S.SignatureDef.inputs, 'inputs'),
      outputs: names(S.SignatureDef.outputs, 'outputs'),
    });
  }
  return out;
}

/** Bytes held by one buffer: inline data, or (files over 2 GB) an offset/size range after the FlatBuffer. */
function bufferSize(r: CheckedReader, buffer: CheckedTable): { inline: CheckedVector | null; size: number } {
  const inline = r.vector(buffer, S.Buffer.data, 1, `${buffer.path}.data`);
  const offset = r.uint64(buffer, S.Buffer.offset, `${buffer.path}.offset`);
  if (offset <= 1) return { inline, size: inline?.length ?? 0 };
  const size = r.uint64(buffer, S.Buffer.size, `${buffer.path}.size`);
  if (offset + size > r.size)
    r.fail(
      buffer.path,
      `data at bytes ${offset}..${offset + size} lies past the end of the file (${r.size} bytes; truncated?)`,
    );
  return { inline: null, size };
}

function bufferBytes(r: CheckedReader, buffers: CheckedVector): number {
  let total = 0;
  for (let i = 0; i < buffers.length; i += 1) total += bufferSize(r, r.tableIn(buffers, i)).size;
  return total;
}

const MAX_TEXT_METADATA = 4096;

function readMetadata(r: CheckedReader, model: CheckedTable, buffers: CheckedVector | null): TfliteInfo['metadata'] {
  const entries = r.vector(model, S.Model.metadata, 4, 'metadata');
  const out: TfliteInfo['metadata'] = {};
  for (let i = 0; entries && i < entries.length; i += 1) {
    const entry = r.tableIn(entries, i);
    const name = r.string(entry, S.Metadata.name, `${entry.path}.name`) ?? '';
    const index = r.uint32(entry, S.Metadata.buffer, 0);
    if (!buffers || index >= buffers.length)
      r.fail(`${entry.path}.buffer`, `buffer ${index} does not exist (the model has ${buffers?.length ?? 0})`);
    const { inline, size } = bufferSize(r, r.tableIn(buffers, index));
    out[name] = inline ? textOrSize(r.bytes(inline)) : { bytes: size };
  }
  return out;
}

/**
 * NUL-padded printable text (as the converter writes `min_runtime_version`) decodes; all NULs (the
 * converter's "unknown", e.g. with custom ops) is `''`; anything else is binary.
 */
function textOrSize(data: Uint8Array): string | { bytes: number } {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end -= 1;
  const text = data.subarray(0, end);
  if (end === 0 && data.length > 0) return '';
  if (end === 0 || end > MAX_TEXT_METADATA || !text.every((b) => b >= 0x20 && b < 0x7f)) return { bytes: data.length };
  return new TextDecoder('latin1').decode(text);
}
