import { parseContentRange, parseRange } from '../../../../emulators/storage/ranges';

describe('parseContentRange', () => {
  it.each([
    ['bytes */*', { kind: 'query', total: undefined }],
    ['bytes */100', { kind: 'query', total: 100 }],
    ['bytes 0-9/100', { kind: 'chunk', start: 0, end: 9, total: 100 }],
    ['bytes 10-19/*', { kind: 'chunk', start: 10, end: 19, total: undefined }],
    ['bytes 0-*/*', { kind: 'chunk', start: 0, end: undefined, total: undefined }],
    ['bytes 5-*/50', { kind: 'chunk', start: 5, end: undefined, total: 50 }],
    [undefined, { kind: 'chunk', start: 0 }],
  ])('%j → %j', (header, expected) => {
    expect(parseContentRange(header, 1000)).toEqual(expected);
  });

  it.each([
    ['bytes=0-9/100', 400, /expected/],
    ['bytes 0-9', 400, /expected/],
    ['items 0-9/10', 400, /expected/],
    ['bytes -1-9/10', 400, /expected/],
    ['bytes 9-0/10', 400, /before the first/],
    ['bytes 0-10/10', 400, /beyond the total/],
    ['bytes 0-99999999999999999999/*', 400, /too large/],
    ['bytes 0-1/1001', 413, /limit of 1000/],
  ])('rejects %j with %i', (header, status, message) => {
    expect(() => parseContentRange(header, 1000)).toThrow(
      expect.objectContaining({ status, message: expect.stringMatching(message) }),
    );
  });
});

describe('parseRange', () => {
  it.each([
    ['bytes=0-3', 10, { start: 0, end: 3 }],
    ['bytes=5-', 10, { start: 5, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=8-100', 10, { start: 8, end: 9 }],
    [undefined, 10, undefined],
    ['bytes=3-1', 10, undefined],
    ['bytes=0-1,4-5', 10, undefined],
    ['bytes=0-', 0, undefined],
  ])('%j of %i bytes → %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  it.each([
    ['bytes=10-', 10],
    ['bytes=-0', 10],
  ])('answers %j on %i bytes with 416', (header, size) => {
    expect(() => parseRange(header, size)).toThrow(expect.objectContaining({ status: 416 }));
  });
});
