import * as tf from '@tensorflow/tfjs-core';
import { InstancesError } from '../errors';
import type { FrozenGraphModel } from './tfjs-graph';
import { stackInstances, type InputSpec, type OutputValue, type ParsedInstance } from '../instances';

/** A signature tensor as the runner shows it: dtype and full shape plus its graph tensor name. */
export interface TensorSpec extends InputSpec {
  tensorName: string;
}

const INT_RANGE: [number, number] = [-2147483648, 2147483647];

function tfjsDtype(spec: InputSpec): 'float32' | 'int32' | 'bool' | 'string' {
  if (spec.dtype === 'bool' || spec.dtype === 'string') return spec.dtype;
  return spec.dtype.startsWith('float') ? 'float32' : 'int32';
}

/** tfjs computes int64/uint32 as int32: refuse values it would wrap, naming the instance. */
function checkIntRange(batch: ParsedInstance[], key: string, offset: number): void {
  batch.forEach((instance, i) => {
    const bad = instance[key].values.find((v) => typeof v === 'number' && (v < INT_RANGE[0] || v > INT_RANGE[1]));
    if (bad !== undefined) {
      throw new InstancesError(
        `instances[${offset + i}].${key}: ${bad} is outside the int32 range TensorFlow.js computes ${instance[key].dtype} in`,
      );
    }
  });
}

/**
 * Runs one batch (instances stacked along a new leading dim) and splits every output back into
 * rows. `offset` is the batch's first instance index, for error messages.
 */
export async function runBatch(
  { model, async }: FrozenGraphModel,
  inputs: Record<string, TensorSpec>,
  outputs: Record<string, TensorSpec>,
  batch: ParsedInstance[],
  offset: number,
): Promise<Array<Record<string, OutputValue>>> {
  const feeds: Record<string, tf.Tensor> = {};
  const keys = Object.keys(outputs);
  try {
    for (const [key, spec] of Object.entries(inputs)) {
      const dtype = tfjsDtype(spec);
      if (dtype === 'int32') checkIntRange(batch, key, offset);
      const { shape, values } = stackInstances(batch, key);
      feeds[spec.tensorName.split(':')[0]] = tf.tensor(values as number[], shape, dtype);
    }
    const names = keys.map((k) => outputs[k].tensorName);
    const result = async ? await model.executeAsync(feeds, names) : model.execute(feeds, names);
    const tensors = Array.isArray(result) ? result : [result];
    try {
      const rows: Array<Record<string, OutputValue>> = batch.map(() => ({}));
      for (let o = 0; o < keys.length; o += 1) {
        const tensor = tensors[o];
        if (tensor.shape[0] !== batch.length) {
          throw new Error(
            `output "${keys[o]}" has shape [${tensor.shape.join(',')}], not a leading batch dimension of ${batch.length}; the row format needs one`,
          );
        }
        const rowShape = tensor.shape.slice(1);
        const rowSize = rowShape.reduce((a, b) => a * b, 1);
        const data = (await tensor.data()) as Float32Array | Int32Array | Uint8Array | string[];
        const isBool = outputs[keys[o]].dtype === 'bool';
        batch.forEach((_, i) => {
          const slice = Array.isArray(data)
            ? data.slice(i * rowSize, (i + 1) * rowSize)
            : data.subarray(i * rowSize, (i + 1) * rowSize);
          rows[i][keys[o]] = {
            shape: rowShape,
            values: isBool ? Array.from(slice as Uint8Array, (v) => v === 1) : slice,
          };
        });
      }
      return rows;
    } finally {
      tf.dispose(tensors);
    }
  } finally {
    tf.dispose(Object.values(feeds));
  }
}
