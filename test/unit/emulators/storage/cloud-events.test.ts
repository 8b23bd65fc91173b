import { binaryModeRequest, storageEvent, STORAGE_EVENT_TYPES } from '../../../../emulators/storage/cloud-events';
import type { ObjectResource } from '../../../../emulators/storage/types';

const OBJECT: ObjectResource = {
  kind: 'storage#object',
  id: 'artifacts/models/日本 %/1/1700000000000000',
  selfLink: 'x',
  mediaLink: 'y',
  name: 'models/日本 %/1',
  bucket: 'artifacts',
  generation: '1700000000000000',
  metageneration: '1',
  contentType: 'application/octet-stream',
  storageClass: 'STANDARD',
  size: '0',
  md5Hash: '1B2M2Y8AsgTpgAmY7PhCfg==',
  crc32c: 'AAAAAA==',
  etag: 'e',
  timeCreated: '2026-01-01T00:00:00.000Z',
  updated: '2026-01-01T00:00:00.000Z',
  timeStorageClassUpdated: '2026-01-01T00:00:00.000Z',
};

describe('storageEvent', () => {
  it.each(Object.entries(STORAGE_EVENT_TYPES))('builds a %s event about the object', (kind, type) => {
    const event = storageEvent(kind as keyof typeof STORAGE_EVENT_TYPES, OBJECT);
    expect(event).toMatchObject({
      specversion: '1.0',
      type,
      source: '//storage.googleapis.com/projects/_/buckets/artifacts',
      subject: 'objects/models/日本 %/1',
      datacontenttype: 'application/json',
      data: OBJECT,
    });
    expect(Number.isNaN(Date.parse(event.time))).toBe(false);
  });

  it('uses the object update time for finalize and a fresh id per event', () => {
    const a = storageEvent('finalized', OBJECT);
    const b = storageEvent('finalized', OBJECT);
    expect(a.time).toBe(OBJECT.updated);
    expect(a.id).not.toBe(b.id);
  });
});

describe('binaryModeRequest', () => {
  it('puts attributes in ce-* headers (percent-encoding non-ASCII) and data in the body', () => {
    const event = storageEvent('finalized', OBJECT);
    const { headers, body } = binaryModeRequest(event);
    expect(headers).toMatchObject({
      'ce-id': event.id,
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.storage.object.v1.finalized',
      'ce-subject': 'objects/models/%E6%97%A5%E6%9C%AC %25/1',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(decodeURIComponent(headers['ce-subject'])).toBe(event.subject);
    expect(JSON.parse(body)).toEqual(OBJECT);
  });
});
