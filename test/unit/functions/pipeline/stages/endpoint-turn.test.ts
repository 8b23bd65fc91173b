import { awaitEndpointTurn } from '../../../../../functions/pipeline/stages/endpoint-turn';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import {
  fixedClock,
  MemoryDocuments,
  MemoryPublisher,
  MemoryRuns,
  silentLogger,
} from '../../../../helpers/memory-ports';
import { sampleRun } from '../../../../helpers/sample-run';

function setup() {
  const deps = {
    leases: new MemoryDocuments(),
    runs: new MemoryRuns(),
    publisher: new MemoryPublisher(),
    clock: fixedClock(),
    log: silentLogger(),
    budgetMs: 1000,
    pollMs: 100,
  };
  return deps;
}

describe('awaitEndpointTurn', () => {
  it('gives the turn to the first run, and again to the same run on a retry', async () => {
    const deps = setup();
    expect(await awaitEndpointTurn(deps, 'a', 'flowers')).toBe(true);
    expect(await awaitEndpointTurn(deps, 'a', 'flowers')).toBe(true);
  });

  it('makes a second run wait while the first is rolling out, then hands its message on', async () => {
    const deps = setup();
    await deps.runs.create(sampleRun({ runId: 'a', state: 'deployed' }));
    await awaitEndpointTurn(deps, 'a', 'flowers');
    const started = deps.clock.now().getTime();
    expect(await awaitEndpointTurn(deps, 'b', 'flowers')).toBe(false);
    expect(deps.clock.now().getTime() - started).toBeLessThanOrEqual(deps.budgetMs);
    expect(deps.publisher.on(TOPICS.modelRegistered)).toEqual([{ runId: 'b' }]);
  });

  it('passes the turn on once the holder has ended, without any release step', async () => {
    const deps = setup();
    await deps.runs.create(sampleRun({ runId: 'a', state: 'deployed' }));
    await awaitEndpointTurn(deps, 'a', 'flowers');
    const stored = await deps.runs.get('a');
    await deps.runs.update({ ...sampleRun({ runId: 'a', state: 'rejected' }) }, stored?.generation ?? '');
    expect(await awaitEndpointTurn(deps, 'b', 'flowers')).toBe(true);
    expect(await awaitEndpointTurn(deps, 'c', 'roses')).toBe(true);
  });
});
