import { rollbackCommand } from '../../../../cli/commands/rollback';
import { UsageError } from '../../../../cli/command-spec';
import { runCli } from '../../../../cli/run-cli';
import type { OperatorDeps } from '../../../../cli/stack/operator-deps';
import type { RunRecord } from '../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../functions/core/workflow/workflow-set';
import { runStage } from '../../../../functions/pipeline/run-stage';
import { deployModelStage } from '../../../../functions/pipeline/stages/deploy-model';
import { captureIo } from '../../../helpers/capture-io';
import { fixedClock, MemoryDocuments, MemoryPublisher, MemoryRuns, silentLogger } from '../../../helpers/memory-ports';
import { MemoryEndpoints, MemoryRegistry } from '../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../helpers/sample-run';

const MODEL = 'projects/p/locations/l/models/9';
const endpointOf = (env: string) => `projects/p/locations/l/endpoints/ferry-staged-${env}`;
const workflows = new WorkflowSet([
  parseWorkflow(
    `name: staged
match: models/staged/{version}/
artifact: savedmodel
model: { displayName: staged }
validation: { goldenSet: g.jsonl }
environments:
  - { name: staging, endpoint: { displayName: s } }
  - { name: production, endpoint: { displayName: p } }
`,
    'staged.yaml',
  ),
]);

const promoted = (env: string, version: string, minute: number): RunRecord =>
  sampleRun({
    runId: `staged-${version}-${env}`,
    workflow: 'staged',
    environment: { name: env },
    version,
    root: `models/staged/${version}/`,
    state: 'promoted',
    outcome: 'promoted',
    updatedAt: new Date(Date.UTC(2026, 10, 23, 9, minute)).toISOString(),
    model: { name: MODEL, versionId: version, versionName: `${MODEL}@${version}`, servingImage: 'img' },
  });

/** v1 then v2 promoted in staging and in production; each endpoint serves v2, v1 at 0 %. */
async function operator() {
  const runs = new MemoryRuns();
  for (const env of ['staging', 'production'])
    for (const run of [promoted(env, '1', 1), promoted(env, '2', 2)]) await runs.create(run);
  const endpoints = new MemoryEndpoints();
  for (const env of ['staging', 'production'])
    endpoints.add({
      name: endpointOf(env),
      trafficSplit: { [`${env}1`]: 0, [`${env}2`]: 100 },
      deployedModels: ['1', '2'].map((v) => ({ id: `${env}${v}`, model: MODEL, modelVersionId: v, displayName: v })),
    });
  const registry = new MemoryRegistry();
  await registry.mergeAliases(`${MODEL}@2`, ['default', 'production', 'staging']);
  const deps: OperatorDeps = {
    runs,
    publisher: new MemoryPublisher(),
    clock: fixedClock('2026-11-23T11:00:00Z'),
    log: silentLogger(),
    endpoints,
    registry,
    workflows,
    leases: new MemoryDocuments(),
    by: 'ana@host',
    close: async () => undefined,
  };
  const cli = async (...args: string[]) => {
    const io = captureIo();
    const code = await rollbackCommand(async () => deps)(args, io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };
  return { deps, runs, endpoints, registry, cli };
}

describe('ferry rollback --environment', () => {
  it('rolls back one environment’s endpoint and alias only', async () => {
    const t = await operator();
    const result = await t.cli('staged', '--environment', 'staging');
    expect(result).toMatchObject({ code: 0, err: '' });
    const created = (await t.runs.list()).find((run) => run.kind === 'rollback')!;
    expect(created).toMatchObject({ environment: { name: 'staging' }, version: '1', state: 'registered' });
    expect(created.timeline[0].detail).toMatch(/^rollback of staged in staging to v1/);
    // deployModel does the work under the run (the endpoint's turn is the entry's, not needed here).
    const stage = { runs: t.runs, publisher: t.deps.publisher, clock: t.deps.clock, log: t.deps.log };
    await runStage(
      stage,
      created.runId,
      deployModelStage({ endpoints: t.endpoints, registry: t.registry, workflows, clock: t.deps.clock }),
    );
    expect((await t.runs.get(created.runId))?.value.state).toBe('rolled-back');
    expect((await t.endpoints.get(endpointOf('staging'))).trafficSplit).toEqual({ staging1: 100, staging2: 0 });
    expect((await t.endpoints.get(endpointOf('production'))).trafficSplit).toEqual({
      production1: 0,
      production2: 100,
    });
    expect(await t.registry.aliasesOf(`${MODEL}@1`)).toEqual(['staging']);
    expect(await t.registry.aliasesOf(`${MODEL}@2`)).toEqual(['default', 'production']);
  });

  it('moves default (and production) when the last environment is rolled back', async () => {
    const t = await operator();
    expect((await t.cli('staged', '--environment', 'production')).code).toBe(0);
    const created = (await t.runs.list()).find((run) => run.kind === 'rollback')!;
    const stage = { runs: t.runs, publisher: t.deps.publisher, clock: t.deps.clock, log: t.deps.log };
    await runStage(
      stage,
      created.runId,
      deployModelStage({ endpoints: t.endpoints, registry: t.registry, workflows, clock: t.deps.clock }),
    );
    expect(await t.registry.aliasesOf(`${MODEL}@1`)).toEqual(['default', 'production']);
    expect((await t.endpoints.get(endpointOf('staging'))).trafficSplit).toEqual({ staging1: 0, staging2: 100 });
  });

  it('gives each environment’s rollback its own run', async () => {
    const t = await operator();
    await t.cli('staged', '--environment', 'staging');
    await t.cli('staged', '--environment', 'production');
    const created = (await t.runs.list()).filter((run) => run.kind === 'rollback');
    expect(created.map((r) => r.environment?.name).sort()).toEqual(['production', 'staging']);
    expect(new Set(created.map((r) => r.runId)).size).toBe(2);
  });

  it.each([
    [[], /staged rolls out in staging, production: say which one to roll back with --environment/],
    [['--environment', 'qa'], /staged has no environment "qa"; its environments: staging, production/],
  ])('refuses %j as a usage error', async (extra, message) => {
    const t = await operator();
    await expect(t.cli('staged', ...extra)).rejects.toThrow(UsageError);
    await expect(t.cli('staged', ...extra)).rejects.toThrow(message);
    expect((await t.runs.list()).filter((run) => run.kind === 'rollback')).toHaveLength(0);
  });

  it('says so in --help', async () => {
    const io = captureIo();
    expect(await runCli(['rollback', '--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/--environment NAME[\s\S]*only its endpoint and alias move/);
  });
});
