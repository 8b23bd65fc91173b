import type { ServerResponse } from 'node:http';

/** How often the state is read while a page listens: `ferry status --watch`'s rate. */
export const CHANGE_POLL_MS = 1000;
/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
export const PING_MS = 15_000;

export interface ChangeFeed {
  /** Streams `event: change` to this response until the client goes away. */
  subscribe(response: ServerResponse): void;
  close(): void;
}

/**
 * Server-sent events: reads `fingerprint()` (the overview without its timestamp) every
 * `pollMs` while at least one client listens, and sends `event: change` when it differs from the
 * last read. Reads stop when the last client leaves. A read that fails is skipped: the next tick
 * tries again (the stack restarting).
 */
export function changeFeed(fingerprint: () => Promise<string>, pollMs = CHANGE_POLL_MS, pingMs = PING_MS): ChangeFeed {
  const clients = new Set<ServerResponse>();
  let last: string | undefined;
  let poll: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  let reading = false;

  const send = (text: string) => {
    for (const client of clients) client.write(text);
  };
  const tick = async () => {
    if (reading) return;
    reading = true;
    try {
      const now = await fingerprint();
      if (last !== undefined && now !== last)
        send(`event: change\ndata: ${JSON.stringify({ at: new Date().toISOString() })}\n\n`);
      last = now;
    } catch {
      // Unavailable for a moment: the next tick reads again.
    } finally {
      reading = false;
    }
  };
  const stop = () => {
    clearInterval(poll);
    clearInterval(ping);
    poll = ping = undefined;
  };
  return {
    subscribe(response) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      response.write(': connected\n\n');
      clients.add(response);
      response.on('close', () => {
        clients.delete(response);
        if (clients.size === 0) stop();
      });
      if (!poll) {
        void tick();
        poll = setInterval(() => void tick(), pollMs);
        ping = setInterval(() => send(': ping\n\n'), pingMs);
      }
    },
    close() {
      stop();
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
