import type { IncomingMessage, ServerResponse } from 'node:http';
import { RestError } from './rest-error';

/** Request bodies above this are refused before they are buffered (a model request is a few hundred bytes). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the body, refusing oversized ones without buffering them. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(new RestError('INVALID_ARGUMENT', `request body: ${declared} bytes; at most ${limit} are accepted`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reject(
          new RestError('INVALID_ARGUMENT', `request body: more than ${limit} bytes; at most ${limit} are accepted`),
        );
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
