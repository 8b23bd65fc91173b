import {
  checkDisplayName,
  checkPublished,
  checkTags,
  checkTfliteModel,
  checkUpdateMask,
  MAX_TAGS,
} from '../../../../emulators/firebase-ml/model-rules';
import { RestError } from '../../../../emulators/firebase-ml/rest-error';

function refusal(fn: () => unknown): { status: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof RestError) return { status: error.status, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkDisplayName', () => {
  test.each([['a'], ['flowers'], ['Flowers_V2'], ['x'.repeat(32)]])('accepts %j', (name) => {
    expect(checkDisplayName(name)).toBe(name);
  });
  test.each([
    [''],
    [undefined],
    [null],
    [42],
    [['flowers']],
    ['_lead'],
    ['9lives'],
    ['with-dash'],
    ['with space'],
    ['x'.repeat(33)],
    ['café'],
  ])('refuses %j as INVALID_ARGUMENT naming displayName', (name) => {
    expect(refusal(() => checkDisplayName(name))).toEqual({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^displayName/),
    });
  });
});

describe('checkTags', () => {
  test('absent tags are an empty list; valid tags pass through', () => {
    expect(checkTags(undefined)).toEqual([]);
    expect(checkTags(['ferry', 'v-2', 'a_b'])).toEqual(['ferry', 'v-2', 'a_b']);
  });
  test.each([
    ['not a list', 'ferry', /tags: must be a list/],
    ['non-string', ['ok', 3], /tags\[1\]/],
    ['empty tag', [''], /tags\[0\]/],
    ['space', ['a b'], /tags\[0\]/],
    ['too long', ['t'.repeat(33)], /tags\[0\]/],
    ['duplicate', ['a', 'a'], /duplicate/],
    ['too many', Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`), /at most/],
  ])('%s → INVALID_ARGUMENT', (_label, tags, message) => {
    expect(refusal(() => checkTags(tags))).toEqual({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(message),
    });
  });
});

describe('checkTfliteModel', () => {
  test('returns the uri, or undefined when there is no tfliteModel', () => {
    expect(checkTfliteModel({ gcsTfliteUri: 'gs://b/m.tflite' })).toBe('gs://b/m.tflite');
    expect(checkTfliteModel(undefined)).toBeUndefined();
  });
  test.each([
    ['a string', 'gs://b/m.tflite', /must be an object/],
    ['a list', [], /must be an object/],
    ['no uri', {}, /gcsTfliteUri: required/],
    ['empty uri', { gcsTfliteUri: '' }, /gcsTfliteUri: required/],
    ['wrong type', { gcsTfliteUri: 7 }, /gcsTfliteUri: required/],
    ['automl', { automlModel: 'projects/p/locations/l/models/m' }, /automlModel/],
  ])('%s → INVALID_ARGUMENT', (_label, value, message) => {
    expect(refusal(() => checkTfliteModel(value))).toEqual({
      status: 'INVALID_ARGUMENT',
      message: expect.stringMatching(message),
    });
  });
});

describe('checkUpdateMask', () => {
  test('splits and de-duplicates known paths', () => {
    expect(checkUpdateMask('tags,tfliteModel.gcsTfliteUri,tags')).toEqual(['tags', 'tfliteModel.gcsTfliteUri']);
  });
  test.each([[null], [''], [','], ['name'], ['state'], ['tags,etag']])('%j → INVALID_ARGUMENT', (mask) => {
    expect(refusal(() => checkUpdateMask(mask)).status).toBe('INVALID_ARGUMENT');
  });
});

describe('checkPublished', () => {
  test.each([
    [{ published: true }, true],
    [{ published: false }, false],
    [undefined, false],
    [{}, false],
  ])('%j → %s', (state, expected) => {
    expect(checkPublished(state)).toBe(expected);
  });
  test('a non-boolean is refused', () => {
    expect(refusal(() => checkPublished({ published: 'yes' })).message).toMatch(/state.published/);
  });
});
