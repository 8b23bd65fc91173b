import { readFileSync, readdirSync } from 'node:fs';
import { crc32c } from '../../functions/artifacts/checkpoint/crc32c';
import { readCheckpointIndex } from '../../functions/artifacts/checkpoint/read-checkpoint-index';
import { verifyCheckpoint } from '../../functions/artifacts/checkpoint/verify-checkpoint';
import {
  TensorToWrite,
  writeCheckpoint,
  WrittenCheckpoint,
} from '../../functions/artifacts/checkpoint/write-checkpoint';
import { fixture } from '../helpers/fixtures';
import { Bench, BenchRow, medianMs } from './harness';

const SHARDS = 1000;
const TENSORS = 3000;

function readAndVerify(index: Uint8Array, shards: Uint8Array[]): void {
  const parsed = readCheckpointIndex(index);
  const result = verifyCheckpoint(parsed, new Map(shards.map((bytes, i) => [i, bytes])));
  if (!result.verified) throw new Error(result.problems[0].message);
}

function tensors(): TensorToWrite[] {
  return Array.from({ length: TENSORS }, (_, i) => ({
    key: `model/layer_with_weights-${i}/kernel/.ATTRIBUTES/VARIABLE_VALUE`,
    dtype: 'DT_FLOAT',
    shape: [16, 16],
    data: new Uint8Array(new Float32Array(256).map((_, j) => Math.sin(i + j)).buffer),
  }));
}

async function fixtureRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of readdirSync(fixture('savedmodel'))) {
    const dir = fixture(`savedmodel/${name}/variables`);
    const index = new Uint8Array(readFileSync(`${dir}/variables.index`));
    const shard = new Uint8Array(readFileSync(`${dir}/variables.data-00000-of-00001`));
    const ms = await medianMs(() => readAndVerify(index, [shard]), 200);
    const floor = await medianMs(() => crc32c(shard) + crc32c(index), 200);
    rows.push({
      name: `read+verify ${name}`,
      value: ms * 1000,
      unit: 'µs',
      baseline: { name: 'crc32c of both files only', value: floor * 1000 },
      detail: `${index.length} B index, ${shard.length} B shard`,
    });
  }
  return rows;
}

export const bench: Bench = {
  id: 'checkpoint',
  title: 'TensorFlow checkpoint (tensor bundle) reading, verifying and writing',
  async run() {
    const rows = await fixtureRows();
    const input = tensors();
    const dataBytes = input.reduce((n, t) => n + t.data.length, 0);
    let snappy: WrittenCheckpoint | undefined;
    let none: WrittenCheckpoint | undefined;
    const writeSnappy = await medianMs(
      () => (snappy = writeCheckpoint(input, { numShards: SHARDS, compression: 'snappy' })),
    );
    const writeNone = await medianMs(() => (none = writeCheckpoint(input, { numShards: SHARDS, compression: 'none' })));
    if (!snappy || !none) throw new Error('writer produced nothing');
    const detail = `${TENSORS} tensors, ${SHARDS} shards, ${(dataBytes / 2 ** 20).toFixed(1)} MiB data`;
    rows.push({
      name: `write ${SHARDS}-shard checkpoint, snappy index`,
      value: writeSnappy,
      unit: 'ms',
      baseline: { name: 'uncompressed index', value: writeNone },
      detail: `${detail}; index ${snappy.index.length} B vs ${none.index.length} B`,
    });
    const { index: si, shards: ss } = snappy;
    const { index: ni, shards: ns } = none;
    rows.push({
      name: `read+verify ${SHARDS}-shard checkpoint, snappy index`,
      value: await medianMs(() => readAndVerify(si, ss)),
      unit: 'ms',
      baseline: { name: 'uncompressed index', value: await medianMs(() => readAndVerify(ni, ns)) },
      detail,
    });
    rows.push({
      name: `read index only (${TENSORS} entries), snappy`,
      value: await medianMs(() => readCheckpointIndex(si), 20),
      unit: 'ms',
      baseline: { name: 'uncompressed', value: await medianMs(() => readCheckpointIndex(ni), 20) },
    });
    const big = new Uint8Array(8 * 2 ** 20).map((_, i) => i * 31);
    const crcMs = await medianMs(() => crc32c(big));
    const sumMs = await medianMs(() => big.reduce((s, b) => (s + b) | 0, 0));
    rows.push({
      name: 'crc32c throughput',
      value: 8 / (crcMs / 1000),
      unit: 'MiB/s',
      baseline: { name: 'plain JS byte-sum loop', value: 8 / (sumMs / 1000) },
    });
    return rows;
  },
};
