import * as tf from '@tensorflow/tfjs-core';
import { checkpointFiles, writeCheckpoint } from '../../../../../functions/artifacts/checkpoint';
import { NotRunnableError } from '../../../../../functions/runtime/errors';
import { loadSavedModel } from '../../../../../functions/runtime/savedmodel/load-saved-model';
import { restoreVariables } from '../../../../../functions/runtime/savedmodel/restore-variables';
import { f32, filesOf, i64, savedModelFiles, tf2AffineSpec, trackingFiles } from './saved-model-builder';

/** Generated with the project's own writers (variables written by name and by object graph). */
describe('loadSavedModel on generated TF2 SavedModels (checkpoint restore)', () => {
  it.each([1, 2, 3, 5])('restores a=3, b=-1 from %i shard(s) and predicts 3x - 1', async (numShards) => {
    const runner = await loadSavedModel(filesOf(savedModelFiles(tf2AffineSpec(3, -1, numShards))));
    expect(await runner.predict([1, 2, 5, -0.5])).toEqual([2, 5, 14, -2.5]);
    runner.dispose();
  });

  it('reads only the shards that hold the variables it needs', async () => {
    const spec = tf2AffineSpec(3, -1, 4);
    spec.tensors = [
      { key: 'a/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([3]), shard: 0 },
      { key: 'b/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([-1]), shard: 0 },
      {
        key: 'unused/.ATTRIBUTES/VARIABLE_VALUE',
        dtype: 'DT_FLOAT',
        shape: [1000],
        data: f32(new Array(1000).fill(7)),
        shard: 2,
      },
    ];
    const { files, reads } = trackingFiles(savedModelFiles(spec));
    const runner = await loadSavedModel(files);
    expect(await runner.predict([2])).toEqual([5]);
    // The object graph lands in shard 3 (round-robin position 3 of 4).
    expect(reads.sort()).toEqual([
      'saved_model.pb',
      'variables/variables.data-00000-of-00004',
      'variables/variables.data-00003-of-00004',
      'variables/variables.index',
    ]);
    runner.dispose();
  });

  it('finds TF2 variables through the TrackableObjectGraph, not their op names', async () => {
    const spec = tf2AffineSpec(0, 0);
    spec.objects = {
      variables: ['layer/kernel/.ATTRIBUTES/VARIABLE_VALUE', 'layer/bias/.ATTRIBUTES/VARIABLE_VALUE'],
      boundInputs: { wrapper: [1, 2] },
    };
    spec.tensors = [
      { key: 'layer/kernel/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([2]) },
      { key: 'layer/bias/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_FLOAT', shape: [], data: f32([10]) },
    ];
    const runner = await loadSavedModel(filesOf(savedModelFiles(spec)));
    expect(await runner.predict([1, 2])).toEqual([12, 14]);
    runner.dispose();
  });

  it('holds no tensors beyond its weights between predictions, and none after dispose', async () => {
    const before = tf.memory().numTensors;
    const runner = await loadSavedModel(filesOf(savedModelFiles(tf2AffineSpec(3, -1))));
    const loaded = tf.memory().numTensors;
    await runner.predict([1, 2, 3]);
    await runner.predict(['bad']).catch(() => undefined);
    expect(tf.memory().numTensors).toBe(loaded);
    runner.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('needs no checkpoint when the signature reads no variable', async () => {
    expect(await restoreVariables(filesOf({}), [])).toEqual(new Map());
  });

  describe('broken checkpoints get clear errors', () => {
    const good = () => savedModelFiles(tf2AffineSpec(3, -1, 2));

    it.each([
      [
        'the index is missing',
        (f: Record<string, Uint8Array>) => {
          delete f['variables/variables.index'];
        },
        /variables\/variables\.index: file not found/,
      ],
      [
        'a shard is missing',
        (f: Record<string, Uint8Array>) => {
          delete f['variables/variables.data-00001-of-00002'];
        },
        /variables\.data-00001-of-00002: file not found/,
      ],
      [
        'the index is truncated',
        (f: Record<string, Uint8Array>) => {
          f['variables/variables.index'] = f['variables/variables.index'].subarray(0, 20);
        },
        /variables\.index/,
      ],
      [
        'the index is garbage',
        (f: Record<string, Uint8Array>) => {
          f['variables/variables.index'] = new Uint8Array(200).fill(0xab);
        },
        /variables\.index/,
      ],
      [
        'a shard is truncated',
        (f: Record<string, Uint8Array>) => {
          f['variables/variables.data-00000-of-00002'] = new Uint8Array(1);
        },
        /variables\.data-00000-of-00002.*truncated/,
      ],
      [
        'a shard is corrupt',
        (f: Record<string, Uint8Array>) => {
          const s = f['variables/variables.data-00000-of-00002'].slice();
          s[0] ^= 0xff;
          f['variables/variables.data-00000-of-00002'] = s;
        },
        /variables\.data-00000-of-00002: tensor "a\/\.ATTRIBUTES\/VARIABLE_VALUE" checksum mismatch/,
      ],
    ])('when %s', async (_, breakIt, message) => {
      const files = good();
      breakIt(files);
      await expect(loadSavedModel(filesOf(files))).rejects.toThrow(message);
    });

    it('when a variable has no entry, naming the keys it looked for', async () => {
      const spec = tf2AffineSpec(3, -1);
      spec.tensors = spec.tensors?.slice(0, 1);
      await expect(loadSavedModel(filesOf(savedModelFiles(spec)))).rejects.toThrow(
        /variable b has no checkpoint entry \(looked for "b\/\.ATTRIBUTES\/VARIABLE_VALUE", "b"\)/,
      );
    });

    it('when the checkpoint dtype differs from the graph', async () => {
      const spec = tf2AffineSpec(3, -1);
      spec.tensors = [
        spec.tensors![0],
        { key: 'b/.ATTRIBUTES/VARIABLE_VALUE', dtype: 'DT_INT64', shape: [], data: i64([1]) },
      ];
      await expect(loadSavedModel(filesOf(savedModelFiles(spec)))).rejects.toThrow(
        /variable b is DT_FLOAT in the graph but "b\/\.ATTRIBUTES\/VARIABLE_VALUE" is DT_INT64/,
      );
    });

    it('when an int64 variable does not fit the int32 TensorFlow.js computes in', async () => {
      const files = filesOf(
        checkpointFiles(writeCheckpoint([{ key: 'big', dtype: 'DT_INT64', shape: [2], data: i64([1, 2 ** 40]) }])),
      );
      const error = await restoreVariables(files, [{ node: 'big', dtype: 'DT_INT64', names: ['big'] }]).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotRunnableError);
      expect((error as Error).message).toMatch(/variable big \("big"\) holds 1099511627776, beyond the int32 range/);
    });
  });
});
