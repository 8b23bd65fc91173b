import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `limit` bytes, for every emulator's HTTP server. Resolves
 * undefined when it is larger: a declared Content-Length over the limit is refused before
 * anything is buffered, and a body that grows past it is cut off. The rest is drained, not left
 * paused, so the answer (each emulator's own "too large" error) reaches the client.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('client aborted the request')));
  });
}
