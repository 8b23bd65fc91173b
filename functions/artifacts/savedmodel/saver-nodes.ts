/**
 * The `save/` subgraph and SaverDef that TF1's sharded V2 `tf.compat.v1.train.Saver` adds (one
 * ShardedFilename/SaveV2/RestoreV2 group per shard, merged by MergeV2Checkpoints), so loaders that
 * run `restore_op_name` with the variables prefix find every variable.
 * Source: https://github.com/tensorflow/tensorflow/blob/master/tensorflow/python/training/saver.py
 * (`BaseSaverBuilder._AddShardedSaveOps`, `_AddShardedRestoreOps`).
 */
import { attr, constNode, indexed, node, tensor } from './graph-nodes';
import type { NodeDef, SaverDef } from './tf-proto';

export interface SaverGraph {
  nodes: NodeDef[];
  saverDef: SaverDef;
}

/** `shards[i]` lists the variable names saved to data shard i (sorted, as the Saver sorts them). */
export function saverNodes(shards: string[][], tempSuffix: string): SaverGraph {
  const n = shards.length;
  const nodes: NodeDef[] = [
    constNode('save/filename/input', tensor('DT_STRING', [], ['model'])),
    node('save/filename', 'PlaceholderWithDefault', ['save/filename/input'], {
      dtype: attr.type('DT_STRING'),
      shape: attr.shape([]),
    }),
    node('save/Const', 'PlaceholderWithDefault', ['save/filename'], {
      dtype: attr.type('DT_STRING'),
      shape: attr.shape([]),
    }),
    constNode('save/StringJoin/inputs_1', tensor('DT_STRING', [], [`_temp_${tempSuffix}/part`])),
    node('save/StringJoin', 'StringJoin', ['save/Const', 'save/StringJoin/inputs_1'], {
      N: attr.i(2),
      separator: attr.s(''),
    }),
    constNode('save/num_shards', tensor('DT_INT32', [], [n])),
  ];
  const filenames: string[] = [];
  const controls: string[] = [];
  shards.forEach((names, i) => {
    const filename = indexed('save/ShardedFilename', i);
    const save = indexed('save/SaveV2', i);
    const control = indexed('save/control_dependency', i);
    nodes.push(
      constNode(`${filename}/shard`, tensor('DT_INT32', [], [i])),
      node(filename, 'ShardedFilename', ['save/StringJoin', `${filename}/shard`, 'save/num_shards']),
      constNode(`${save}/tensor_names`, tensor('DT_STRING', [names.length], names)),
      constNode(
        `${save}/shape_and_slices`,
        tensor(
          'DT_STRING',
          [names.length],
          names.map(() => ''),
        ),
      ),
      node(save, 'SaveV2', [filename, `${save}/tensor_names`, `${save}/shape_and_slices`, ...names], {
        dtypes: attr.types(names.map(() => 'DT_FLOAT')),
      }),
      node(control, 'Identity', [filename, `^${save}`], { T: attr.type('DT_STRING'), _class: attr.colocate(filename) }),
    );
    filenames.push(filename);
    controls.push(`^${control}`);
  });
  nodes.push(
    node('save/MergeV2Checkpoints/checkpoint_prefixes', 'Pack', [...filenames, ...controls], {
      N: attr.i(n),
      T: attr.type('DT_STRING'),
      axis: attr.i(0),
    }),
    node(
      'save/MergeV2Checkpoints',
      'MergeV2Checkpoints',
      ['save/MergeV2Checkpoints/checkpoint_prefixes', 'save/Const'],
      {
        delete_old_dirs: attr.b(true),
      },
    ),
    node('save/Identity', 'Identity', ['save/Const', '^save/MergeV2Checkpoints', ...controls], {
      T: attr.type('DT_STRING'),
    }),
  );
  nodes.push(...restoreNodes(shards));
  return {
    nodes,
    saverDef: {
      filenameTensorName: 'save/Const:0',
      saveTensorName: 'save/Identity:0',
      restoreOpName: 'save/restore_all',
      maxToKeep: 5,
      sharded: true,
      keepCheckpointEveryNHours: 10000,
      version: 'V2',
    },
  };
}

function restoreNodes(shards: string[][]): NodeDef[] {
  const nodes: NodeDef[] = [];
  const restoreShards: string[] = [];
  let assigns = 0;
  shards.forEach((names, i) => {
    const restore = indexed('save/RestoreV2', i);
    nodes.push(
      constNode(`${restore}/tensor_names`, tensor('DT_STRING', [names.length], names)),
      constNode(
        `${restore}/shape_and_slices`,
        tensor(
          'DT_STRING',
          [names.length],
          names.map(() => ''),
        ),
      ),
      node(restore, 'RestoreV2', ['save/Const', `${restore}/tensor_names`, `${restore}/shape_and_slices`], {
        dtypes: attr.types(names.map(() => 'DT_FLOAT')),
      }),
    );
    const shardAssigns = names.map((name, k) => {
      const assign = indexed('save/Assign', assigns);
      assigns += 1;
      nodes.push(
        node(assign, 'Assign', [name, k === 0 ? restore : `${restore}:${k}`], {
          T: attr.type('DT_FLOAT'),
          validate_shape: attr.b(true),
          use_locking: attr.b(true),
          _class: attr.colocate(name),
        }),
      );
      return `^${assign}`;
    });
    const restoreShard = indexed('save/restore_shard', i);
    nodes.push(node(restoreShard, 'NoOp', shardAssigns));
    restoreShards.push(`^${restoreShard}`);
  });
  nodes.push(node('save/restore_all', 'NoOp', restoreShards));
  return nodes;
}
