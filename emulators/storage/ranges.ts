import { GcsHttpError, badRequest } from './errors';

/**
 * What a resumable-upload PUT says about itself in `Content-Range`: a status query (`bytes *\/*`,
 * `bytes *\/N`) or a chunk (`bytes A-B/N`, `bytes A-B/*`, and the client's streaming form
 * `bytes A-*\/N|*`, where the end is wherever the body stops).
 * @see https://cloud.google.com/storage/docs/performing-resumable-uploads#chunked-upload
 */
export type UploadRange =
  { kind: 'query'; total?: number } | { kind: 'chunk'; start: number; end?: number; total?: number };

const CONTENT_RANGE = /^bytes (?:(\*)|(\d+)-(\d+|\*))\/(\d+|\*)$/;

export function parseContentRange(header: string | undefined, maxBytes: number): UploadRange {
  if (header === undefined) return { kind: 'chunk', start: 0 };
  const match = CONTENT_RANGE.exec(header.trim());
  if (!match) {
    throw badRequest(
      `Invalid Content-Range ${JSON.stringify(header)}: expected "bytes A-B/N", "bytes A-B/*" or "bytes */N".`,
    );
  }
  const total = match[4] === '*' ? undefined : toSafeInt(match[4], header);
  if (total !== undefined && total > maxBytes) {
    throw new GcsHttpError(
      413,
      'uploadTooLarge',
      `Content-Range total ${total} exceeds this emulator's limit of ${maxBytes} bytes per object.`,
    );
  }
  if (match[1] === '*') return { kind: 'query', total };
  const start = toSafeInt(match[2], header);
  const end = match[3] === '*' ? undefined : toSafeInt(match[3], header);
  if (end !== undefined && end < start)
    throw badRequest(`Invalid Content-Range ${JSON.stringify(header)}: the last byte is before the first.`);
  if (total !== undefined && end !== undefined && end >= total) {
    throw badRequest(`Invalid Content-Range ${JSON.stringify(header)}: the last byte is beyond the total size.`);
  }
  return { kind: 'chunk', start, end, total };
}

/** A satisfiable byte range of an object, inclusive at both ends. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a download `Range: bytes=A-B | A- | -N` header. Returns undefined for no header (or one
 * this server ignores, as GCS does for multi-range); throws 416 when nothing can be served.
 * @see https://cloud.google.com/storage/docs/json_api/v1/objects/get
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw unsatisfiable();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (size === 0) return undefined;
  if (start >= size) throw unsatisfiable();
  return { start, end };
}

function unsatisfiable(): GcsHttpError {
  return new GcsHttpError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.');
}

function toSafeInt(digits: string, header: string): number {
  const value = Number(digits);
  if (!Number.isSafeInteger(value))
    throw badRequest(`Invalid Content-Range ${JSON.stringify(header)}: ${digits} is too large.`);
  return value;
}
