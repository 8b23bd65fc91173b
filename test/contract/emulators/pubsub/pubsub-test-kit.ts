import http from 'node:http';
import { AddressInfo } from 'node:net';
import { PubSub } from '@google-cloud/pubsub';
import { PubSubEmulator, PubSubEmulatorOptions, startPubSubEmulator } from '../../../../emulators/pubsub';

export const PROJECT = 'ferry-test';

export interface Harness {
  emulator: PubSubEmulator;
  pubsub: PubSub;
  close(): Promise<void>;
}

/** The emulator and an unmodified client pointed at it the way the docs say (`apiEndpoint`). */
export async function startHarness(options: PubSubEmulatorOptions = {}): Promise<Harness> {
  const emulator = await startPubSubEmulator({ timeScale: 0.001, ...options });
  const pubsub = new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT });
  return {
    emulator,
    pubsub,
    close: async () => {
      await pubsub.close();
      await emulator.stop();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false) or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface PushCall {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP endpoint that records every push and answers with `status(callIndex)`. */
export async function startPushTarget(status: (index: number) => number = () => 204) {
  const calls: PushCall[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = calls.length;
      calls.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status(index);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/push`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
