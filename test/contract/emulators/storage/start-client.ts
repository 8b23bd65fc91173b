import { request } from 'node:http';
import { Storage } from '@google-cloud/storage';
import type { StorageOptions } from '@google-cloud/storage';
import { startStorageEmulator } from '../../../../emulators/storage/storage-emulator';
import type { StorageEmulator, StorageEmulatorOptions } from '../../../../emulators/storage/storage-emulator';

/**
 * Short client retries. The client waits multiplier^n s (+ up to 1 s jitter) capped by
 * maxRetryDelay (in seconds); below 1 it breaks `file.save` ("minTimeout is greater than
 * maxTimeout": async-retry's minTimeout is 1000 ms), so 1 s is the floor.
 */
export const FAST_RETRIES: StorageOptions['retryOptions'] = { maxRetryDelay: 1, maxRetries: 3 };

/** An emulator and an unmodified Storage client pointed at it through `apiEndpoint`. */
export async function startWithClient(
  options: StorageEmulatorOptions = {},
  clientOptions: StorageOptions = {},
): Promise<{ emulator: StorageEmulator; storage: Storage }> {
  const emulator = await startStorageEmulator(options);
  const storage = new Storage({
    apiEndpoint: emulator.url,
    projectId: 'local',
    retryOptions: FAST_RETRIES,
    ...clientOptions,
  });
  return { emulator, storage };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): { error?: { code: number; message: string; errors: Array<{ reason: string; message: string }> } } & Record<
    string,
    unknown
  >;
}

/** A plain HTTP exchange, for inputs the official client would never send. */
export function raw(
  baseUrl: string,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // Node frames a GET/DELETE body only when told its length; unframed, it reads as the next request.
    const framed =
      body === undefined || headers['content-length']
        ? headers
        : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const req = request(`${baseUrl}${path}`, { method, headers: framed }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: data,
          json: () => JSON.parse(data.toString('utf8')),
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
