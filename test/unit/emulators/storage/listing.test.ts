import fc from 'fast-check';
import { compareNames, listPage, MAX_PAGE } from '../../../../emulators/storage/listing';
import type { ListQuery } from '../../../../emulators/storage/listing';

const NAMES = ['a', 'dir/', 'dir/1', 'dir/2', 'dir/sub/x', 'dir/sub/y', 'dis', 'z/z'].sort(compareNames);

function everything(
  names: string[],
  query: Omit<ListQuery, 'pageToken'>,
): { names: string[]; prefixes: string[]; pages: number } {
  const out = { names: [] as string[], prefixes: [] as string[], pages: 0 };
  let pageToken: string | undefined;
  do {
    const page = listPage(names, { ...query, pageToken });
    out.names.push(...page.names);
    out.prefixes.push(...page.prefixes);
    out.pages += 1;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && out.pages < 1000);
  return out;
}

describe('listPage', () => {
  it.each<[ListQuery, string[], string[]]>([
    [{}, NAMES, []],
    [{ prefix: 'dir/' }, ['dir/', 'dir/1', 'dir/2', 'dir/sub/x', 'dir/sub/y'], []],
    [{ delimiter: '/' }, ['a', 'dis'], ['dir/', 'z/']],
    [{ prefix: 'dir/', delimiter: '/' }, ['dir/', 'dir/1', 'dir/2'], ['dir/sub/']],
    [{ prefix: 'di' }, ['dir/', 'dir/1', 'dir/2', 'dir/sub/x', 'dir/sub/y', 'dis'], []],
    [{ startOffset: 'dir/2', endOffset: 'dis' }, ['dir/2', 'dir/sub/x', 'dir/sub/y'], []],
    [{ delimiter: '/', includeTrailingDelimiter: true }, ['a', 'dir/', 'dis'], ['dir/', 'z/']],
    [{ prefix: 'nothing' }, [], []],
  ])('%j → items and prefixes', (query, names, prefixes) => {
    expect(listPage(NAMES, query)).toEqual({ names, prefixes });
  });

  it('caps a page at 1000 entries whatever maxResults says', () => {
    const many = Array.from({ length: 1500 }, (_, i) => `n${String(i).padStart(5, '0')}`);
    const page = listPage(many, { maxResults: 5000 });
    expect(page.names).toHaveLength(MAX_PAGE);
    expect(page.nextPageToken).toBeDefined();
  });

  it.each([
    'garbage',
    Buffer.from('{"after":"a"}').toString('base64url'),
    Buffer.from('[1]').toString('base64url'),
    '',
  ])('rejects the page token %j with 400', (token) => {
    expect(() => listPage(NAMES, { pageToken: token })).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/pageToken/) }),
    );
  });

  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    const names = ['\uFF5E', '😀'];
    expect([...names].sort()).toEqual(['😀', '\uFF5E']);
    expect([...names].sort(compareNames)).toEqual(['\uFF5E', '😀']);
  });

  it('does not skip names under an item that ends with the delimiter (regression found by the property below)', () => {
    const names = ['a/', 'a//', 'a//b'].sort(compareNames);
    expect(everything(names, { prefix: 'a/', delimiter: '/', maxResults: 1 })).toEqual({
      names: ['a/'],
      prefixes: ['a//'],
      pages: 2,
    });
  });

  it('pages to exactly the unpaged listing for any names, prefix, delimiter and page size', () => {
    const nameArb = fc.stringMatching(/^[ab/]{1,6}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(nameArb, { maxLength: 25 }),
        fc.constantFrom('', 'a', 'b/', 'a/'),
        fc.constantFrom(undefined, '/', 'b'),
        fc.integer({ min: 1, max: 7 }),
        (raw, prefix, delimiter, maxResults) => {
          const names = [...raw].sort(compareNames);
          const whole = listPage(names, { prefix, delimiter });
          const paged = everything(names, { prefix, delimiter, maxResults });
          expect(paged.names).toEqual(whole.names);
          expect(paged.prefixes).toEqual(whole.prefixes);
          expect(paged.pages).toBe(Math.max(1, Math.ceil((whole.names.length + whole.prefixes.length) / maxResults)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
