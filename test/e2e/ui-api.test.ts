import { EventEmitter } from 'node:events';
import { createServer, request, type IncomingMessage } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import { uiCommand } from '../../cli/commands/ui';
import type { SignalSource } from '../../cli/stop-signal';
import { startUiServer, type UiServer } from '../../cli/ui/server/server';
import { captureIo } from '../helpers/capture-io';
import type { MobileReleaseView, Overview } from '../../cli/ui/server/api-types';
import { startLocalStack, type LocalStack } from '../../emulators/local-stack';
import { exampleGoldenSet } from '../../functions/artifacts/example-golden-set';
import { writeExampleSavedModel } from '../../functions/artifacts/savedmodel';
import { writeExampleTflite } from '../../functions/artifacts/tflite/write-example-tflite';
import { deployedModelIdFor, runIdFor } from '../../functions/core/run/run-id';
import type { RunRecord, RunState } from '../../functions/core/run/run-record';
import { until } from '../helpers/until';
import { putArtifact, readRun, runIdOf, savedModelWorkflow, stackStorage, writeWorkflows } from '../helpers/stack-io';

const GOLDEN = 'golden/example.jsonl';

/**
 * `ferry ui`'s JSON API, change feed and actions on a real local stack: a plain workflow, one
 * that waits for approval before promoting, and a TFLite one. The server reads what `ferry status`
 * reads and the live Vertex endpoint; its actions run the CLI's own verbs.
 */
