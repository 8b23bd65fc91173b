import { hashBytes, parseGoogHash } from '../../../../emulators/storage/hashes';

describe('hashBytes', () => {
  it.each([
    ['', '1B2M2Y8AsgTpgAmY7PhCfg==', 'AAAAAA=='],
    // CRC-32C check value of "123456789" is 0xE3069283 (RFC 3720 B.4), sent big-endian.
    ['123456789', 'JfnnlDI7RTiF9RgfG2JNCw==', Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64')],
  ])('hashes %j as GCS reports it', (text, md5Hash, crc32c) => {
    expect(hashBytes(Buffer.from(text))).toEqual({ md5Hash, crc32c });
  });

  it('hashes a view into a larger buffer by its own bytes only', () => {
    const backing = Buffer.from('xx123456789yy');
    expect(hashBytes(backing.subarray(2, 11))).toEqual(hashBytes(Buffer.from('123456789')));
  });
});

describe('parseGoogHash', () => {
  it.each([
    ['crc32c=AAAAAA==,md5=1B2M2Y8AsgTpgAmY7PhCfg==', { crc32c: 'AAAAAA==', md5Hash: '1B2M2Y8AsgTpgAmY7PhCfg==' }],
    ['md5=abc=', { md5Hash: 'abc=' }],
    ['CRC32C=x, other=y', { crc32c: 'x' }],
    ['garbage', {}],
    [undefined, {}],
  ])('%j → %j', (header, expected) => {
    expect(parseGoogHash(header)).toEqual(expected);
  });
});
