import { readFileSync, readdirSync } from 'node:fs';
import * as protobuf from 'protobufjs';
import { writeCheckpoint } from '../../functions/artifacts/checkpoint/write-checkpoint';
import { readSavedModel } from '../../functions/artifacts/savedmodel/read-saved-model';
import { decodeSavedModel, tfType } from '../../functions/artifacts/savedmodel/tf-proto';
import { FRAMEWORK_TYPES } from '../../functions/artifacts/savedmodel/tf-proto-framework';
import { GOOGLE_PROTOBUF_TYPES, PROTOBUF_TYPES } from '../../functions/artifacts/savedmodel/tf-proto-protobuf';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel/write-example-saved-model';
import { fixture } from '../helpers/fixtures';
import { printTextFormat } from '../unit/functions/artifacts/savedmodel/text-format-printer';
import { Bench, BenchRow, medianMs } from './harness';

const SHARDS = 1000;
const EXTRA = { count: 1998, elements: 16 };

/** What a runtime pays: the whole SavedModel (graph, functions, object graph) as plain objects. */
function fullDecode(bytes: Uint8Array): unknown {
  return decodeSavedModel(bytes);
}

async function fixtureRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const name of readdirSync(fixture('savedmodel')).sort()) {
    const bytes = new Uint8Array(readFileSync(fixture(`savedmodel/${name}/saved_model.pb`)));
    const ms = await medianMs(() => readSavedModel(bytes), 50);
    const full = await medianMs(() => fullDecode(bytes), 50);
    rows.push({
      name: `readSavedModel ${name}`,
      value: ms * 1000,
      unit: 'µs',
      baseline: { name: 'decodeSavedModel (whole message)', value: full * 1000 },
      detail: `${bytes.length} B`,
    });
  }
  return rows;
}

/** Building the schema and its generated decoder from scratch, as a cold start does once. */
function coldSchema(bytes: Uint8Array): void {
  const root = protobuf.Root.fromJSON({
    nested: {
      tensorflow: { nested: { ...FRAMEWORK_TYPES, ...PROTOBUF_TYPES } },
      google: { nested: { protobuf: { nested: GOOGLE_PROTOBUF_TYPES } } },
    },
  });
  root.lookupType('tensorflow.SavedModel').decode(bytes);
}

export const bench: Bench = {
  id: 'savedmodel-reader',
  title: 'SavedModel protobuf: reading saved_model.pb and writing the example model',
  async run() {
    const rows = await fixtureRows();
    let files: Record<string, Uint8Array> = {};
    const writeMs = await medianMs(
      () => (files = writeExampleSavedModel({ a: 0.5, b: 2, numShards: SHARDS, extraVariables: EXTRA })),
      3,
    );
    const tensors = Array.from({ length: EXTRA.count + 2 }, (_, i) => ({
      key: `v${i}`,
      dtype: 'DT_FLOAT',
      shape: [EXTRA.elements],
      data: new Uint8Array(EXTRA.elements * 4),
      shard: i % SHARDS,
    }));
    const checkpointMs = await medianMs(() => writeCheckpoint(tensors, { numShards: SHARDS }), 3);
    const pb = files['saved_model.pb'];
    const detail = `${EXTRA.count + 2} variables, ${SHARDS} shards, saved_model.pb ${(pb.length / 2 ** 20).toFixed(2)} MiB`;
    rows.push({
      name: `writeExampleSavedModel (${SHARDS} shards)`,
      value: writeMs,
      unit: 'ms',
      baseline: { name: 'writeCheckpoint alone, same tensors', value: checkpointMs },
      detail,
    });
    rows.push({
      name: `readSavedModel of that ${SHARDS}-shard graph`,
      value: (await medianMs(() => readSavedModel(pb), 5)) * 1000,
      unit: 'µs',
      baseline: { name: 'decodeSavedModel (whole message)', value: (await medianMs(() => fullDecode(pb), 5)) * 1000 },
      detail,
    });
    const mid = writeExampleSavedModel({ a: 0.5, b: 2, numShards: 10, extraVariables: { count: 98, elements: 4 } })[
      'saved_model.pb'
    ];
    const text = new TextEncoder().encode(
      printTextFormat(tfType('SavedModel'), decodeSavedModel(mid) as unknown as Record<string, unknown>),
    );
    rows.push({
      name: 'readSavedModel of saved_model.pbtxt (text format)',
      value: (await medianMs(() => readSavedModel(text), 10)) * 1000,
      unit: 'µs',
      baseline: {
        name: 'same model, binary saved_model.pb',
        value: (await medianMs(() => readSavedModel(mid), 10)) * 1000,
      },
      detail: `100 variables, 10 shards: ${text.length} B text vs ${mid.length} B binary`,
    });
    const small = writeExampleSavedModel({ a: 0.5, b: 2 })['saved_model.pb'];
    rows.push({
      name: 'cold schema: Root.fromJSON + first decode',
      value: (await medianMs(() => coldSchema(small), 10)) * 1000,
      unit: 'µs',
      baseline: {
        name: 'warm readSavedModel of the same file',
        value: (await medianMs(() => readSavedModel(small), 10)) * 1000,
      },
      detail: `${small.length} B example saved_model.pb`,
    });
    return rows;
  },
};
