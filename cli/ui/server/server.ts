import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAction } from './actions';
import { consoleLinks } from './console-links';
import { changeFeed } from './events';
import { endpointHistory } from './history';
import { mobileReleases } from './mobile';
import { isOwnHost, isOwnOrigin } from './same-origin';
import { staticFile } from './static-files';
import { openUiState, type UiState } from './ui-state';

/** Loopback only: the UI acts as whoever runs it, so nothing beyond this machine may reach it. */
export const UI_HOST = '127.0.0.1';
export const UI_DEFAULT_PORT = 8740;
/** An action's body is a few words; anything larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

export interface UiServerOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  /** A real project (`--project`): read through Application Default Credentials, appended to actions. */
  project?: string;
  /** What to read; by default the local stack or `project`, opened here and closed with the server. */
  state?: UiState;
  /** How often the change feed reads the state while a page listens. */
  pollMs?: number;
}

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

/** `ferry ui`'s server: the page, its JSON API, the change feed and the operator's actions. */
export async function startUiServer(options: UiServerOptions = {}): Promise<UiServer> {
  const state = options.state ?? (await openUiState(options.project));
  const overviewFingerprint = async () => {
    const { generatedAt: _, ...rest } = await state.overview();
    return JSON.stringify(rest);
  };
  const feed = changeFeed(overviewFingerprint, options.pollMs);
  let port = 0;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        json(response, 503, { error: `reading ferry's state failed: ${(error as Error)?.message ?? String(error)}` });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A page on another site that rebinds its name to 127.0.0.1 arrives with its own Host: refused.
    if (!isOwnHost(request.headers.host, port)) return json(response, 403, { error: 'unknown Host' });
    // The path exactly as sent: a URL parser would resolve `..` and `%2e%2e` into another path.
    const [path, query = ''] = (request.url ?? '/').split('?');
    if (request.method === 'POST' && path === '/api/actions') {
      if (!isOwnOrigin(request.headers.origin, port))
        return json(response, 403, { error: 'actions are accepted only from the ferry ui page itself' });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(request));
      } catch (error) {
        return json(response, 400, { error: `the body is not JSON: ${(error as Error).message}` });
      }
      const reply = await runAction(body, options.project);
      return json(response, reply.status, reply.body);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return json(response, 405, { error: `${request.method} is not accepted here` });
    if (path === '/api/overview') return json(response, 200, await state.overview());
    if (path === '/api/mobile') return json(response, 200, { releases: mobileReleases(await state.runs()) });
    if (path === '/api/events') return feed.subscribe(response);
    const runPath = /^\/api\/runs\/([^/]+)$/.exec(path);
    if (runPath) return runRoute(response, decodeURIComponent(runPath[1]));
    const historyPath = /^\/api\/endpoints\/([^/]+)\/history$/.exec(path);
    if (historyPath)
      return historyRoute(
        response,
        decodeURIComponent(historyPath[1]),
        new URLSearchParams(query).get('environment') ?? undefined,
      );
    const file = await staticFile(path);
    if (!file) return json(response, 404, { error: `nothing at ${path}` });
    response.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  async function runRoute(response: ServerResponse, runId: string): Promise<void> {
    // Run ids are Vertex label values ([a-z0-9_-]): anything else cannot name a run.
    const run = /^[a-z0-9_-]+$/.test(runId) ? await state.run(runId) : undefined;
    if (!run) return json(response, 404, { error: `no run ${runId}` });
    const links = state.project ? consoleLinks(run, state.project) : undefined;
    const gates = state.gates?.(run.workflow, run.environment?.name);
    return json(response, 200, { run, ...(gates ? { gates } : {}), ...(links ? { console: links } : {}) });
  }

  /** One endpoint's history: a workflow with environments has one per environment (default: the last). */
  async function historyRoute(response: ServerResponse, workflow: string, asked?: string): Promise<void> {
    const environments = state.environments?.(workflow) ?? [];
    if (asked !== undefined && !environments.includes(asked))
      return json(response, 404, {
        error: `${workflow} has no environment "${asked}"${environments.length ? ` (it lists ${environments.join(', ')})` : ''}`,
      });
    const environment = asked ?? environments.at(-1);
    const runs = (await state.runs()).filter(
      (run) => run.workflow === workflow && run.environment?.name === environment,
    );
    const endpoint = await state.endpoint(workflow, environment);
    if (runs.length === 0 && !endpoint)
      return json(response, 404, { error: `no runs and no endpoint for ${workflow}` });
    const points = endpointHistory(runs, endpoint ? { endpoint, at: new Date() } : undefined);
    return json(response, 200, { workflow, ...(environment ? { environment, environments } : {}), points });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? UI_DEFAULT_PORT, UI_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${UI_HOST}:${port}/`,
    close: async () => {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.state) await state.close();
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
