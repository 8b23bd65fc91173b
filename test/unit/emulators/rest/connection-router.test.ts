import net from 'node:net';
import { AddressInfo } from 'node:net';
import { HTTP2_PREFACE, listenRouted } from '../../../../emulators/rest/connection-router';

/** Which route a connection took and every byte that route read, from the first one. */
async function route(chunks: Buffer[], end = false): Promise<{ to: string; bytes: Buffer }> {
  let settle!: (v: { to: string; bytes: Buffer }) => void;
  const result = new Promise<{ to: string; bytes: Buffer }>((resolve) => (settle = resolve));
  const expected = Buffer.concat(chunks).length;
  const take = (to: string) => (socket: net.Socket) => {
    const got: Buffer[] = [];
    const done = () => settle({ to, bytes: Buffer.concat(got) });
    socket.on('data', (c: Buffer) => {
      got.push(c);
      if (Buffer.concat(got).length >= expected) done();
    });
    socket.on('end', done);
    socket.resume();
  };
  const server = await listenRouted('127.0.0.1', 0, { http2: take('http2'), http1: take('http1') });
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  await new Promise((resolve) => client.once('connect', resolve));
  for (const chunk of chunks) {
    await new Promise((resolve) => client.write(chunk, resolve));
  }
  if (end) client.end();
  const out = await result;
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  return out;
}

describe('connection router (one port for gRPC and REST)', () => {
  const http1 = Buffer.from('GET /v1/projects/p/topics HTTP/1.1\r\nHost: x\r\n\r\n');

  it.each([
    ['an HTTP/1.1 request', [http1], 'http1'],
    ['the HTTP/2 preface in one chunk', [Buffer.concat([HTTP2_PREFACE, Buffer.from('frames')])], 'http2'],
    ['the preface split across chunks', [HTTP2_PREFACE.subarray(0, 5), HTTP2_PREFACE.subarray(5)], 'http2'],
    [
      'a request starting like the preface (PUT)',
      [Buffer.from('PU'), Buffer.from('T /v1/x HTTP/1.1\r\n\r\n')],
      'http1',
    ],
  ])('routes %s and hands over every byte', async (_name, chunks, to) => {
    const out = await route(chunks as Buffer[]);
    expect(out.to).toBe(to);
    expect(out.bytes.equals(Buffer.concat(chunks as Buffer[]))).toBe(true);
  });

  it('closes a peer that ends inside the preface, routing it nowhere', async () => {
    const routed: string[] = [];
    const server = await listenRouted('127.0.0.1', 0, {
      http2: () => routed.push('http2'),
      http1: () => routed.push('http1'),
    });
    const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    const closed = new Promise((resolve) => client.on('close', resolve));
    client.on('error', () => undefined);
    client.end(HTTP2_PREFACE.subarray(0, 6));
    await closed;
    expect(routed).toEqual([]);
    await new Promise((resolve) => server.close(resolve));
  });
});
