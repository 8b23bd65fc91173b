import { badRequest } from './errors';

/** RFC 2046 §5.1.1: a boundary is 1 to 70 of these characters and does not end with a space. */
const BCHARS = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * Reads the boundary of a `multipart/*` Content-Type. Accepted forms:
 * - a bare token (`boundary=abc`), what the Node client sends;
 * - a quoted string (`boundary="a b"`, RFC 2045 §5.1, backslash escapes honoured);
 * - single quotes (`boundary='===…=='`): apitools (gcloud, gsutil) formats it with Python's `%r`,
 *   and real GCS accepts that, so the emulator must too.
 * Anything else (no boundary, two of them, an unclosed quote, illegal characters) is a 400 that
 * says which.
 * @see https://www.rfc-editor.org/rfc/rfc2046#section-5.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7578#section-4.1
 */
export function multipartBoundary(contentType: string | undefined): string {
  const shown = JSON.stringify(contentType ?? '');
  const semicolon = (contentType ?? '').indexOf(';');
  const mediaType = (semicolon < 0 ? (contentType ?? '') : contentType!.slice(0, semicolon)).trim().toLowerCase();
  if (!mediaType.startsWith('multipart/')) {
    throw badRequest(`Invalid multipart upload: Content-Type ${shown} must be multipart/related with a boundary.`);
  }
  const found = readParameters(contentType!.slice(semicolon < 0 ? contentType!.length : semicolon + 1), shown).filter(
    ([name]) => name === 'boundary',
  );
  if (found.length === 0)
    throw badRequest(`Invalid multipart upload: Content-Type ${shown} has no boundary parameter.`);
  if (found.length > 1)
    throw badRequest(
      `Invalid multipart upload: Content-Type ${shown} has ${found.length} boundary parameters; send one.`,
    );
  const boundary = found[0][1];
  if (!BCHARS.test(boundary)) {
    throw badRequest(
      `Invalid multipart upload: boundary ${JSON.stringify(boundary)} is not 1 to 70 legal characters (RFC 2046 §5.1.1).`,
    );
  }
  return boundary;
}

/** `; name=value` pairs after the media type; names lower-cased, quotes removed. */
function readParameters(text: string, shown: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let at = 0;
  while (at < text.length) {
    const eq = text.indexOf('=', at);
    if (eq < 0) {
      if (text.slice(at).replace(/[;\s]/g, '') !== '')
        throw badRequest(`Invalid multipart upload: Content-Type ${shown} has a parameter without a value.`);
      break;
    }
    const name = text
      .slice(at, eq)
      .replace(/^[;\s]+/, '')
      .trim()
      .toLowerCase();
    const [value, end] = readValue(text, eq + 1, shown);
    out.push([name, value]);
    at = end;
  }
  return out;
}

/** One parameter value starting at `at`, and where the text after it (and its `;`) begins. */
function readValue(text: string, at: number, shown: string): [string, number] {
  while (text[at] === ' ' || text[at] === '\t') at += 1;
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    let value = '';
    for (let i = at + 1; i < text.length; i += 1) {
      // Backslash escapes exist in RFC quoted strings only; Python's repr never needs one here.
      if (text[i] === '\\' && quote === '"' && i + 1 < text.length) value += text[++i];
      else if (text[i] === quote) return [value, skipToNext(text, i + 1, shown)];
      else value += text[i];
    }
    throw badRequest(`Invalid multipart upload: Content-Type ${shown} has an unclosed ${quote} quote.`);
  }
  const end = text.indexOf(';', at);
  const value = (end < 0 ? text.slice(at) : text.slice(at, end)).trim();
  return [value, end < 0 ? text.length : end + 1];
}

function skipToNext(text: string, at: number, shown: string): number {
  const end = text.indexOf(';', at);
  const between = (end < 0 ? text.slice(at) : text.slice(at, end)).trim();
  if (between !== '')
    throw badRequest(`Invalid multipart upload: Content-Type ${shown} has text after a quoted parameter value.`);
  return end < 0 ? text.length : end + 1;
}