describe('ferry ui: the API on the local stack', () => {
  let stack: LocalStack;
  let storage: Storage;
  let ui: UiServer;
  const tflite = writeExampleTflite({ a: 0.5, b: 2 });

  beforeAll(async () => {
    process.env.FERRY_LOG_FILE = join(mkdtempSync(join(tmpdir(), 'ferry-e2e-')), 'functions.log');
    process.env.FERRY_OPERATOR = 'ana@ops';
    const workflows = writeWorkflows({
      plain: savedModelWorkflow('plain', `goldenSet: ${GOLDEN}, minCandidateAnswers: 10`),
      gated: [
        'name: gated',
        'match: models/gated/{version}/',
        'artifact: savedmodel',
        'model: { displayName: gated }',
        'endpoint: { displayName: gated }',
        'approval: { before: promote, timeout: 24h }',
        `validation: { goldenSet: ${GOLDEN}, minCandidateAnswers: 10 }`,
        '',
      ].join('\n'),
      phone: [
        'name: phone',
        'match: mobile/phone/{version}/model.tflite',
        'artifact: tflite',
        `validation: { goldenSet: ${GOLDEN} }`,
        'mobile: { modelName: phone }',
        '',
      ].join('\n'),
    });
    stack = await startLocalStack({ workflowsDir: workflows, timeScale: 0.0005 });
    process.env.FERRY_ARTIFACTS_BUCKET = stack.buckets.artifacts;
    storage = stackStorage(stack);
    await putArtifact(storage, stack, GOLDEN, exampleGoldenSet(0.5, 2), { createOnly: true });
    await Promise.all([
      dropSavedModel('plain', '1').then((id) => reach(id, 'promoted')),
      dropSavedModel('gated', '1').then((id) => reach(id, 'awaiting-approval')),
      putArtifact(storage, stack, 'mobile/phone/1/model.tflite', tflite, { createOnly: true }).then(() =>
        reach(phoneRunId(), 'published'),
      ),
    ]);
    ui = await startUiServer({ port: 0, pollMs: 50 });
  }, 120_000);
  afterAll(async () => {
    delete process.env.FERRY_OPERATOR;
    delete process.env.FERRY_ARTIFACTS_BUCKET;
    await ui?.close();
    await stack?.stop();
  });

  const dropSavedModel = async (workflow: string, version: string) => {
    for (const [path, bytes] of Object.entries(writeExampleSavedModel({ a: 0.5, b: 2, numShards: 1 })))
      await putArtifact(storage, stack, `models/${workflow}/${version}/${path}`, bytes, { createOnly: true });
    return runIdOf(stack, workflow, version);
  };
  const reach = (runId: string, state: RunState) =>
    until(`${runId} ${state}`, async () => {
      const run = await readRun(storage, stack, runId);
      return run?.state === state ? run : undefined;
    });
  const endpointOf = (displayName: string) =>
    stack.cloud.vertex.state().endpoints.find((e) => e.displayName === displayName)!;
  const get = async <T>(path: string) => {
    const response = await fetch(new URL(path, ui.url));
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  };
  const act = async (args: unknown, origin: string | undefined = ui.url.replace(/\/$/, '')) => {
    const response = await fetch(new URL('/api/actions', ui.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
      body: JSON.stringify({ args }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('overview: a row per workflow, the split as the endpoint has it, the default version, the approval waiting', async () => {
    const { status, headers, body } = await get<Overview>('/api/overview');
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.source).toBe('local');
    const row = (name: string) => body.workflows.find((w) => w.name === name)!;
    const plainId = runIdOf(stack, 'plain', '1');
    const gatedId = runIdOf(stack, 'gated', '1');

    expect(Object.fromEntries(row('plain').endpoint!.split.map((s) => [s.deployedModelId, s.percent]))).toEqual(
      endpointOf('plain').trafficSplit,
    );
    expect(row('plain').endpoint!.split).toEqual([
      { deployedModelId: deployedModelIdFor(plainId), percent: 100, version: '1', runId: plainId },
    ]);
    expect(row('plain')).toMatchObject({ defaultVersion: '1', last: { runId: plainId, outcome: 'promoted' } });
    expect(row('plain')).not.toHaveProperty('current');

    expect(Object.fromEntries(row('gated').endpoint!.split.map((s) => [s.deployedModelId, s.percent]))).toEqual(
      endpointOf('gated').trafficSplit,
    );
    expect(row('gated').current).toMatchObject({ runId: gatedId, state: 'awaiting-approval' });
    expect(row('gated').pendingApprovals).toEqual([
      expect.objectContaining({ runId: gatedId, awaitingApproval: expect.objectContaining({ action: 'promote' }) }),
    ]);
    expect(row('gated')).not.toHaveProperty('defaultVersion');
    expect(row('phone')).toMatchObject({ artifact: 'tflite', endpoint: null, last: { outcome: 'published' } });
    expect(body.runs.map((r) => r.runId).sort()).toEqual([gatedId, plainId, phoneRunId()].sort());
    expect(body.deadLetters).toBe(0);
  });

  it('a run by id, with its record; an unknown run is 404', async () => {
    const plainId = runIdOf(stack, 'plain', '1');
    const found = await get<{ run: RunRecord; gates?: unknown; console?: unknown }>(`/api/runs/${plainId}`);
    expect(found.status).toBe(200);
    expect(found.body.run).toEqual(await readRun(storage, stack, plainId));
    // The workflow's thresholds, which the run page draws beside the numbers (defaults here).
    expect(found.body.gates).toEqual({ minMatchRate: 1, maxErrorRate: 0, latencySlackMs: 20 });
    expect(found.body).not.toHaveProperty('console');
    for (const missing of ['plain-9-0000000000', '..%2Fpending', 'PLAIN'])
      expect(await get(`/api/runs/${missing}`)).toMatchObject({ status: 404, body: { error: expect.any(String) } });
  });

  it("an endpoint's history ends at its live split", async () => {
    const { status, body } = await get<{ workflow: string; points: Array<{ split: Record<string, number> }> }>(
      '/api/endpoints/gated/history',
    );
    expect(status).toBe(200);
    expect(body.workflow).toBe('gated');
    expect(body.points.at(-1)?.split).toEqual({ v1: 100 });
    expect((await get('/api/endpoints/nobody/history')).status).toBe(404);
  });

  it('mobile: the published TFLite model, its size and channels, live', async () => {
    const { body } = await get<{ releases: MobileReleaseView[] }>('/api/mobile');
    expect(body.releases).toEqual([
      expect.objectContaining({
        workflow: 'phone',
        version: '1',
        runId: phoneRunId(),
        state: 'published',
        sizeBytes: tflite.length,
        live: true,
      }),
    ]);
    expect(Object.keys(body.releases[0].channels).length).toBeGreaterThan(0);
  });

  it('the change feed sends `change` when a drop moves the state', async () => {
    const events = await openEvents();
    try {
      await events.received(': connected');
      const runId = await dropSavedModel('plain', '2');
      await events.received('event: change');
      await reach(runId, 'promoted');
    } finally {
      events.close();
    }
  });

  it('approve through POST /api/actions moves the waiting run; again is 200 and changes nothing', async () => {
    const gatedId = runIdOf(stack, 'gated', '1');
    const approved = await act(['approve', gatedId, '--reason', 'looks right']);
    expect(approved).toMatchObject({ status: 200, body: { ok: true, exitCode: 0, err: [] } });
    expect((approved.body.out as string[]).join('\n')).toContain(`run ${gatedId} approved by ana@ops`);
    await reach(gatedId, 'promoted');

    const again = await act(['approve', gatedId]);
    expect(again).toMatchObject({ status: 200, body: { ok: true, exitCode: 0 } });
    expect((again.body.out as string[]).join('\n')).toContain('already approved');
  });

  it('a refused action is 409 with the reason, a usage error and a foreign verb 400', async () => {
    const plainId = runIdOf(stack, 'plain', '1');
    expect(await act(['approve', plainId])).toEqual({
      status: 409,
      body: {
        ok: false,
        exitCode: 1,
        out: [],
        err: [`run ${plainId} is promoted, not awaiting approval: there is nothing to approve`],
      },
    });
    expect(await act(['reject', plainId])).toMatchObject({ status: 400, body: { exitCode: 2 } });
    expect(await act(['drop', 'x', 'y'])).toMatchObject({ status: 400, body: { error: expect.any(String) } });
  });

  it('refuses actions from another origin, or with none', async () => {
    const plainId = runIdOf(stack, 'plain', '1');
    expect((await act(['abort', plainId], 'http://evil.example')).status).toBe(403);
    expect((await act(['abort', plainId], null as unknown as undefined)).status).toBe(403);
    expect((await readRun(storage, stack, plainId))?.operatorActions).toBeUndefined();
  });

  it('serves the page and uPlot with their types, and nothing else', async () => {
    const page = await rawGet('/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.cache).toBe('no-store');
    const uplot = await rawGet('/vendor/uplot.js');
    expect([uplot.status, uplot.type]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await rawGet('/vendor/uplot.css')).type).toBe('text/css; charset=utf-8');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e/', '/vendor/../../package.json', '/nope'])
      expect([path, (await rawGet(path)).status]).toEqual([path, 404]);
    expect((await rawGet('/', 'evil.example:80')).status).toBe(403);
  });

  it('listens on 127.0.0.1 only', async () => {
    const { port, hostname } = new URL(ui.url);
    expect(hostname).toBe('127.0.0.1');
    const elsewhere = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of ['::1', ...elsewhere])
      expect([address, await reachable(address, Number(port))]).toEqual([address, false]);
    expect(await reachable('127.0.0.1', Number(port))).toBe(true);
  });

  it('`ferry ui` prints its address and serves until Ctrl-C; a port in use is a clear error', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const signals = Object.assign(new EventEmitter(), { exit: () => undefined }) as unknown as EventEmitter &
      SignalSource;
    try {
      const refused = captureIo();
      expect(await uiCommand(signals)(['--port', String(port)], refused)).toBe(1);
      expect(refused.stderr).toEqual([
        `port ${port} on 127.0.0.1 is in use (another ferry ui?): stop it, or pass --port`,
      ]);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
    const io = captureIo();
    const serving = uiCommand(signals)(['--port', String(port)], io);
    await until('ferry ui to print its address', () => io.stdout.includes(`ferry ui: http://127.0.0.1:${port}/`));
    expect((await fetch(`http://127.0.0.1:${port}/api/mobile`)).status).toBe(200);
    signals.emit('SIGINT', 'SIGINT');
    expect(await serving).toBe(0);
    expect(await reachable('127.0.0.1', port)).toBe(false);
  });

  function phoneRunId() {
    return runIdFor('phone', '1', stack.buckets.artifacts, 'mobile/phone/1/model.tflite');
  }

  /** A GET with the path sent as written (fetch would resolve `..` before sending). */
  function rawGet(path: string, host?: string) {
    const { port } = new URL(ui.url);
    return new Promise<{ status: number; type?: string; cache?: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: 'GET', ...(host ? { headers: { Host: host } } : {}) },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              type: res.headers['content-type'],
              cache: res.headers['cache-control'] as string | undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  function openEvents() {
    const { port } = new URL(ui.url);
    let text = '';
    const req = request({ host: '127.0.0.1', port, path: '/api/events' });
    req.on('response', (res: IncomingMessage) => {
      expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
    });
    req.on('error', () => undefined);
    req.end();
    return {
      received: (what: string) => until(`the feed to send "${what}"`, () => text.includes(what)),
      close: () => req.destroy(),
    };
  }
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
