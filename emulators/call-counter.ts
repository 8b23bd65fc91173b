import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { route } from './storage/router';

/**
 * JSON API calls the Storage emulator received, by method name (`objects.list`, `objects.insert`,
 * ...); calls that follow a `pageToken` are also counted under `<method>:next-page`, so one listing
 * (its first page) can be told from the pages it takes.
 */
export interface StorageCallCounter {
  counts(): Record<string, number>;
  reset(): void;
  close(): void;
}

/**
 * Counts calls to the Storage emulator on `port` from Node's own `http.server.request.start`
 * diagnostics channel: nothing in the emulator or the client changes, so the count is what was
 * really sent over the wire by any process-local client. Method names are the router's.
 * @see https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#http
 */
export function countStorageCalls(port: number): StorageCallCounter {
  let counts: Record<string, number> = {};
  const onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.socket.localPort !== port) return;
    const raw = request.url ?? '/';
    const queryAt = raw.indexOf('?');
    const method = route(request.method ?? 'GET', queryAt < 0 ? raw : raw.slice(0, queryAt))?.method ?? 'unrouted';
    counts[method] = (counts[method] ?? 0) + 1;
    if (queryAt >= 0 && /[?&]pageToken=/.test(raw.slice(queryAt)))
      counts[`${method}:next-page`] = (counts[`${method}:next-page`] ?? 0) + 1;
  };
  subscribe('http.server.request.start', onRequest);
  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
    close: () => unsubscribe('http.server.request.start', onRequest),
  };
}
