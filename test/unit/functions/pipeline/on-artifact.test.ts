import { parseWorkflow } from '../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../functions/core/workflow/workflow-set';
import type { ArtifactChecker, ObjectInfo, ObjectReader } from '../../../../functions/pipeline/ports';
import { onArtifact, type OnArtifactDeps } from '../../../../functions/pipeline/stages/on-artifact';
import type { StorageObjectData } from '../../../../functions/pipeline/storage-event';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { seededRandom } from '../../../../emulators/random';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { chunksOf } from '../../../../functions/artifacts/artifact-files';

const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'flowers.yaml',
  ),
  parseWorkflow(
    'name: mobile\nmatch: mobile/flowers/{version}/model.tflite\nartifact: tflite\nmobile: {modelName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'mobile.yaml',
  ),
]);

/** A bucket in memory behind ferry's own ObjectReader port, counting list calls. */
class MemoryBucket implements ObjectReader {
  readonly objects = new Map<string, Uint8Array>();
  listCalls = 0;
  async list(_bucket: string, prefix: string): Promise<ObjectInfo[]> {
    this.listCalls += 1;
    return [...this.objects.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, b]) => ({ name, size: b.length, generation: '1' }));
  }
  async stat(_bucket: string, name: string) {
    const b = this.objects.get(name);
    return b && { name, size: b.length, generation: '1' };
  }
  async read(_bucket: string, name: string) {
    return this.objects.get(name) ?? new Uint8Array();
  }
  async *readStream(bucket: string, name: string, start = 0) {
    yield* chunksOf((await this.read(bucket, name)).subarray(start));
  }
}

/** SavedModel completeness by a simple rule over ferry's own checker port: pb, index, and N shards. */
function shardChecker(numShards: number, problems: string[] = []): ArtifactChecker & { checks: number } {
  const checker = {
    checks: 0,
    async missingFiles(_w: string, _b: string, root: string, listing: ObjectInfo[]) {
      const have = new Set(listing.map((o) => o.name.slice(root.length)));
      if (!have.has('saved_model.pb')) return ['saved_model.pb'];
      const needed = [
        'variables/variables.index',
        ...Array.from(
          { length: numShards },
          (_, i) => `variables/variables.data-${String(i).padStart(5, '0')}-of-${String(numShards).padStart(5, '0')}`,
        ),
      ];
      if (!have.has('variables/variables.index')) return ['variables/variables.index'];
      return needed.filter((f) => !have.has(f));
    },
    async check() {
      checker.checks += 1;
      return { problems, facts: { checked: true } };
    },
  };
  return checker;
}

function setup(checker = shardChecker(3)) {
  const bucket = new MemoryBucket();
  const deps: OnArtifactDeps = {
    workflows,
    objects: bucket,
    runs: new MemoryRuns(),
    pending: new MemoryDocuments(),
    checker,
    publisher: new MemoryPublisher(),
    clock: fixedClock(),
    log: silentLogger(),
  };
  const land = async (name: string, deliver = true) => {
    bucket.objects.set(name, new Uint8Array(1));
    if (deliver) await onArtifact(deps, event(name));
  };
  return { bucket, deps, land, publisher: deps.publisher as MemoryPublisher, runs: deps.runs as MemoryRuns };
}

const event = (name: string): StorageObjectData => ({
  bucket: 'artifacts',
  name,
  generation: '1',
  metageneration: '1',
  size: '1',
});
const savedModelFiles = (root: string, n: number) => [
  `${root}saved_model.pb`,
  `${root}variables/variables.index`,
  ...Array.from(
    { length: n },
    (_, i) => `${root}variables/variables.data-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}`,
  ),
];

