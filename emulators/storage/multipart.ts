import { badRequest } from './errors';

/** One part of a `multipart/related` upload body. */
export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Splits a `multipart/related` body (metadata JSON part, then media part) as sent to
 * `uploadType=multipart`. Hand-written: it is ~40 lines over a Buffer, and the usual npm parsers
 * handle `multipart/form-data` only.
 * @see https://cloud.google.com/storage/docs/uploading-objects#uploading-an-object (multipart upload)
 */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (!contentType?.toLowerCase().startsWith('multipart/') || !boundary) {
    throw badRequest(
      `Invalid multipart upload: Content-Type ${JSON.stringify(contentType ?? '')} must be multipart/related with a boundary.`,
    );
  }
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw badRequest('Invalid multipart upload: the body does not contain the boundary from Content-Type.');
  for (;;) {
    at += delimiter.length;
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts; // closing "--boundary--"
    const next = body.indexOf(delimiter, at);
    if (next < 0)
      throw badRequest('Invalid multipart upload: the body ends before the closing boundary (truncated upload?).');
    parts.push(parsePart(body.subarray(skipLineBreak(body, at), stripTrailingBreak(body, next))));
    at = next;
  }
}

function parsePart(raw: Buffer): MultipartPart {
  if (raw[0] === 0x0d && raw[1] === 0x0a) return { headers: {}, body: raw.subarray(2) };
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0)
    throw badRequest('Invalid multipart upload: a part has no blank line between its headers and its body.');
  const headers: Record<string, string> = {};
  for (const line of raw.subarray(0, split).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(split + 4) };
}

function skipLineBreak(body: Buffer, at: number): number {
  return body[at] === 0x0d && body[at + 1] === 0x0a ? at + 2 : at;
}

function stripTrailingBreak(body: Buffer, end: number): number {
  return body[end - 2] === 0x0d && body[end - 1] === 0x0a ? end - 2 : end;
}
