import { createHash } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';

/**
 * `md5Hash` and `crc32c` as GCS reports them: base64 of the big-endian digest. CRC32C comes from
 * the storage client's own implementation, the same one that validates our answers.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects#resource
 */
export interface ObjectHashes {
  md5Hash: string;
  crc32c: string;
}

export function hashBytes(data: Uint8Array): ObjectHashes {
  const crc = new CRC32C();
  crc.update(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return { md5Hash: createHash('md5').update(data).digest('base64'), crc32c: crc.toString() };
}

/**
 * Parses an `X-Goog-Hash: crc32c=...,md5=...` header into its parts (unknown keys ignored).
 * @see https://cloud.google.com/storage/docs/xml-api/reference-headers#xgooghash
 */
export function parseGoogHash(header: string | undefined): Partial<ObjectHashes> {
  const out: Partial<ObjectHashes> = {};
  if (!header) return out;
  for (const pair of header.split(',')) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const key = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1).trim();
    if (key === 'crc32c') out.crc32c = value;
    else if (key === 'md5') out.md5Hash = value;
  }
  return out;
}
