import { objectResource, parseJsonBody, readObjectFields } from '../../../../emulators/storage/resources';
import type { StoredObject } from '../../../../emulators/storage/types';

describe('objectResource', () => {
  it('renders numbers GCS sends as strings, links with the encoded name, and custom metadata', () => {
    const stored: StoredObject = {
      bucket: 'bkt',
      name: 'a/b c',
      generation: 1700000000000001,
      metageneration: 2,
      data: Buffer.from('xyz'),
      md5Hash: 'm',
      crc32c: 'c',
      timeCreated: 't0',
      updated: 't1',
      fields: { contentType: 'text/plain', metadata: { k: 'v' } },
    };
    const resource = objectResource(stored, 'http://127.0.0.1:9');
    expect(resource).toMatchObject({
      kind: 'storage#object',
      id: 'bkt/a/b c/1700000000000001',
      generation: '1700000000000001',
      metageneration: '2',
      size: '3',
      contentType: 'text/plain',
      metadata: { k: 'v' },
      selfLink: 'http://127.0.0.1:9/storage/v1/b/bkt/o/a%2Fb%20c',
      mediaLink: 'http://127.0.0.1:9/download/storage/v1/b/bkt/o/a%2Fb%20c?generation=1700000000000001&alt=media',
    });
    expect(objectResource({ ...stored, metageneration: 3 }, 'http://x').etag).not.toBe(resource.etag);
  });
});

describe('parseJsonBody and readObjectFields', () => {
  it('reads writable fields, stringifies scalar metadata and keeps nulls as removals', () => {
    const body = parseJsonBody(
      Buffer.from(
        '{"name":"x","contentType":"a/b","cacheControl":null,"metadata":{"n":1,"b":true,"gone":null},"size":"5"}',
      ),
      'body',
    );
    expect(readObjectFields(body, 'body')).toEqual({
      contentType: 'a/b',
      cacheControl: null,
      metadata: { n: '1', b: 'true', gone: null },
    });
    expect(parseJsonBody(Buffer.alloc(0), 'body')).toEqual({});
  });

  it.each([
    ['{', /Invalid JSON in the body/],
    ['[1]', /expected a JSON object/],
    ['"s"', /expected a JSON object/],
    ['null', /expected a JSON object/],
  ])('rejects the body %j with 400', (text, message) => {
    expect(() => parseJsonBody(Buffer.from(text), 'the body')).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });

  it.each([
    [{ contentType: 5 }, /contentType must be a string/],
    [{ metadata: [1] }, /metadata must be an object/],
    [{ metadata: 'x' }, /metadata must be an object/],
    [{ metadata: { deep: { x: 1 } } }, /metadata\.deep must be a string/],
  ])('rejects the fields %j with 400', (body, message) => {
    expect(() => readObjectFields(body, 'the resource')).toThrow(
      expect.objectContaining({ status: 400, message: expect.stringMatching(message) }),
    );
  });
});