describe('onArtifact', () => {
  it('starts one run when the last file of a SavedModel lands, in any order, with duplicates', async () => {
    const { land, publisher, runs, deps } = setup();
    const files = savedModelFiles('models/flowers/7/', 3);
    for (const name of [files[3], files[0], files[4], files[0], files[1], files[2], files[2]]) await land(name);
    await onArtifact(deps, event(files[1]));
    // Duplicates of the anchor files may repeat the ready message while the run waits in `checked`
    // (its first attempt may have died before publishing); the next stage ignores repeats.
    const ready = publisher.on(TOPICS.savedModelReady) as Array<{ runId: string }>;
    expect(new Set(ready.map((m) => m.runId)).size).toBe(1);
    const all = await runs.list();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ workflow: 'flowers', version: '7', root: 'models/flowers/7/', state: 'checked' });
  });

  it('waits while shards are missing and starts when they arrive last', async () => {
    const { land, publisher } = setup();
    const files = savedModelFiles('models/flowers/8/', 3);
    await land(files[0]);
    await land(files[1]);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(0);
    await land(files[2]);
    await land(files[3]);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(0);
    await land(files[4]);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(1);
  });

  it('catches a shard that landed while the missing list was being written (its event found no record)', async () => {
    const { land, publisher } = setup(shardChecker(1));
    const files = savedModelFiles('models/flowers/9/', 1);
    await land(files[0]);
    // The shard is in the bucket, but its event was handled before the index's record existed.
    await land(files[2], false);
    await land(files[1]);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(1);
  });

  it('handles 1,000 shards in random order with a constant number of list calls', async () => {
    const { land, publisher, bucket } = setup(shardChecker(1000));
    const files = savedModelFiles('models/flowers/10/', 1000);
    const random = seededRandom(42);
    const order = [...files].sort(() => random() - 0.5);
    for (const name of order) await land(name);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(1);
    expect(bucket.listCalls).toBeLessThanOrEqual(6);
  });

  it('starts one TFLite run on the file itself, however many events arrive', async () => {
    const { land, publisher, deps, runs } = setup();
    await land('mobile/flowers/3/model.tflite');
    await onArtifact(deps, event('mobile/flowers/3/model.tflite'));
    expect(await runs.list()).toEqual([expect.objectContaining({ kind: 'tflite', state: 'checked', version: '3' })]);
    expect(publisher.on(TOPICS.tfliteReady).length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['a folder placeholder', 'models/flowers/7/'],
    ['an unwatched path', 'datasets/flowers/7/train.csv'],
    ['a file beside the pattern', 'mobile/flowers/3/notes.txt'],
    ['a name with ..', 'models/flowers/../7/saved_model.pb'],
    ['a name with control characters', 'models/flowers/7\u0000/saved_model.pb'],
  ])('ignores %s', async (_name, name) => {
    const { land, publisher, runs } = setup();
    await land(name);
    expect(publisher.messages).toHaveLength(0);
    expect(await runs.list()).toHaveLength(0);
  });

  it('records a rejected run when static checks fail, and publishes no ready message', async () => {
    const { land, publisher, runs } = setup(
      shardChecker(1, ['variables/variables.data-00000-of-00001: crc32c mismatch for tensor "a"']),
    );
    for (const name of savedModelFiles('models/flowers/11/', 1)) await land(name);
    expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(0);
    const [run] = await runs.list();
    expect(run).toMatchObject({ state: 'rejected', outcome: 'rejected' });
    expect(run.reason).toMatch(/crc32c mismatch for tensor "a"/);
    expect(publisher.on(TOPICS.runEvents)).toEqual([
      expect.objectContaining({ state: 'rejected', outcome: 'rejected' }),
    ]);
  });

  it('publishes the ready message again when a retry finds the run stored but not started', async () => {
    const { land, publisher, deps } = setup();
    await land('mobile/flowers/4/model.tflite');
    publisher.messages.length = 0;
    await onArtifact(deps, event('mobile/flowers/4/model.tflite'));
    expect(publisher.on(TOPICS.tfliteReady)).toHaveLength(1);
  });

  it.each([
    ['1.0', '1-0'],
    ['1_0', '1.0'],
    ['V2', 'v2'],
  ])(
    'refuses version %s after %s: one Vertex alias for both, refused before anything is made',
    async (second, first) => {
      const { land, publisher, runs, deps } = setup(shardChecker(1));
      for (const name of savedModelFiles(`models/flowers/${first}/`, 1)) await land(name);
      const checksBefore = (deps.checker as ReturnType<typeof shardChecker>).checks;
      for (const name of savedModelFiles(`models/flowers/${second}/`, 1)) await land(name);
      const byVersion = new Map((await runs.list()).map((r) => [r.version, r]));
      expect(byVersion.get(first)).toMatchObject({ state: 'checked' });
      expect(byVersion.get(second)).toMatchObject({ state: 'rejected', outcome: 'rejected' });
      expect(byVersion.get(second)?.reason).toMatch(
        new RegExp(`version "${second}" maps to the Vertex alias v\\S+, already used by version "${first}"`),
      );
      expect((deps.checker as ReturnType<typeof shardChecker>).checks).toBe(checksBefore); // nothing inspected
      expect(publisher.on(TOPICS.savedModelReady)).toHaveLength(1);
    },
  );

  it('rejects a TFLite version too long for a Firebase ML tag before any check, naming the rule', async () => {
    const { land, publisher, runs, deps } = setup();
    const version = 'release-2026-11-23T10-00-00-build-4711';
    await land(`mobile/flowers/${version}/model.tflite`);
    const [run] = await runs.list();
    expect(run).toMatchObject({ state: 'rejected', outcome: 'rejected', version });
    expect(run.reason).toMatch(/Firebase ML version tag "v.+", which is not a valid tag/);
    expect((deps.checker as ReturnType<typeof shardChecker>).checks).toBe(0);
    expect(publisher.on(TOPICS.tfliteReady)).toHaveLength(0);
  });

  it('lets a duplicate event of the same version through its own alias claim', async () => {
    const { land, publisher, deps } = setup();
    await land('mobile/flowers/1.0/model.tflite');
    publisher.messages.length = 0;
    await onArtifact(deps, event('mobile/flowers/1.0/model.tflite'));
    expect(publisher.on(TOPICS.tfliteReady)).toHaveLength(1);
  });
});
