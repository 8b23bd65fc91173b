import {
  parseStorageObjectData,
  StorageEventError,
  unsafeNameReason,
} from '../../../../functions/pipeline/storage-event';

const good = {
  bucket: 'artifacts',
  name: 'models/f/7/saved_model.pb',
  generation: '1700000000000001',
  metageneration: '1',
  size: '12107',
  contentType: 'application/octet-stream',
};

describe('parseStorageObjectData', () => {
  it('reads the real payload, numbers as strings', () => {
    expect(parseStorageObjectData(good)).toMatchObject({
      bucket: 'artifacts',
      generation: '1700000000000001',
      size: '12107',
    });
  });

  it.each([
    ['not an object', 'x', /data is not a JSON object/],
    ['an array', [good], /data is not a JSON object/],
    ['a missing name', { ...good, name: undefined }, /"name" must be a string/],
    ['an empty bucket', { ...good, bucket: '' }, /"bucket" must be a string/],
    ['a numeric generation (wrong type)', { ...good, generation: 1700000000000001 }, /"generation" must be a string/],
    ['a negative size', { ...good, size: '-1' }, /"size" must be a decimal string/],
    ['a non-string content type', { ...good, contentType: 5 }, /"contentType" must be a string/],
  ])('refuses %s', (_name, data, message) => {
    expect(() => parseStorageObjectData(data)).toThrow(StorageEventError);
    expect(() => parseStorageObjectData(data)).toThrow(message);
  });
});

describe('unsafeNameReason', () => {
  it.each([
    ['models/f/7/saved_model.pb', undefined],
    ['models/flöwers/7/saved_model.pb', undefined],
    ['models/f/../7/x', /"\." or "\.\." segments/],
    ['models/f/./x', /segments/],
    ['models/f/\u0007/x', /control characters/],
    ['models/f/7/x\n', /control characters/],
    ['/models/f', /starts with "\/"/],
    ['m/'.repeat(600), /longer than 1024 bytes/],
  ])('%j', (name, reason) => {
    const found = unsafeNameReason(name);
    if (reason === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(reason);
  });
});
