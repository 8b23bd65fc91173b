import { compilePattern, matchPattern } from '../../../../../functions/core/workflow/path-pattern';

describe('compilePattern', () => {
  it.each([
    ['models/x/', /exactly one \{version\}/],
    ['models/{version}/{version}/', /exactly one \{version\}/],
    ['/models/{version}/', /relative object path/],
    ['models/../{version}/', /without "\.\."/],
    ['models/v{version}/', /whole path segment/],
    ['models/{version}', /followed by "\/"/],
    ['models/*/{version}/', /only \{version\} is a placeholder/],
  ])('refuses %s', (source, message) => {
    expect(() => compilePattern(source)).toThrow(message);
  });
});

describe('matchPattern', () => {
  const folder = compilePattern('models/flowers/{version}/');
  const file = compilePattern('mobile/flowers/{version}/model.tflite');

  it.each([
    ['models/flowers/7/saved_model.pb', { version: '7', root: 'models/flowers/7/', relativePath: 'saved_model.pb' }],
    [
      'models/flowers/2026-11-23_1/variables/variables.index',
      { version: '2026-11-23_1', root: 'models/flowers/2026-11-23_1/', relativePath: 'variables/variables.index' },
    ],
    ['models/flowers/7/', { version: '7', root: 'models/flowers/7/', relativePath: '' }],
  ])('finds the SavedModel folder of %s', (name, expected) => {
    expect(matchPattern(folder, name)).toEqual(expected);
  });

  it.each([
    'models/flowers/saved_model.pb',
    'models/flowers',
    'models/roses/7/saved_model.pb',
    'models/flowers/.hidden/x',
    'xmodels/flowers/7/a',
  ])('ignores %s', (name) => {
    expect(matchPattern(folder, name)).toBeUndefined();
  });

  it('matches a TFLite file exactly', () => {
    expect(matchPattern(file, 'mobile/flowers/3/model.tflite')).toEqual({
      version: '3',
      root: 'mobile/flowers/3/model.tflite',
      relativePath: '',
    });
    expect(matchPattern(file, 'mobile/flowers/3/model.tflite.tmp')).toBeUndefined();
    expect(matchPattern(file, 'mobile/flowers/3/other.tflite')).toBeUndefined();
  });
});
