import type { Storage } from '@google-cloud/storage';
import type { StorageEmulator } from '../../../../emulators/storage/storage-emulator';
import { raw, startWithClient } from './start-client';

describe('malformed requests get GCS-shaped 400/404 errors, never a crash', () => {
  let emulator: StorageEmulator;
  let storage: Storage;

  beforeAll(async () => {
    ({ emulator, storage } = await startWithClient());
    emulator.createBucket('strict');
  });
  afterAll(() => emulator.stop());

  const multipart = (boundary: string, parts: string[], close = true) =>
    parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('') + (close ? `--${boundary}--` : '');

  it.each([
    [
      'no boundary in Content-Type',
      'multipart/related',
      multipart('b1', ['Content-Type: application/json\r\n\r\n{}', 'Content-Type: text/plain\r\n\r\nx']),
    ],
    ['boundary missing from body', 'multipart/related; boundary=zz', 'no parts at all'],
    [
      'truncated (no closing boundary)',
      'multipart/related; boundary=b1',
      multipart('b1', ['Content-Type: application/json\r\n\r\n{"name":"t"}'], false) +
        '--b1\r\nContent-Type: text/plain\r\n\r\npartial',
    ],
    [
      'one part only',
      'multipart/related; boundary=b1',
      multipart('b1', ['Content-Type: application/json\r\n\r\n{"name":"t"}']),
    ],
    [
      'metadata not JSON',
      'multipart/related; boundary=b1',
      multipart('b1', ['Content-Type: application/json\r\n\r\n{name:', 'Content-Type: text/plain\r\n\r\nx']),
    ],
    [
      'metadata wrong type',
      'multipart/related; boundary=b1',
      multipart('b1', [
        'Content-Type: application/json\r\n\r\n{"name":"t","contentType":5}',
        'Content-Type: text/plain\r\n\r\nx',
      ]),
    ],
    [
      'part without header break',
      'multipart/related; boundary=b1',
      multipart('b1', ['Content-Type: application/json {}', 'Content-Type: text/plain\r\n\r\nx']),
    ],
    [
      'md5Hash that does not match',
      'multipart/related; boundary=b1',
      multipart('b1', [
        'Content-Type: application/json\r\n\r\n{"name":"t","md5Hash":"AAAAAAAAAAAAAAAAAAAAAA=="}',
        'Content-Type: text/plain\r\n\r\nx',
      ]),
    ],
  ])('multipart upload with %s → 400', async (_label, contentType, body) => {
    const response = await raw(emulator.url, 'POST', '/upload/storage/v1/b/strict/o?uploadType=multipart', body, {
      'content-type': contentType,
    });
    expect(response.status).toBe(400);
    expect(response.json().error).toMatchObject({ code: 400, errors: [{ domain: 'global' }] });
    expect(response.json().error?.message.length).toBeGreaterThan(20);
  });

  it.each([
    ['..', 400],
    ['.', 400],
    ['line\nfeed', 400],
    ['carriage\rreturn', 400],
    ['x'.repeat(1025), 400],
    ['.well-known/acme-challenge/x', 400],
  ])('refuses the object name %j with 400 through the client', async (name, code) => {
    await expect(storage.bucket('strict').file(name).save('x', { resumable: false })).rejects.toMatchObject({ code });
    // The resumable start is refused the same way; the client raises it as a GaxiosError (`.status`).
    await expect(storage.bucket('strict').file(name).save('x', { resumable: true })).rejects.toMatchObject({
      status: code,
    });
  });

  it('accepts legal names with dot segments and control characters GCS allows, storing them verbatim', async () => {
    for (const name of ['a/../b', '../up', 'tab\there', 'bell\u0007']) {
      await storage.bucket('strict').file(name).save(name, { resumable: false });
      expect((await storage.bucket('strict').file(name).download())[0].toString()).toBe(name);
    }
  });

  it.each([
    ['bad percent-encoding in the name', 'GET', '/storage/v1/b/strict/o/%E0%A4%A', 400],
    ['invalid UTF-8 bytes in the name', 'POST', '/upload/storage/v1/b/strict/o?uploadType=media&name=%FF%FE', 400],
    ['unknown uploadType', 'POST', '/upload/storage/v1/b/strict/o?uploadType=chunky&name=x', 400],
    ['missing name', 'POST', '/upload/storage/v1/b/strict/o?uploadType=media', 400],
    ['missing bucket (upload)', 'POST', '/upload/storage/v1/b/no-such-bucket/o?uploadType=media&name=x', 404],
    ['missing bucket (list)', 'GET', '/storage/v1/b/no-such-bucket/o', 404],
    ['bad maxResults', 'GET', '/storage/v1/b/strict/o?maxResults=-3', 400],
    [
      'bad generation precondition',
      'POST',
      '/upload/storage/v1/b/strict/o?uploadType=media&name=x&ifGenerationMatch=abc',
      400,
    ],
    ['not an API path', 'GET', '/nothing/here', 404],
    ['invalid bucket name on insert', 'POST', '/storage/v1/b?project=local', 400],
  ])('%s (%s %s) → %i', async (_label, method, path, status) => {
    const body = path.endsWith('project=local') ? JSON.stringify({ name: 'Bad_Bucket!' }) : 'x';
    const response = await raw(emulator.url, method, path, body, { 'content-type': 'application/json' });
    expect(response.status).toBe(status);
    expect(response.json().error?.code).toBe(status);
  });

  it('answers a missing bucket with the real 404 message through the client', async () => {
    await expect(storage.bucket('no-such-bucket').file('x').save('x', { resumable: false })).rejects.toMatchObject({
      code: 404,
      message: 'The specified bucket does not exist.',
    });
    await expect(storage.bucket('no-such-bucket').getFiles()).rejects.toMatchObject({ code: 404 });
  });

  it('still serves normal requests after all of the above', async () => {
    await storage.bucket('strict').file('ok.txt').save('ok', { resumable: false });
    expect((await storage.bucket('strict').file('ok.txt').download())[0].toString()).toBe('ok');
  });
});

describe('keep-alive', () => {
  let emulator: StorageEmulator;
  beforeAll(async () => {
    ({ emulator } = await startWithClient());
    emulator.createBucket('kept');
  });
  afterAll(() => emulator.stop());

  // A bodyless GET/DELETE has nothing unread, so it must not cost the client its connection:
  // answering each with `connection: close` made every keep-alive client reconnect per request.
  it.each(['GET', 'DELETE'])('keeps the connection open after a bodyless %s', async (method) => {
    const response = await raw(emulator.url, method, '/storage/v1/b/kept/o/none');
    expect(response.status).toBe(404);
    expect(response.headers.connection).not.toBe('close');
  });

  it('still closes the connection when a body it will not read is on its way', async () => {
    const response = await raw(emulator.url, 'GET', '/storage/v1/b/kept/o/none', 'x'.repeat(1 << 20));
    expect(response.status).toBe(404);
    expect(response.headers.connection).toBe('close');
  });
});
