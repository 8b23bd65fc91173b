import type { RunRecord } from '../../../../../functions/core/run/run-record';
import type { OperationMessage } from '../../../../../functions/pipeline/messages';
import type { Endpoints, OperationStatus } from '../../../../../functions/pipeline/ports';
import { AWAIT_DEFAULTS, awaitOperation } from '../../../../../functions/pipeline/stages/await-operation';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { MemoryRegistry } from '../../../../helpers/memory-vertex-ops';
import { sampleRun } from '../../../../helpers/sample-run';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';

const OPERATION = 'projects/p/locations/l/endpoints/1/operations/9';
/** What only a promotion's steps use. */
const unusedVertex = { registry: new MemoryRegistry(), workflows: new WorkflowSet([]) };

/** An operation of ferry's own Endpoints port that finishes at a given time on the test clock. */
function endpointsFinishingAt(clock: { now(): Date }, doneAt: number, error?: OperationStatus['error']): Endpoints {
  const unused = async () => {
    throw new Error('not used');
  };
  return {
    find: unused,
    getOrCreate: unused,
    get: unused,
    deploy: unused,
    undeploy: unused,
    setSplit: unused,
    operation: async () =>
      clock.now().getTime() >= doneAt ? { done: true, ...(error ? { error } : {}) } : { done: false },
  };
}

function deployingRun(at: Date): RunRecord {
  return sampleRun(
    {
      state: 'deploying',
      endpoint: { name: 'projects/p/locations/l/endpoints/1' },
      deployment: {
        deployedModelId: '1234567890',
        previousSplit: {},
        split: { '1234567890': 100 },
        operation: OPERATION,
      },
    },
    at.toISOString(),
  );
}

describe('awaitOperation', () => {
  it('follows a 30-minute deployment across short invocations, handing itself on without errors', async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const publisher = new MemoryPublisher();
    const log = silentLogger();
    const start = clock.now();
    await runs.create(deployingRun(start));
    const endpoints = endpointsFinishingAt(clock, start.getTime() + 30 * 60_000);
    let message: OperationMessage = {
      runId: 'flowers-7-abc',
      operation: OPERATION,
      purpose: 'deploy',
      startedAt: start.toISOString(),
    };
    let invocations = 0;
    for (;;) {
      invocations += 1;
      const published = publisher.messages.length;
      const began = clock.now().getTime();
      await awaitOperation({ runs, publisher, clock, log, endpoints, ...unusedVertex, ...AWAIT_DEFAULTS }, message);
      expect(clock.now().getTime() - began).toBeLessThanOrEqual(AWAIT_DEFAULTS.budgetMs);
      const handedOn = publisher.messages.slice(published).find((m) => m.topic === TOPICS.operationPending);
      if (!handedOn) break;
      message = handedOn.data as OperationMessage;
      expect(invocations).toBeLessThan(20);
    }
    // 30 minutes in invocations of at most 240 s: eight of them.
    expect(invocations).toBe(Math.ceil((30 * 60_000) / (AWAIT_DEFAULTS.budgetMs - AWAIT_DEFAULTS.pollMs)));
    expect((await runs.get('flowers-7-abc'))?.value.state).toBe('deployed');
    expect(publisher.on(TOPICS.modelDeployed)).toEqual([{ runId: 'flowers-7-abc', step: -1 }]);
    expect(log.lines.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  it('ends the run failed when the deployment fails, leaving the previous split', async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const publisher = new MemoryPublisher();
    await runs.create(deployingRun(clock.now()));
    const endpoints = endpointsFinishingAt(clock, 0, { code: 3, message: 'Model server never became ready' });
    await awaitOperation(
      { runs, publisher, clock, log: silentLogger(), endpoints, ...unusedVertex, ...AWAIT_DEFAULTS },
      { runId: 'flowers-7-abc', operation: OPERATION, purpose: 'deploy', startedAt: clock.now().toISOString() },
    );
    const run = (await runs.get('flowers-7-abc'))?.value;
    expect(run).toMatchObject({ state: 'failed', outcome: 'failed' });
    expect(run?.reason).toMatch(
      /DeployModel failed: Model server never became ready \(code 3\); the previous traffic split is unchanged/,
    );
  });

  it('gives up on an operation that runs past the operation timeout', async () => {
    const clock = fixedClock();
    const runs = new MemoryRuns();
    const started = clock.now();
    await runs.create(deployingRun(started));
    clock.advance(AWAIT_DEFAULTS.operationTimeoutMs + 1);
    const endpoints = endpointsFinishingAt(clock, Number.MAX_SAFE_INTEGER);
    await awaitOperation(
      {
        runs,
        publisher: new MemoryPublisher(),
        clock,
        log: silentLogger(),
        endpoints,
        ...unusedVertex,
        ...AWAIT_DEFAULTS,
      },
      { runId: 'flowers-7-abc', operation: OPERATION, purpose: 'deploy', startedAt: started.toISOString() },
    );
    expect((await runs.get('flowers-7-abc'))?.value.reason).toMatch(/operation still running after 120 min/);
  });
});
