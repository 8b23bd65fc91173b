import { checkAlias, checkAliasList, checkLabels, checkText } from '../../../../emulators/vertex/validation';

describe('version aliases', () => {
  it.each(['default', 'candidate', 'v2', 'prod-eu', 'aB-9z', 'a'.repeat(128)])('accepts %s', (alias) => {
    expect(checkAlias(alias, 'f')).toBe(alias);
  });
  it.each([
    ['single character', 'a'],
    ['starts with a digit', '2nd'],
    ['starts upper case', 'Candidate'],
    ['ends with a dash', 'cand-'],
    ['ends upper case', 'candA'],
    ['underscore', 'can_didate'],
    ['129 characters', 'a'.repeat(129)],
    ['empty', ''],
    ['not a string', 7],
  ])('refuses %s, quoting the rule', (_name, alias) => {
    expect(() => checkAlias(alias, 'model.version_aliases[0]')).toThrow(
      /model\.version_aliases\[0\].*\[a-z\]\[a-zA-Z0-9-\]\{0,126\}\[a-z0-9\]/,
    );
  });
  it('refuses duplicates and non-lists', () => {
    expect(() => checkAliasList(['beta', 'beta'], 'model.version_aliases')).toThrow(
      /version_aliases\[1\].*listed twice/,
    );
    expect(() => checkAliasList('beta', 'model.version_aliases')).toThrow(/must be a list/);
    expect(checkAliasList(undefined, 'x')).toEqual([]);
  });
});

describe('labels', () => {
  it('accepts lowercase keys and values up to 64 characters', () => {
    const labels = { team: 'vision', 'ferry-run': 'r_1', ['k'.repeat(64)]: 'v'.repeat(64), empty: '', über: 'ça' };
    expect(checkLabels(labels, 'model.labels')).toEqual(labels);
  });
  it.each([
    ['upper-case key', { Team: 'x' }],
    ['key starting with a digit', { '1team': 'x' }],
    ['65-character key', { ['k'.repeat(65)]: 'x' }],
    ['upper-case value', { team: 'Vision' }],
    ['65-character value', { team: 'v'.repeat(65) }],
    ['value with a dot', { team: 'a.b' }],
    ['non-string value', { team: 3 }],
  ])('refuses %s, naming the label', (_name, labels) => {
    expect(() => checkLabels(labels, 'model.labels')).toThrow(/Field: model\.labels\./);
  });
  it('refuses more than 64 labels and non-maps', () => {
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    expect(() => checkLabels(many, 'model.labels')).toThrow(/at most 64 labels/);
    expect(() => checkLabels(['a'], 'model.labels')).toThrow(/must be a map/);
  });
});

describe('required text', () => {
  it.each([undefined, '', '   ', 5])('refuses %p', (value) => {
    expect(() => checkText(value, 'model.display_name')).toThrow(/model\.display_name; Message: is required/);
  });
  it('refuses over-long text', () => {
    expect(() => checkText('x'.repeat(129), 'model.display_name')).toThrow(/at most 128/);
  });
});
