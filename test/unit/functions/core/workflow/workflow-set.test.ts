import fc from 'fast-check';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';

const savedModel = (name: string, match: string) =>
  parseWorkflow(
    `name: ${name}\nmatch: ${match}\nartifact: savedmodel\nmodel: {displayName: ${name}}\nendpoint: {displayName: ${name}}\nvalidation: {goldenSet: g.jsonl}\n`,
    `${name}.yaml`,
  );
const mobile = (name: string, match: string) =>
  parseWorkflow(
    `name: ${name}\nmatch: ${match}\nartifact: tflite\nmobile: {modelName: ${name}}\nvalidation: {goldenSet: g.jsonl}\n`,
    `${name}.yaml`,
  );

const set = new WorkflowSet([
  savedModel('any', 'models/{version}/'),
  savedModel('flowers', 'models/flowers/{version}/'),
  savedModel('flowers-eu', 'models/flowers/eu/{version}/'),
  mobile('phones', 'mobile/flowers/{version}/model.tflite'),
]);

const version = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/);
const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
const relative = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('WorkflowSet.match (properties)', () => {
  it('splits any object under a watched folder into version, root and relative path', () => {
    fc.assert(
      fc.property(version, relative, (v, rel) => {
        fc.pre(v !== 'eu');
        const found = set.match(`models/flowers/${v}/${rel}`);
        expect(found).toMatchObject({ version: v, root: `models/flowers/${v}/`, relativePath: rel });
        expect(found?.workflow.name).toBe('flowers');
      }),
    );
  });

  it('lets the longest literal prefix win over a shorter pattern that also matches', () => {
    fc.assert(
      fc.property(version, relative, (v, rel) => {
        expect(set.match(`models/flowers/eu/${v}/${rel}`)?.workflow.name).toBe('flowers-eu');
        fc.pre(v !== 'flowers');
        expect(set.match(`models/${v}/${rel}`)?.workflow.name).toBe('any');
      }),
    );
  });

  it('matches a TFLite pattern only on the exact file name', () => {
    fc.assert(
      fc.property(version, segment, (v, other) => {
        expect(set.match(`mobile/flowers/${v}/model.tflite`)).toMatchObject({
          version: v,
          root: `mobile/flowers/${v}/model.tflite`,
          relativePath: '',
        });
        fc.pre(other !== 'model.tflite');
        expect(set.match(`mobile/flowers/${v}/${other}`)).toBeUndefined();
        expect(set.match(`mobile/flowers/${v}/model.tflite.${other}`)).toBeUndefined();
        expect(set.match(`mobile/flowers/${v}/sub/model.tflite`)).toBeUndefined();
      }),
    );
  });

  it('never throws on arbitrary names, and whatever it matches is consistent', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.constantFrom('models/', 'models//x', 'models/../x', 'mobile/flowers//model.tflite', ''),
        ),
        (name) => {
          const found = set.match(name);
          if (!found) return;
          expect(found.version).not.toMatch(/[/]/);
          expect(name.startsWith(found.root)).toBe(true);
          if (found.workflow.artifact === 'savedmodel') expect(found.root + found.relativePath).toBe(name);
          else expect(found.root).toBe(name);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never takes a version that is not one path segment usable in a Vertex alias', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), relative, (v, rel) => {
        const found = set.match(`models/flowers/${v}/${rel}`);
        if (found?.workflow.name === 'flowers') expect(found.version).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/);
      }),
    );
  });
});
