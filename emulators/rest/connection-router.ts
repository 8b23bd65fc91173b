import net from 'node:net';

/** What every HTTP/2 client sends first (RFC 9113 §3.4); gRPC is HTTP/2 with prior knowledge. */
export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface ConnectionRoutes {
  /** Connections that opened with the HTTP/2 preface (gRPC clients). */
  http2(socket: net.Socket): void;
  /** Everything else (HTTP/1.1 REST clients such as gcloud). */
  http1(socket: net.Socket): void;
}

/**
 * Decides from a connection's first bytes which protocol it speaks: `http2` as soon as the bytes
 * read so far are the whole 24-byte preface, `http1` as soon as one byte differs; a peer that ends
 * inside the preface is closed. The bytes read are put back
 * (`unshift`) before the socket is handed on, so the chosen server sees the stream from byte 0.
 */
export function routeConnection(socket: net.Socket, routes: ConnectionRoutes): void {
  let seen = Buffer.alloc(0);
  const handOver = (to: 'http2' | 'http1'): void => {
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onError);
    socket.pause();
    if (seen.length > 0) socket.unshift(seen);
    routes[to](socket);
  };
  const onData = (chunk: Buffer): void => {
    seen = Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, HTTP2_PREFACE.length);
    if (!seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n))) handOver('http1');
    else if (n === HTTP2_PREFACE.length) handOver('http2');
  };
  // Ended inside the preface: neither protocol can answer it (and a stream cannot be unshifted after its end).
  const onEnd = (): void => {
    socket.destroy();
  };
  // A peer that resets before it said anything routable is nobody's business.
  const onError = (): void => {
    socket.destroy();
  };
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
}

/** A TCP server on `host:port` that routes each connection with `routeConnection`. */
export async function listenRouted(host: string, port: number, routes: ConnectionRoutes): Promise<net.Server> {
  const server = net.createServer((socket) => routeConnection(socket, routes));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  return server;
}
