import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedMessage {
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
}

/** Every message pushed to it, once per message id (push delivery is at least once). */
export interface MessageRecorder {
  url: string;
  messages(): RecordedMessage[];
  stop(): Promise<void>;
}

/**
 * A push endpoint that keeps what Pub/Sub delivers to it (the plain push JSON envelope), so the local stack can list everything that reached `ferry.dead-letter`:
 * the messages a dead-letter policy forwarded and those the functions published there themselves.
 */
export async function startMessageRecorder(): Promise<MessageRecorder> {
  const seen = new Map<string, RecordedMessage>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          message?: { messageId?: string; data?: string; attributes?: Record<string, string> };
        };
        const message = body.message;
        if (message?.messageId && !seen.has(message.messageId)) {
          seen.set(message.messageId, {
            messageId: message.messageId,
            data: Buffer.from(message.data ?? '', 'base64'),
            attributes: message.attributes ?? {},
          });
        }
        res.writeHead(204).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    messages: () => [...seen.values()],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
