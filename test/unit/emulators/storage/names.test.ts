import { checkBucketName, checkObjectName, decodeSegment } from '../../../../emulators/storage/names';

describe('checkObjectName', () => {
  it.each([
    'a',
    'models/flowers/7/saved_model.pb',
    'folder/',
    'a/../b',
    '../x',
    '日本/名前',
    '😀',
    'tab\tand\u0007bell',
    'x'.repeat(1024),
    'é'.repeat(512),
  ])('accepts %j as GCS does', (name) => {
    expect(checkObjectName(name)).toBe(name);
  });

  it.each([
    [undefined, /Required name/],
    ['', /Required name/],
    ['.', /cannot be "\." or "\.\."/],
    ['..', /cannot be "\." or "\.\."/],
    ['a\nb', /carriage return and line feed/],
    ['a\rb', /carriage return and line feed/],
    ['x'.repeat(1025), /1025 bytes long/],
    ['é'.repeat(513), /1026 bytes long/],
    ['bad\uFFFD', /not valid UTF-8/],
    ['lone\uD800', /not valid UTF-8/],
    ['.well-known/acme-challenge/token', /reserved/],
  ])('rejects %j with 400', (name, message) => {
    expect(() => checkObjectName(name)).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });
});

describe('checkBucketName', () => {
  it.each(['abc', 'ferry-artifacts', 'my_bucket.example.com', 'a1-b2', 'x'.repeat(63)])('accepts %j', (name) => {
    expect(checkBucketName(name)).toBe(name);
  });

  it.each([
    undefined,
    '',
    'ab',
    'x'.repeat(64),
    'UPPER',
    '-start',
    'end-',
    'google-x',
    'goog-x',
    '192.168.1.1',
    'has space',
    'a..b',
  ])('rejects %j with 400', (name) => {
    expect(() => checkBucketName(name)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('decodeSegment', () => {
  it('decodes percent-encoded UTF-8 including encoded slashes', () => {
    expect(decodeSegment('a%2Fb%20%E6%97%A5', 'object name')).toBe('a/b 日');
  });

  it.each(['%E0%A4%A', '%', '%zz'])('turns the malformed escape %j into a 400 naming the field', (segment) => {
    expect(() => decodeSegment(segment, 'object name')).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(/object name/) }),
    );
  });
});
