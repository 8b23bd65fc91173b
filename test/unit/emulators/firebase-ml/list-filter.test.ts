import { parseModelFilter, type FilterableModel } from '../../../../emulators/firebase-ml/list-filter';
import { RestError } from '../../../../emulators/firebase-ml/rest-error';

const models: Record<string, FilterableModel> = {
  flowers: { displayName: 'flowers', tags: ['ferry', 'vision'], published: true },
  flowers_v2: { displayName: 'flowers_v2', tags: ['ferry'], published: false },
  birds: { displayName: 'birds', tags: ['vision'], published: false },
};

function matching(filter: string | null): string[] {
  const predicate = parseModelFilter(filter);
  return Object.entries(models)
    .filter(([, m]) => predicate(m))
    .map(([key]) => key);
}

describe('parseModelFilter', () => {
  test.each<[string | null, string[]]>([
    [null, ['flowers', 'flowers_v2', 'birds']],
    ['', ['flowers', 'flowers_v2', 'birds']],
    ['display_name = flowers', ['flowers']],
    ['display_name="flowers"', ['flowers']],
    ['display_name : flowers*', ['flowers', 'flowers_v2']],
    ['display_name : flowers', ['flowers']],
    ['tags: ferry', ['flowers', 'flowers_v2']],
    ['tags: ferry AND tags: vision', ['flowers']],
    ['tags: vision AND display_name = birds', ['birds']],
    ['state.published = true', ['flowers']],
    ['state.published = false', ['flowers_v2', 'birds']],
    ['tags: nothing', []],
  ])('%j matches %j', (filter, expected) => {
    expect(matching(filter)).toEqual(expected);
  });

  test.each([
    ['owner = me'],
    ['display_name'],
    ['tags: a OR tags: b'],
    ['state.published = maybe'],
    ['state.published : true'],
    ['tags: a AND'],
    ['x'.repeat(2000)],
  ])('%j is INVALID_ARGUMENT with a message saying what is accepted', (filter) => {
    let error: unknown;
    try {
      parseModelFilter(filter);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RestError);
    expect((error as RestError).status).toBe('INVALID_ARGUMENT');
    expect((error as RestError).message).toMatch(/filter/);
  });
});
