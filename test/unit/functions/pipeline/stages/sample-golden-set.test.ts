import { MAX_GOLDEN_BYTES } from '../../../../../functions/core/validation/golden-set';
import type { ObjectInfo, ObjectReader } from '../../../../../functions/pipeline/ports';
import { loadGoldenSet } from '../../../../../functions/pipeline/stages/sample-golden-set';
import { sampleRun } from '../../../../helpers/sample-run';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { chunksOf } from '../../../../../functions/artifacts/artifact-files';

const workflow = parseWorkflow(
  'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: golden/flowers.jsonl}\n',
  'flowers.yaml',
);

/** One object whose metadata size is chosen by the test; counts downloads. */
class OneObject implements ObjectReader {
  reads = 0;
  constructor(
    private readonly size: number,
    private readonly bytes = new TextEncoder().encode('{"instance": {"x": [1]}, "expected": [2.5]}\n'),
  ) {}
  async list(): Promise<ObjectInfo[]> {
    return [];
  }
  async stat(_bucket: string, name: string): Promise<ObjectInfo> {
    return { name, size: this.size, generation: '1' };
  }
  async read(): Promise<Uint8Array> {
    this.reads += 1;
    return this.bytes;
  }
  async *readStream(): AsyncIterable<Uint8Array> {
    yield* chunksOf(await this.read());
  }
}

describe('loadGoldenSet', () => {
  const run = { ...sampleRun(), bucket: 'artifacts', root: 'models/flowers/7/' };

  it('refuses an oversized golden set from its metadata, without downloading it', async () => {
    const objects = new OneObject(MAX_GOLDEN_BYTES + 1);
    await expect(loadGoldenSet(objects, workflow, run)).rejects.toThrow(
      /gs:\/\/artifacts\/golden\/flowers\.jsonl.*above the 33554432-byte limit/,
    );
    expect(objects.reads).toBe(0);
  });

  it('downloads and parses one within the limit', async () => {
    const objects = new OneObject(45);
    await expect(loadGoldenSet(objects, workflow, run)).resolves.toHaveLength(1);
    expect(objects.reads).toBe(1);
  });
});
