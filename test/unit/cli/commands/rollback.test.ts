import { rollbackCommand } from '../../../../cli/commands/rollback';
import { runCli } from '../../../../cli/run-cli';
import type { OperatorDeps } from '../../../../cli/stack/operator-deps';
import type { RunRecord } from '../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../functions/core/workflow/workflow-set';
import { TOPICS } from '../../../../functions/pipeline/topics';
import { captureIo } from '../../../helpers/capture-io';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../helpers/memory-vertex-ops';
import { MemoryRemoteConfig } from '../../../helpers/memory-remote-config';
import { sampleRun } from '../../../helpers/sample-run';

const MODEL = 'projects/p/locations/l/models/9';
const ENDPOINT = 'projects/p/locations/l/endpoints/ferry-flowers';
const workflows = new WorkflowSet([
  parseWorkflow(
    'name: flowers\nmatch: models/flowers/{version}/\nartifact: savedmodel\nmodel: {displayName: flowers}\nendpoint: {displayName: flowers}\nvalidation: {goldenSet: g.jsonl}\n',
    'flowers.yaml',
  ),
  parseWorkflow(
    'name: phones\nmatch: mobile/{version}/m.tflite\nartifact: tflite\nvalidation: {goldenSet: g.jsonl}\nmobile: {modelName: phones}\n',
    'phones.yaml',
  ),
]);

const promoted = (version: string, minute: number): RunRecord =>
  sampleRun({
    runId: `flowers-${version}-abc`,
    version,
    root: `models/flowers/${version}/`,
    state: 'promoted',
    outcome: 'promoted',
    updatedAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
    model: { name: MODEL, versionId: version, versionName: `${MODEL}@${version}`, servingImage: 'img' },
  });

