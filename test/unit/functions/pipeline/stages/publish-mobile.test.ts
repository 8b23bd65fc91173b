import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortError } from '../../../../../functions/core/errors';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { MobileChannel, TfliteRunner } from '../../../../../functions/pipeline/ports';
import { publishMobileStage } from '../../../../../functions/pipeline/stages/publish-mobile';
import { fixedClock, MemoryObjects } from '../../../../helpers/memory-ports';
import { sampleRun } from '../../../../helpers/sample-run';

const file = join(__dirname, '..', '..', '..', '..', '..', 'workflows', 'flowers-mobile.yaml');
const workflows = new WorkflowSet([parseWorkflow(readFileSync(file, 'utf8'), 'flowers-mobile.yaml')]);
const run = sampleRun({
  workflow: 'flowers-mobile',
  kind: 'tflite',
  root: 'mobile/flowers/3/model.tflite',
  version: '3',
});
const objects: Record<string, string> = {
  'mobile/flowers/3/model.tflite': 'tflite bytes',
  'golden/flowers-mobile.jsonl': '{"instance": [1], "expected": [2.5]}\n',
};
const reader = new MemoryObjects(objects);

function stage(runner: TfliteRunner) {
  const published: string[] = [];
  const channel = (name: MobileChannel['name']): MobileChannel => ({
    name,
    publish: async (release) => (published.push(`${name} ${release.version}`), `${name} ok`),
  });
  const built = publishMobileStage({
    objects: reader,
    runner,
    channels: [channel('firebaseMl'), channel('firebaseStorage')],
    workflows,
    clock: fixedClock(),
    elapsedMs: () => 0,
  });
  return { built, published };
}

describe('publishMobileStage', () => {
  it('publishes on every channel when the golden set passes', async () => {
    const { built, published } = stage({ predict: async () => [[2.5]] });
    expect((await built.work(run)).state).toBe('published');
    expect(published).toEqual(['firebaseMl 3', 'firebaseStorage 3']);
  });

  it("rejects a model the runner reports not-runnable, with the port's message, and publishes nothing", async () => {
    const refusal = new PortError('not-runnable', 'not runnable: the TFLite runtime lacks custom op ParseExampleV2');
    const { built, published } = stage({ predict: () => Promise.reject(refusal) });
    const ended = await built.work(run);
    expect(ended.state).toBe('rejected');
    expect(ended.timeline.at(-1)?.detail).toBe(refusal.message);
    expect(published).toEqual([]);
  });

  it('rejects a version whose Firebase ML version tag the service would refuse, before any channel', async () => {
    const version = 'release-2026-11-23T10-00-00-build-4711';
    const root = `mobile/flowers/${version}/model.tflite`;
    objects[root] = 'tflite bytes';
    const { built, published } = stage({ predict: async () => [[2.5]] });
    const ended = await built.work(sampleRun({ ...run, root, version }));
    expect(ended.state).toBe('rejected');
    expect(ended.timeline.at(-1)?.detail).toMatch(/gives the Firebase ML version tag "v.+", which is not a valid tag/);
    expect(published).toEqual([]);
  });

  it('counts any other runner error as a failed example (the gates decide)', async () => {
    const { built, published } = stage({ predict: () => Promise.reject(new Error('instances[0]: expected 1 value')) });
    const ended = await built.work(run);
    expect(ended.state).toBe('rejected');
    expect(ended.timeline.at(-1)?.detail).toMatch(/TFLite validation failed/);
    expect(published).toEqual([]);
  });
});
