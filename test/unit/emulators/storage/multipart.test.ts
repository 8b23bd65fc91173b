import fc from 'fast-check';
import type { GcsHttpError } from '../../../../emulators/storage/errors';
import { parseMultipart } from '../../../../emulators/storage/multipart';

function build(boundary: string, parts: Array<{ type: string; body: Buffer }>, eol = '\r\n'): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts)
    pieces.push(Buffer.from(`--${boundary}${eol}Content-Type: ${part.type}${eol}${eol}`), part.body, Buffer.from(eol));
  pieces.push(Buffer.from(`--${boundary}--`));
  return Buffer.concat(pieces);
}

/** Exactly what apitools (gcloud 528) sent for `gcloud storage cp small.txt`: LF only, MIME-Version, epilogue. */
const APITOOLS_BODY = [
  '--===============3853995618346713356==',
  'Content-Type: application/json',
  'MIME-Version: 1.0',
  '',
  '{"bucket": "b", "contentType": "text/plain", "name": "small.txt"}',
  '--===============3853995618346713356==',
  'Content-Type: text/plain',
  'MIME-Version: 1.0',
  'Content-Transfer-Encoding: binary',
  '',
  'hello',
  '',
  '--===============3853995618346713356==--',
  '',
].join('\n');

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

  it("reads apitools' single-quoted boundary and LF-only body (gcloud, gsutil)", () => {
    const parts = parseMultipart(
      "multipart/related; boundary='===============3853995618346713356=='",
      Buffer.from(APITOOLS_BODY),
    );
    expect(parts.map((p) => [p.headers['content-type'], p.body.toString()])).toEqual([
      ['application/json', '{"bucket": "b", "contentType": "text/plain", "name": "small.txt"}'],
      ['text/plain', 'hello\n'],
    ]);
    expect(parts[1].headers['content-transfer-encoding']).toBe('binary');
  });

  it.each([
    ['bare', 'multipart/related; boundary=B0und'],
    ['double-quoted', 'multipart/related; boundary="B0und"'],
    ['single-quoted', "multipart/related; boundary='B0und'"],
  ])('takes a %s boundary with CRLF and with LF line breaks', (_label, contentType) => {
    for (const eol of ['\r\n', '\n']) {
      const body = build(
        'B0und',
        [
          { type: 'application/json', body: Buffer.from('{}') },
          { type: 'text/plain', body: Buffer.from('line1\r\nline2\n') },
        ],
        eol,
      );
      expect(parseMultipart(contentType, body).map((p) => p.body.toString())).toEqual(['{}', 'line1\r\nline2\n']);
    }
  });

  it('keeps a media part ending in CR when the body uses LF breaks', () => {
    const body = build('b', [{ type: 'application/octet-stream', body: Buffer.from('x\r') }], '\n');
    expect(parseMultipart('multipart/related; boundary=b', body)[0].body).toEqual(Buffer.from('x\r'));
  });

  it('treats the boundary inside media, not at the start of a line or not ending one, as data', () => {
    const media = Buffer.from('a--b\n--bx\n--b tail');
    const parts = parseMultipart('multipart/related; boundary=b', build('b', [{ type: 'x/y', body: media }]));
    expect(parts[0].body.equals(media)).toBe(true);
  });

  it('skips a preamble and transport padding after a delimiter', () => {
    const body = Buffer.from('preamble\r\n--b  \r\nContent-Type: a/b\r\n\r\nx\r\n--b--\r\nepilogue');
    expect(parseMultipart('multipart/related; boundary=b', body).map((p) => p.body.toString())).toEqual(['x']);
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
    ['duplicated boundary parameter', 'multipart/related; boundary=b; boundary=c', '--b--', /2 boundary parameters/],
    [
      'boundary quoted differently than the body uses',
      'multipart/related; boundary="\'b\'"',
      '--b\r\n\r\nx\r\n--b--',
      /does not contain the boundary "'b'"/,
    ],
    ['truncated before the closing boundary (LF)', 'multipart/related; boundary=b', '--b\n\nx\n--b-', /truncated/],
    ['header line without a name', 'multipart/related; boundary=b', '--b\nnot a header\n\nx\n--b--', /has no name/],
  ])('rejects %s with a 400 naming the problem', (_label, contentType, body, message) => {
    let thrown: unknown;
    try {
      parseMultipart(contentType, Buffer.from(body));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ status: 400, message: expect.stringMatching(message) });
    expect((thrown as GcsHttpError).toBody().error).toMatchObject({
      code: 400,
      errors: [{ domain: 'global', reason: 'invalid', message: expect.stringMatching(message) }],
    });
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
