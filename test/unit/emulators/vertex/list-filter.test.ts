import { paginate, parseFilter, type Filterable } from '../../../../emulators/vertex/list-filter';

const items: Filterable[] = [
  { displayName: 'flowers', labels: { team: 'vision', stage: 'prod' } },
  { displayName: 'flowers', labels: { team: 'audio' } },
  { displayName: 'birds', labels: {} },
];

describe('parseFilter', () => {
  it.each([
    ['', [0, 1, 2]],
    ['display_name="flowers"', [0, 1]],
    ['display_name=flowers', [0, 1]],
    ['display_name = "birds"', [2]],
    ['labels.team="vision"', [0]],
    ['labels.stage:*', [0]],
    ['display_name="flowers" AND labels.team="audio"', [1]],
    ['display_name="flowers" AND labels.team="none"', []],
    ['display_name="with \\"quote\\""', []],
  ])('%s', (filter, expected) => {
    const match = parseFilter(filter);
    expect(items.flatMap((item, i) => (match(item) ? [i] : []))).toEqual(expected);
  });

  it.each([
    ['OR is not supported', 'display_name="a" OR display_name="b"'],
    ['unknown field', 'create_time>"2020"'],
    ['unterminated quote', 'display_name="flowers'],
    ['has-operator on display_name', 'display_name:*'],
    ['label has-value other than *', 'labels.team:vision'],
    ['uppercase label key', 'labels.Team="x"'],
  ])('refuses %s with a message naming the filter', (_name, filter) => {
    expect(() => parseFilter(filter)).toThrow(/Field: filter/);
  });

  it('refuses wrong types and oversized filters', () => {
    expect(() => parseFilter(42)).toThrow(/filter; Message: must be a string/);
    expect(() => parseFilter(`display_name="${'a'.repeat(3000)}"`)).toThrow(/at most 2000/);
  });
});

describe('paginate', () => {
  const all = Array.from({ length: 5 }, (_, i) => i);
  it('walks pages with the returned token', () => {
    const first = paginate(all, 2, '');
    expect(first).toEqual({ page: [0, 1], nextPageToken: '2' });
    const last = paginate(all, 2, '4');
    expect(last).toEqual({ page: [4], nextPageToken: '' });
  });
  it('uses 100 when page_size is 0', () => {
    expect(paginate(all, 0, undefined).page).toHaveLength(5);
  });
  it.each(['abc', '-1', '99', '1e3'])('refuses a token it did not issue (%s)', (token) => {
    expect(() => paginate(all, 2, token)).toThrow(/page_token/);
  });
});