/** The operator's deps over in-memory ports: v1 then v2 promoted, v2 serving 100 %, v1 at 0 %. */
async function operator() {
  const runs = new MemoryRuns();
  for (const run of [promoted('1', 1), promoted('2', 2)]) await runs.create(run);
  const endpoints = new MemoryEndpoints();
  endpoints.add({
    name: ENDPOINT,
    trafficSplit: { '111': 0, '222': 100 },
    deployedModels: ['1', '2'].map((v) => ({ id: `${v}${v}${v}`, model: MODEL, modelVersionId: v, displayName: v })),
  });
  let closed = 0;
  const deps: OperatorDeps = {
    runs,
    publisher: new MemoryPublisher(),
    clock: fixedClock('2026-11-23T11:00:00Z'),
    log: silentLogger(),
    endpoints,
    registry: new MemoryRegistry(),
    workflows,
    leases: new MemoryDocuments(),
    by: 'ana@host',
    close: async () => void (closed += 1),
  };
  const cli = async (...args: string[]) => {
    const io = captureIo();
    const code = await rollbackCommand(async () => deps)(args, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };
  return { deps, runs, endpoints, cli, closed: () => closed };
}

describe('ferry rollback', () => {
  it('creates a rollback run to the version before, hands it to deployModel, and says how to follow it', async () => {
    const t = await operator();
    const result = await t.cli('flowers', '--reason', 'p95 doubled');
    expect(result).toMatchObject({ code: 0, err: '' });
    const created = (await t.runs.list()).find((run) => run.kind === 'rollback')!;
    expect(result.out).toBe(
      [
        `rolling flowers back to v1 (${MODEL}@1) from v2`,
        `run ${created.runId}`,
        `follow it with: ferry status ${created.runId}`,
      ].join('\n'),
    );
    expect(created).toMatchObject({
      state: 'registered',
      version: '1',
      operatorActions: [{ by: 'ana@host', reason: 'p95 doubled' }],
    });
    const publisher = t.deps.publisher as MemoryPublisher;
    expect(publisher.on(TOPICS.modelRegistered)).toEqual([{ runId: created.runId }]);
    expect(publisher.on(TOPICS.runEvents)).toMatchObject([{ runId: created.runId, state: 'registered' }]);
    expect(t.closed()).toBe(1);

    // The same command again while the run is under way finds it rather than making another.
    const again = await t.cli('flowers');
    expect(again.code).toBe(0);
    expect(again.out).toContain(`a rollback of flowers to v1 is under way (registered): run ${created.runId}`);
    expect((await t.runs.list()).filter((run) => run.kind === 'rollback')).toHaveLength(1);
  });

  it('run twice at the same moment, makes one run: the create-only write lets one through', async () => {
    const t = await operator();
    const results = await Promise.all([t.cli('flowers'), t.cli('flowers')]);
    const created = (await t.runs.list()).filter((run) => run.kind === 'rollback');
    expect(created).toHaveLength(1);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    expect(results.map((r) => r.out.split('\n')[0]).sort()).toEqual([
      `a rollback of flowers to v1 is under way (registered): run ${created[0].runId}`,
      `rolling flowers back to v1 (${MODEL}@1) from v2`,
    ]);
    expect((t.deps.publisher as MemoryPublisher).on(TOPICS.modelRegistered)).toHaveLength(1);
  });

  it('has nothing to do once the version serves 100 % and holds default, and puts either right', async () => {
    const t = await operator();
    await t.cli('flowers');
    const [created] = (await t.runs.list()).filter((run) => run.kind === 'rollback');
    const stored = (await t.runs.get(created.runId))!;
    await t.runs.update(
      { ...created, state: 'rolled-back', outcome: 'rolled-back', updatedAt: '2026-11-23T11:01:00.000Z' },
      stored.generation,
    );
    await t.endpoints.setSplit(ENDPOINT, { '111': 100, '222': 0 });
    // Split back, but `default` still on v2 (moved by hand, say): a run puts it right.
    expect((await t.cli('flowers')).out).toContain('rolling flowers back to v1');
    await t.deps.registry.mergeAliases(`${MODEL}@1`, ['default']);
    const latest = (await t.runs.list()).filter((run) => run.kind === 'rollback').at(-1)!;
    const latestStored = (await t.runs.get(latest.runId))!;
    await t.runs.update(
      { ...latest, state: 'rolled-back', outcome: 'rolled-back', updatedAt: '2026-11-23T11:02:00.000Z' },
      latestStored.generation,
    );
    const again = await t.cli('flowers');
    expect(again).toMatchObject({ code: 0, err: '' });
    expect(again.out).toBe(
      [
        `nothing to do: v1 of flowers already serves 100 % and holds default (rolled back by run ${latest.runId})`,
        'to roll back further: ferry rollback flowers --to one of v2',
      ].join('\n'),
    );
    expect((await t.runs.list()).filter((run) => run.kind === 'rollback')).toHaveLength(2);
  });

  it('refuses a version never promoted, an unknown workflow and one without an endpoint (exit 1)', async () => {
    const t = await operator();
    expect(await t.cli('flowers', '--to', '7')).toMatchObject({
      code: 1,
      err: 'v7 of flowers never ended promoted, so it cannot be rolled back to; promoted versions: v2, v1',
    });
    expect(await t.cli('tulips')).toMatchObject({
      code: 1,
      err: 'no workflow "tulips"; known workflows: flowers, phones',
    });
    expect(await t.cli('phones')).toMatchObject({
      code: 1,
      err: 'phones publishes to apps, not to an endpoint: ferry rollback acts on flowers',
    });
    expect((await t.runs.list()).filter((run) => run.kind === 'rollback')).toEqual([]);
  });

  it('rejects wrong arguments with its usage (exit 2)', async () => {
    for (const args of [['rollback'], ['rollback', 'flowers', 'tulips'], ['rollback', 'flowers', '--to', '']]) {
      const io = captureIo();
      expect(await runCli(args, io)).toBe(2);
      expect(io.stderr.join('\n')).toContain(
        'usage: ferry rollback <workflow> [--to VERSION] [--environment NAME] [--reason TEXT] [--project PROJECT]',
      );
    }
  });
});

describe('ferry rollback of a staged mobile rollout', () => {
  const staged = parseWorkflow(
    'name: staged\nmatch: mobile/s/{version}/m.tflite\nartifact: tflite\nvalidation: {goldenSet: g.jsonl}\nmobile: {modelName: staged, rollout: {parameter: staged_model, steps: [10, 100], every: 1h}}\n',
    'staged.yaml',
  );
  const before = { defaultValue: { value: 'staged_v1' } };
  const rolledOut = sampleRun({
    runId: 'staged-2-abc',
    workflow: 'staged',
    kind: 'tflite',
    version: '2',
    root: 'mobile/s/2/m.tflite',
    state: 'published',
    outcome: 'published',
    mobile: {
      sha256: 'h',
      sizeBytes: 1,
      channels: {},
      rollout: {
        modelName: 'staged',
        parameter: 'staged_model',
        seed: 'ferry-1',
        candidate: { version: '2', sha256: 'h', firebaseMlModel: 'staged_v2' },
        candidateValue: 'staged_v2',
        before,
        steps: [10, 100],
        everyMs: 3_600_000,
        percent: 100,
        templateVersions: ['2', '3'],
      },
    },
  });

  async function cli(withRemoteConfig: boolean, ...args: string[]) {
    const runs = new MemoryRuns();
    await runs.create(rolledOut);
    const clock = fixedClock('2026-11-30T11:00:00Z');
    const templates = new MemoryRemoteConfig({
      conditions: [],
      parameters: { staged_model: { defaultValue: { value: 'staged_v2' } } },
      parameterGroups: {},
    });
    const deps: OperatorDeps = {
      runs,
      publisher: new MemoryPublisher(),
      clock,
      log: silentLogger(),
      endpoints: new MemoryEndpoints(),
      registry: new MemoryRegistry(),
      workflows: new WorkflowSet([staged]),
      leases: new MemoryDocuments(),
      by: 'ana@host',
      close: async () => {},
      ...(withRemoteConfig ? { mobileRollout: { templates, clock } } : {}),
    };
    const io = captureIo();
    const code = await rollbackCommand(async () => deps)(args, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n'), templates };
  }

  it('puts the parameter back as before the rollout and records a rolled-back run', async () => {
    const result = await cli(true, 'staged', '--reason', 'crashes');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /rollback of staged's rollout of v2 .* by ana@host: crashes; Remote Config "staged_model" as before v2/,
    );
    expect(result.templates.peek().parameters.staged_model).toEqual(before);
  });

  it('refuses --to (a rollout is undone as a whole) and says when Remote Config access is missing', async () => {
    // A usage error: runCli prints it with the usage and exits 2 (as --environment's checks do).
    await expect(cli(true, 'staged', '--to', '1')).rejects.toThrow(/undoes its latest rollout; drop --to/);
    expect(await cli(false, 'staged')).toMatchObject({
      code: 1,
      err: expect.stringMatching(/no Remote Config access/),
    });
  });
});
