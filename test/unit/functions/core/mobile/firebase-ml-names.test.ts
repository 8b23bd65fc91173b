import {
  candidateModelName,
  candidateModelNameProblem,
  displayNameProblem,
  FIREBASE_ML_DISPLAY_NAME,
  FIREBASE_ML_TAG,
  releaseNameProblem,
  tagProblem,
  versionTagProblem,
} from '../../../../../functions/core/mobile/firebase-ml-names';
import schema from '../../../../../functions/core/workflow/workflow.schema.json';

describe('Firebase ML names and tags', () => {
  it.each([
    ['flowers', true],
    ['flowers_mobile', true],
    ['F', true],
    ['a'.repeat(32), true],
    ['a'.repeat(33), false],
    ['flowers-mobile', false],
    ['9lives', false],
    ['_private', false],
    ['with space', false],
    ['ünïcode', false],
    ['', false],
  ])('display name %j valid: %s', (name, valid) => {
    expect(displayNameProblem(name)).toEqual(valid ? undefined : expect.stringMatching(/at most 32 ASCII letters/));
  });

  it.each([
    ['vision', true],
    ['v-1_x', true],
    ['9', true],
    ['x'.repeat(32), true],
    ['x'.repeat(33), false],
    ['', false],
    ['not ok', false],
    ['a.b', false],
  ])('tag %j valid: %s', (tag, valid) => {
    expect(tagProblem(tag)).toEqual(valid ? undefined : expect.stringMatching(/1 to 32 ASCII letters/));
  });

  it.each([
    ['7', true],
    ['2026-11-23_1', true],
    ['1'.repeat(31), true],
    ['1'.repeat(32), false],
    ['release-2026-11-23T10-00-00-build-4711', false],
  ])('version %j gives a valid version tag: %s', (version, valid) => {
    expect(versionTagProblem(version)).toEqual(
      valid
        ? undefined
        : expect.stringMatching(/^version ".+" gives the Firebase ML version tag "v.+", which is not a valid tag/),
    );
  });

  it('is the rule the workflow schema applies (one rule, two spellings)', () => {
    const mobile = schema.properties.mobile.properties;
    expect(mobile.modelName.pattern).toBe(FIREBASE_ML_DISPLAY_NAME.source);
    expect(mobile.tags.items.pattern).toBe(FIREBASE_ML_TAG.source);
  });

  it('names a staged candidate <modelName>_v<version> and refuses one that cannot fit 32 characters', () => {
    expect(candidateModelName('flowers', '7')).toBe('flowers_v7');
    expect(candidateModelNameProblem('flowers', '7')).toBeUndefined();
    expect(candidateModelNameProblem('m'.repeat(28), '12')).toBeUndefined();
    expect(candidateModelNameProblem('m'.repeat(28), '123')).toMatch(
      /"m{28}_v123".*at most 27 characters for this version/,
    );
    // A version with "-" gives a tag Firebase ML takes but a model name it refuses.
    expect(candidateModelNameProblem('flowers', '2026-11-30')).toMatch(/is not a Firebase ML model name/);
  });

  it('checks the candidate name only for staged Firebase ML releases', () => {
    const mobile = { modelName: 'flowers', channels: { firebaseMl: true } };
    const rollout = { parameter: 'p', steps: [100], everyMs: 1000 };
    expect(releaseNameProblem(mobile, '2026-11-30')).toBeUndefined();
    expect(releaseNameProblem({ ...mobile, rollout }, '2026-11-30')).toMatch(/staged rollout/);
    expect(releaseNameProblem({ ...mobile, rollout, channels: { firebaseMl: false } }, '2026-11-30')).toBeUndefined();
    expect(releaseNameProblem({ ...mobile, rollout }, '1'.repeat(32))).toMatch(/version tag/);
  });
});
