import { badRequest } from './errors';
import { multipartBoundary } from './multipart-boundary';

/** One part of a `multipart/related` upload body. */
export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;

/** A delimiter line found in the body: where it starts, where the next part's bytes start, and whether it closes. */
interface Delimiter {
  at: number;
  next: number;
  close: boolean;
}

/**
 * Splits a `multipart/related` body (metadata JSON part, then media part) as sent to
 * `uploadType=multipart`. Line breaks may be CRLF (RFC 2046, the Node client) or bare LF (Python's
 * email generator, so apitools: gcloud and gsutil); a delimiter counts only at the start of a line
 * and followed by a line break or `--`, so media bytes that merely contain the boundary are data.
 * Hand-written: the usual npm parsers handle `multipart/form-data` with CRLF only.
 * @see https://cloud.google.com/storage/docs/uploading-objects#uploading-an-object (multipart upload)
 * @see https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundary = multipartBoundary(contentType);
  const dashed = Buffer.from(`--${boundary}`, 'latin1');
  let delimiter = findDelimiter(body, dashed, 0);
  if (!delimiter) {
    throw badRequest(
      `Invalid multipart upload: the body does not contain the boundary ${JSON.stringify(boundary)} from Content-Type at the start of a line.`,
    );
  }
  // The first delimiter line sets the style: a media part ending in CR must keep it under LF.
  const crlf = delimiter.next >= 2 && body[delimiter.next - 2] === CR;
  const parts: MultipartPart[] = [];
  while (!delimiter.close) {
    const start = delimiter.next;
    const following = findDelimiter(body, dashed, start);
    if (!following) {
      throw badRequest(
        `Invalid multipart upload: the body ends before the closing boundary ${JSON.stringify(`--${boundary}--`)} (truncated upload?).`,
      );
    }
    // The line break before a delimiter belongs to the delimiter, not to the part (RFC 2046).
    let end = following.at - 1;
    if (crlf && end > start && body[end - 1] === CR) end -= 1;
    parts.push(parsePart(body.subarray(start, Math.max(start, end))));
    delimiter = following;
  }
  return parts;
}

/** The first delimiter line at or after `from`. */
function findDelimiter(body: Buffer, dashed: Buffer, from: number): Delimiter | undefined {
  for (let at = body.indexOf(dashed, from); at >= 0; at = body.indexOf(dashed, at + 1)) {
    if (at > 0 && body[at - 1] !== LF) continue; // not at the start of a line: media bytes
    let i = at + dashed.length;
    if (body[i] === DASH && body[i + 1] === DASH) return { at, next: body.length, close: true };
    while (body[i] === 0x20 || body[i] === 0x09) i += 1; // transport padding
    if (body[i] === CR && body[i + 1] === LF) return { at, next: i + 2, close: false };
    if (body[i] === LF) return { at, next: i + 1, close: false };
  }
  return undefined;
}

function parsePart(raw: Buffer): MultipartPart {
  if (raw[0] === LF) return { headers: {}, body: raw.subarray(1) };
  if (raw[0] === CR && raw[1] === LF) return { headers: {}, body: raw.subarray(2) };
  const crlf = raw.indexOf('\n\r\n');
  const lf = raw.indexOf('\n\n');
  const split = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, size: 3 } : { at: lf, size: 2 };
  if (split.at < 0)
    throw badRequest('Invalid multipart upload: a part has no blank line between its headers and its body.');
  const headers: Record<string, string> = {};
  let last: string | undefined;
  for (const line of raw.subarray(0, split.at).toString('latin1').split(/\r?\n/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      headers[last] += ` ${line.trim()}`; // a folded header line continues the previous one
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw badRequest(`Invalid multipart upload: part header line ${JSON.stringify(line)} has no name.`);
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(split.at + split.size) };
}
