import { multipartBoundary } from '../../../../emulators/storage/multipart-boundary';

describe('multipartBoundary', () => {
  it.each([
    ['bare (the Node client)', 'multipart/related; boundary=abc-123', 'abc-123'],
    ['double-quoted (RFC 2045)', 'multipart/related; boundary="a b:c"', 'a b:c'],
    ['double-quoted with an escape', 'multipart/related; boundary="a\\:b"', 'a:b'],
    [
      "single-quoted (apitools' %r)",
      "multipart/related; boundary='===============3853995618346713356=='",
      '===============3853995618346713356==',
    ],
    ['after another parameter', 'multipart/related; type="application/json"; boundary=xyz', 'xyz'],
    ['with odd spacing and case', 'Multipart/Related ;BOUNDARY = "q" ; charset=utf-8', 'q'],
    ['a quoted parameter holding "boundary="', 'multipart/related; note="boundary=no"; boundary=yes', 'yes'],
  ])('reads a %s boundary', (_label, contentType, expected) => {
    expect(multipartBoundary(contentType)).toBe(expected);
  });

  it.each([
    ['no Content-Type', undefined, /must be multipart\/related/],
    ['a non-multipart type', 'application/json; boundary=x', /must be multipart\/related/],
    ['no boundary parameter', 'multipart/related; charset=utf-8', /has no boundary parameter/],
    ['a duplicated boundary', 'multipart/related; boundary=a; boundary=b', /has 2 boundary parameters/],
    ['an unclosed quote', "multipart/related; boundary='abc", /unclosed ' quote/],
    ['text after the quotes', 'multipart/related; boundary="a"b', /text after a quoted parameter/],
    ['an empty boundary', 'multipart/related; boundary=""', /not 1 to 70 legal characters/],
    ['a boundary over 70 characters', `multipart/related; boundary=${'x'.repeat(71)}`, /not 1 to 70 legal/],
    ['a boundary ending in a space', 'multipart/related; boundary="ab "', /not 1 to 70 legal/],
    ['a parameter without a value', 'multipart/related; boundary=a; junk', /parameter without a value/],
  ])('refuses %s with a 400 in the JSON API error shape', (_label, contentType, message) => {
    let thrown: unknown;
    try {
      multipartBoundary(contentType);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400 });
    const body = (thrown as { toBody(): { error: { code: number; message: string; errors: unknown[] } } }).toBody();
    expect(body.error).toMatchObject({
      code: 400,
      message: expect.stringMatching(message),
      errors: [{ domain: 'global', reason: 'invalid', message: expect.stringMatching(message) }],
    });
  });
});
