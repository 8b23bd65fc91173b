import { join } from 'node:path';
import { classifyDropPath, unwatchedMessage } from '../../../cli/drop-path';
import { loadWorkflows } from '../../../functions/adapters/workflow-files';

const shipped = loadWorkflows(join(__dirname, '..', '..', '..', 'workflows'));
const classify = (path: string, isFolder: boolean) => classifyDropPath(shipped, path, isFolder, 'ferry-artifacts');

describe('classifyDropPath', () => {
  it.each([
    ['models/flowers/7/', true, 'flowers', '7'],
    ['models/flowers/7', true, 'flowers', '7'],
    ['mobile/flowers/3/model.tflite', false, 'flowers-mobile', '3'],
    ['training/flowers-nightly/run-9/model/', true, 'flowers-nightly', 'run-9'],
  ])('%s (folder: %s) starts a %s run for version %s', (path, isFolder, name, version) => {
    const where = classify(path, isFolder);
    expect(where.kind === 'artifact' && [where.match.workflow.name, where.match.version]).toEqual([name, version]);
  });

  it.each([
    ['golden/flowers.jsonl', ['flowers-reviewed', 'flowers-staged', 'flowers']],
    ['golden/flowers-mobile.jsonl', ['flowers-mobile-staged', 'flowers-mobile']],
  ])('%s is the golden set of %j', (path, names) => {
    const where = classify(path, false);
    expect(where.kind === 'golden' && where.workflows.map((w) => w.name)).toEqual(names);
  });

  it.each([
    ['model/flowers/7/', true, 'flowers'],
    ['golden/flowers.jsonl', true, undefined], // a folder there is no golden set
    ['mobile/flowers/3/model.tflite', true, 'flowers-mobile'], // a folder where a file is watched
    ['training/flowers-nightly/3/', true, 'flowers-nightly'],
  ])('%s (folder: %s) is watched by nothing; nearest %s', (path, isFolder, nearest) => {
    const where = classify(path, isFolder);
    expect(where.kind).toBe('unwatched');
    if (nearest && where.kind === 'unwatched') expect(where.nearest?.name).toBe(nearest);
  });

  it('says what is near and what it watches', () => {
    const where = classify('model/flowers/7/', true);
    expect(where.kind === 'unwatched' && unwatchedMessage('model/flowers/7/', where.nearest)).toMatch(
      /^model\/flowers\/7\/: no workflow watches this path, so no run would start; nearest: workflow flowers \(.*flowers\.yaml\) watches models\/flowers\/\{version\}\/$/,
    );
  });
});
