import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPortError } from '../../../../../functions/core/errors';
import { FetchChatWebhook } from '../../../../../functions/adapters/webhook/fetch-chat-webhook';

/** The adapter against a real local HTTP server: statuses become port error kinds, silence a timeout. */
describe('FetchChatWebhook', () => {
  let server: Server;
  let url: string;
  let answer: (res: import('node:http').ServerResponse) => void;
  const received: Array<{ type?: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
        answer(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/SECRETKEY`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('POSTs the payload as JSON and resolves on 200', async () => {
    answer = (res) => res.writeHead(200).end('ok');
    await new FetchChatWebhook(url).post({ text: 'hello' });
    expect(received).toEqual([{ type: 'application/json; charset=utf-8', body: '{"text":"hello"}' }]);
  });

  it.each([
    [429, 'busy'],
    [500, 'busy'],
    [503, 'busy'],
    [400, 'invalid'],
    [403, 'invalid'],
    [404, 'invalid'],
  ])('HTTP %i → %s, naming the status and host but not the URL', async (status, kind) => {
    answer = (res) => res.writeHead(status).end('nope');
    const error: unknown = await new FetchChatWebhook(url).post({ text: 'x' }).catch((e: unknown) => e);
    expect(isPortError(error, kind as 'busy' | 'invalid')).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`answered HTTP ${status}: nope`));
    expect((error as Error).message).not.toContain('SECRETKEY');
  });

  it('a webhook that does not answer in time is busy', async () => {
    answer = () => undefined; // never answers
    const error: unknown = await new FetchChatWebhook(url, 200).post({ text: 'x' }).catch((e: unknown) => e);
    expect(isPortError(error, 'busy')).toBe(true);
    expect((error as Error).message).toMatch(/no answer within 200 ms/);
  });

  it('a refused connection is busy', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error: unknown = await new FetchChatWebhook(`http://127.0.0.1:${port}/hook`)
      .post({})
      .catch((e: unknown) => e);
    expect(isPortError(error, 'busy')).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});
