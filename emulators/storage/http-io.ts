import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyWithin } from '../http-body';
import { GcsHttpError } from './errors';

/** Reads a request body up to `limit` bytes (emulators/http-body.ts); a larger one is 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const body = await readBodyWithin(req, limit);
  if (body === undefined) throw tooLarge(limit);
  return body;
}

function tooLarge(limit: number): GcsHttpError {
  return new GcsHttpError(
    413,
    'uploadTooLarge',
    `The request body is larger than this emulator's limit of ${limit} bytes (option maxObjectBytes).`,
  );
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: GcsHttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, error.toBody());
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': '0', ...headers });
  res.end();
}
