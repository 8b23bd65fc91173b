import { join } from 'node:path';
import { loadWorkflows } from '../../../../../functions/adapters/workflow-files';
import { nearestWorkflow } from '../../../../../functions/core/workflow/nearest-workflow';

/** The shipped workflows: flowers-mobile, flowers-nightly, flowers (in file order). */
const shipped = loadWorkflows(join(__dirname, '..', '..', '..', '..', '..', 'workflows')).workflows;

describe('nearestWorkflow', () => {
  it.each([
    ['model/flowers/7/', 'flowers'],
    ['models/flower/7/', 'flowers'],
    ['models/flowers/', 'flowers'],
    ['mobile/flower/7/model.tflite', 'flowers-mobile'],
    ['moblie/flowers/7/model.tflite', 'flowers-mobile'],
    ['training/flowers-nightly/3/', 'flowers-nightly'],
  ])('%s → %s', (path, name) => {
    expect(nearestWorkflow(shipped, path)?.name).toBe(name);
  });

  it('is deterministic on a tie (the earlier workflow) and undefined with no workflows', () => {
    expect(nearestWorkflow(shipped, 'x/')?.name).toBe(nearestWorkflow(shipped, 'x/')?.name);
    expect(nearestWorkflow([], 'models/flowers/7/')).toBeUndefined();
  });
});
