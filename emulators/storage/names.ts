import { badRequest } from './errors';

/**
 * Object and bucket name rules as GCS enforces them: objects are 1–1024 bytes of valid UTF-8,
 * without CR or LF, and not `.`, `..` or under `.well-known/acme-challenge/`. A name such as
 * `a/../b` is legal in GCS and stays legal here; the emulator never uses names as file paths.
 * @see https://cloud.google.com/storage/docs/objects#naming
 * @see https://cloud.google.com/storage/docs/buckets#naming
 */
export function checkObjectName(name: string | undefined, field = 'name'): string {
  if (name === undefined || name === '')
    throw badRequest(`Required ${field}: give the object name (1–1024 bytes of UTF-8).`);
  if (name.includes('\uFFFD') || /[\uD800-\uDFFF]/u.test(name))
    throw badRequest(`Invalid ${field} ${JSON.stringify(name)}: it is not valid UTF-8; percent-encode UTF-8 bytes.`);
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > 1024) throw badRequest(`Invalid ${field}: ${bytes} bytes long, the limit is 1024 bytes of UTF-8.`);
  if (/[\r\n]/.test(name))
    throw badRequest(
      `Invalid ${field} ${JSON.stringify(name)}: carriage return and line feed are not allowed in object names.`,
    );
  if (name === '.' || name === '..')
    throw badRequest(`Invalid ${field} ${JSON.stringify(name)}: object names cannot be "." or "..".`);
  if (name.startsWith('.well-known/acme-challenge/'))
    throw badRequest(`Invalid ${field} ${JSON.stringify(name)}: names under .well-known/acme-challenge/ are reserved.`);
  return name;
}

const BUCKET_PART = /^[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;

export function checkBucketName(name: string | undefined): string {
  if (name === undefined || name === '')
    throw badRequest('Required bucket name: give a name of 3–63 lowercase letters, digits, "-", "_" or ".".');
  const parts = name.split('.');
  const valid =
    name.length >= 3 &&
    name.length <= 222 &&
    (parts.length === 1 ? name.length <= 63 : true) &&
    parts.every((part) => BUCKET_PART.test(part)) &&
    !name.startsWith('goog') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name);
  if (!valid) {
    throw badRequest(
      `Invalid bucket name ${JSON.stringify(name)}: use 3–63 lowercase letters, digits, "-" or "_" (dotted names up to 222), starting and ending with a letter or digit, not starting with "goog".`,
    );
  }
  return name;
}

/** Decodes one percent-encoded path segment; a malformed escape is the caller's 400, not a crash. */
export function decodeSegment(segment: string, field: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Invalid ${field} in the URL: ${JSON.stringify(segment)} is not valid percent-encoded UTF-8.`);
  }
}
