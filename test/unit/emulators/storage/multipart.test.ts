import fc from 'fast-check';
import { parseMultipart } from '../../../../emulators/storage/multipart';

function build(boundary: string, parts: Array<{ type: string; body: Buffer }>): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts)
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Type: ${part.type}\r\n\r\n`), part.body, Buffer.from('\r\n'));
  pieces.push(Buffer.from(`--${boundary}--`));
  return Buffer.concat(pieces);
}

describe('parseMultipart', () => {
  it('splits the metadata and media parts the storage client sends', () => {
    const body = build('abc-123', [
      { type: 'application/json', body: Buffer.from('{"contentType":"text/plain"}') },
      { type: 'text/plain', body: Buffer.from('hello\r\nworld') },
    ]);
    const parts = parseMultipart('multipart/related; boundary=abc-123', body);
    expect(parts.map((p) => [p.headers['content-type'], p.body.toString()])).toEqual([
      ['application/json', '{"contentType":"text/plain"}'],
      ['text/plain', 'hello\r\nworld'],
    ]);
  });

  it('accepts a quoted boundary and a part without headers', () => {
    const body = Buffer.from('--q\r\n\r\nraw\r\n--q--');
    expect(parseMultipart('multipart/related; boundary="q"', body).map((p) => p.body.toString())).toEqual(['raw']);
  });

  it('round-trips arbitrary binary media, including CRLF and dashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const media = Buffer.from(bytes);
        const parts = parseMultipart(
          'multipart/related; boundary=0f1e2d3c-4b5a',
          build('0f1e2d3c-4b5a', [
            { type: 'application/json', body: Buffer.from('{}') },
            { type: 'application/octet-stream', body: media },
          ]),
        );
        expect(parts[1].body.equals(media)).toBe(true);
      }),
    );
  });

  it.each([
    ['not multipart', 'application/json', '--b\r\n\r\nx\r\n--b--', /must be multipart\/related/],
    ['no boundary', 'multipart/related', '--b\r\n\r\nx\r\n--b--', /boundary/],
    ['boundary absent from body', 'multipart/related; boundary=b', 'nothing here', /does not contain the boundary/],
    [
      'truncated',
      'multipart/related; boundary=b',
      '--b\r\nContent-Type: a\r\n\r\nx\r\n--b\r\nContent-Type: b\r\n\r\npartial',
      /truncated/,
    ],
    ['headers without blank line', 'multipart/related; boundary=b', '--b\r\nContent-Type: a x\r\n--b--', /blank line/],
    ['missing content type', undefined, '--b--', /multipart\/related/],
  ])('rejects %s with a 400 naming the problem', (_label, contentType, body, message) => {
    expect(() => parseMultipart(contentType, Buffer.from(body))).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });

  it('never throws anything but a 400 on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseMultipart('multipart/related; boundary=b', Buffer.concat([Buffer.from('--b'), Buffer.from(bytes)]));
        } catch (error) {
          expect((error as { status?: number }).status).toBe(400);
        }
      }),
    );
  });
});
