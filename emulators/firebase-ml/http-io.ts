import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBodyWithin } from '../http-body';
import { RestError } from './rest-error';

/** Request bodies above this are refused before they are buffered (a model request is a few hundred bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the body, refusing oversized ones without buffering them (emulators/http-body.ts). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = await readBodyWithin(req, limit);
  if (body !== undefined) return body.toString('utf8');
  const size = declared > limit ? `${declared} bytes` : `more than ${limit} bytes`;
  throw new RestError('INVALID_ARGUMENT', `request body: ${size}; at most ${limit} are accepted`);
}

/** Parses a JSON object body; anything else is INVALID_ARGUMENT naming what was wrong. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RestError('INVALID_ARGUMENT', `${what}: invalid JSON payload received (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RestError('INVALID_ARGUMENT', `${what}: the body must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const rest =
    error instanceof RestError
      ? error
      : new RestError('INTERNAL', `emulator error: ${(error as Error)?.message ?? String(error)}`);
  sendJson(res, rest.httpStatus, rest.toJSON());
}
