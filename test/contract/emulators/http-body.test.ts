import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyWithin } from '../../../emulators/http-body';

/** The body reader every emulator's HTTP server uses, over a real socket. */
describe('readBodyWithin', () => {
  const LIMIT = 16;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      readBodyWithin(req, LIMIT).then(
        (body) => res.writeHead(body === undefined ? 413 : 200).end(body === undefined ? 'too large' : body),
        () => res.destroy(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** POSTs `chunks` (chunked when `length` is not declared); the status and the echoed body. */
  const post = (chunks: string[], declare = true) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
      const req = request(url, { method: 'POST', headers: declare ? { 'content-length': total } : {} }, (res) => {
        const got: Buffer[] = [];
        res.on('data', (c: Buffer) => got.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(got).toString('utf8') }));
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      req.end();
    });

  it.each([
    ['empty', [], true],
    ['exactly the limit', ['0123456789abcdef'], true],
    ['in several chunks, undeclared', ['0123', '4567', '89'], false],
  ])('returns a body that is %s', async (_name, chunks, declare) => {
    expect(await post(chunks, declare)).toEqual({ status: 200, body: chunks.join('') });
  });

  it.each([
    ['declared over the limit', ['0123456789abcdefX'], true],
    ['growing over the limit, undeclared', ['0123456789', 'abcdef', 'X'], false],
    ['far over the limit, undeclared', Array(64).fill('0123456789'), false],
  ])('refuses a body %s, and the answer still reaches the client', async (_name, chunks, declare) => {
    expect(await post(chunks, declare)).toEqual({ status: 413, body: 'too large' });
  });
});
