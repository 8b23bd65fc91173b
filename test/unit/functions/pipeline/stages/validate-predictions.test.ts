import { exampleGoldenSet } from '../../../../../functions/artifacts/example-golden-set';
import { PortError } from '../../../../../functions/core/errors';
import { MIN_LATENCY_SAMPLES } from '../../../../../functions/core/validation/gates';
import { VALIDATION_PATIENCE_MS } from '../../../../../functions/core/validation/predict-retry';
import { newTally } from '../../../../../functions/core/validation/tally';
import type { RunRecord } from '../../../../../functions/core/run/run-record';
import { parseWorkflow } from '../../../../../functions/core/workflow/parse-workflow';
import { WorkflowSet } from '../../../../../functions/core/workflow/workflow-set';
import type { PredictResult } from '../../../../../functions/pipeline/ports';
import { runStage } from '../../../../../functions/pipeline/run-stage';
import { validatePredictionsStage } from '../../../../../functions/pipeline/stages/validate-predictions';
import { TOPICS } from '../../../../../functions/pipeline/topics';
import { fixedClock, MemoryObjects, MemoryPublisher, MemoryRuns, silentLogger } from '../../../../helpers/memory-ports';
import { MemoryEndpoint, MemoryRegistry, ScriptedPredictor } from '../../../../helpers/memory-endpoint';
import { sampleRun } from '../../../../helpers/sample-run';

const ENDPOINT = 'projects/p/locations/l/endpoints/1';
const CANDIDATE = '222';
/** 10 golden examples in requests of 4, 4, 2: 20 answers take 6 requests per traffic step. */
const REQUESTS_PER_STEP = 6;
/** The flowers workflow with these gates, one step to 100 % after the canary. */
const flowersWith = (gates: string) =>
  new WorkflowSet([
    parseWorkflow(
      [
        'name: flowers',
        'match: models/flowers/{version}/',
        'artifact: savedmodel',
        'model: {displayName: flowers}',
        'endpoint: {displayName: flowers}',
        'rollout: {steps: [100]}',
        `validation: {goldenSet: golden/flowers.jsonl, minCandidateAnswers: 20, gates: ${gates}}`,
        '',
      ].join('\n'),
      'flowers.yaml',
    ),
  ]);
const workflows = flowersWith('{maxErrorRate: 0}');

/** The example model y = 0.5·x + 2, answering as the candidate. */
const goodAnswer = (instances: unknown[]): PredictResult => ({
  predictions: instances.map((i) => [0.5 * (i as { x: number[] }).x[0] + 2]),
  deployedModelId: CANDIDATE,
});
const unavailable = () =>
  Object.assign(new Error('14 UNAVAILABLE: The service is currently unavailable.'), { code: 14 });
const storm = (n: number) => Array.from({ length: n }, unavailable);

function harness(
  predictor: ScriptedPredictor,
  clock = fixedClock(),
  budgetMs = 300_000,
  extra: Partial<RunRecord> = {},
  set = workflows,
) {
  const runs = new MemoryRuns();
  const publisher = new MemoryPublisher();
  const endpoint = new MemoryEndpoint(ENDPOINT, { '111': 90, [CANDIDATE]: 10 }, [
    { id: '111', model: 'm', modelVersionId: '1', displayName: 'v1' },
    { id: CANDIDATE, model: 'm', modelVersionId: '2', displayName: 'v2' },
  ]);
  const registry = new MemoryRegistry();
  const deps = {
    endpoints: endpoint,
    registry,
    clock,
    objects: new MemoryObjects({ 'golden/flowers.jsonl': exampleGoldenSet(0.5, 2) }),
    predictor,
    workflows: set,
    elapsedMs: () => clock.now().getTime(),
    budgetMs,
  };
  const run: RunRecord = sampleRun({
    state: 'deployed',
    model: { name: 'm', versionId: '2', versionName: 'm@2', servingImage: 'img' },
    endpoint: { name: ENDPOINT },
    deployment: { deployedModelId: CANDIDATE, previousSplit: { '111': 100 }, split: { '111': 90, [CANDIDATE]: 10 } },
    ...extra,
  });
  let delivered = 0;
  const stored = async () => (await runs.get(run.runId))?.value as RunRecord;
  return {
    endpoint,
    registry,
    publisher,
    stored,
    start: () => runs.create(run),
    /** Delivers the stage messages published so far, one at a time, as Pub/Sub would (at most `limit`). */
    async deliver(limit = 50): Promise<number> {
      let count = 0;
      for (; count < limit; count += 1) {
        const message = publisher.on(TOPICS.modelDeployed)[delivered] as { step: number } | undefined;
        if (!message) break;
        delivered += 1;
        await runStage(
          { runs, publisher, clock, log: silentLogger() },
          run.runId,
          validatePredictionsStage(deps, message.step),
        );
      }
      return count;
    },
  };
}

async function started(h: ReturnType<typeof harness>) {
  await h.start();
  await h.publisher.publish(TOPICS.modelDeployed, { runId: 'flowers-7-abc', step: -1 });
  return h;
}

// Passing at 100 % moves the run to `promoting`; the retire steps then run in awaitOperation (retire-step.ts).
describe('validatePredictionsStage: the model is judged, not the weather', () => {
  it('promotes a good model after one 503: the retry succeeds and no candidate error is counted', async () => {
    const predictor = new ScriptedPredictor(goodAnswer, [unavailable()]);
    const h = await started(harness(predictor));
    await h.deliver();
    const run = await h.stored();
    expect(run.state).toBe('promoting');
    expect(run.decisions?.map((d) => [d.failedRequests, d.transportErrors])).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(run.decisions?.[0].candidate.answers).toBe(20);
  });

  it('hands a transient storm on without deciding: state unchanged, no rollback, then resumes', async () => {
    const predictor = new ScriptedPredictor(goodAnswer, storm(500));
    const h = await started(harness(predictor));
    await h.deliver(1);
    const during = await h.stored();
    expect(during).toMatchObject({ state: 'deployed', step: -1 });
    expect(during.decisions).toBeUndefined();
    expect(during.validation?.tally.transportErrors).toBe(predictor.calls);
    expect(predictor.calls).toBeLessThan(100);
    expect(h.endpoint.splits).toEqual([]);
    expect(h.registry.merged).toEqual([]);
    expect(h.publisher.on(TOPICS.modelDeployed)).toEqual([
      { runId: 'flowers-7-abc', step: -1 },
      { runId: 'flowers-7-abc', step: -1 },
    ]);
    await h.deliver();
    expect((await h.stored()).state).toBe('promoting');
  });

  it('resumes the saved tally after an outage instead of sampling again (§5)', async () => {
    const predictor = new ScriptedPredictor(goodAnswer, ['answer', 'answer', 'answer', ...storm(300)]);
    const h = await started(harness(predictor));
    await h.deliver(1);
    expect((await h.stored()).validation?.tally.byModel[CANDIDATE]?.requests).toBe(3);
    const deliveries = 1 + (await h.deliver());
    const run = await h.stored();
    expect(run.state).toBe('promoting');
    expect(deliveries).toBeGreaterThan(2);
    expect(predictor.calls - 300).toBe(2 * REQUESTS_PER_STEP);
    expect(run.decisions?.[0].transportErrors).toBe(300);
  });

  it('hands on at its time budget with the tally saved; the next invocation resumes and decides on the sum', async () => {
    const clock = fixedClock();
    const predictor = new ScriptedPredictor(goodAnswer, [], () => clock.advance(1_000));
    const h = await started(harness(predictor, clock, 2_500));
    await h.deliver(1);
    const first = await h.stored();
    expect(first).toMatchObject({ state: 'deployed', step: -1 });
    const saved = first.validation?.tally.byModel[CANDIDATE]?.requests ?? 0;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(REQUESTS_PER_STEP);
    await h.deliver();
    const run = await h.stored();
    expect(run.state).toBe('promoting');
    expect(run.decisions?.[0].candidate).toMatchObject({ answers: 20, requests: REQUESTS_PER_STEP });
    expect(predictor.calls).toBe(2 * REQUESTS_PER_STEP);
  });

  it("counts the candidate's refusals (a model error) against it", async () => {
    const refused = new PortError('invalid', `${ENDPOINT}: 3 INVALID_ARGUMENT: Failed to process the prediction.`);
    const predictor = new ScriptedPredictor(goodAnswer, ['answer', refused]);
    const h = await started(harness(predictor));
    await h.deliver();
    const run = await h.stored();
    expect(run).toMatchObject({ state: 'rolling-back', rollbackOutcome: 'rejected' });
    expect(run.reason).toMatch(/error rate .* is above 0\.0 % \(last error: .*INVALID_ARGUMENT/);
    expect(run.decisions?.[0]).toMatchObject({ failedRequests: 1, transportErrors: 0 });
    expect(h.endpoint.splits).toEqual([{ '111': 100 }]);
  });

  it('ends the run failed (not rejected), traffic restored, when Predict has kept failing past its patience', async () => {
    const clock = fixedClock();
    const tally = { ...newTally(CANDIDATE), transportErrors: 900, lastTransportError: '14 UNAVAILABLE' };
    const startedAt = new Date(clock.now().getTime() - VALIDATION_PATIENCE_MS - 1).toISOString();
    const validation = { step: -1, tally, startedAt, handOns: 40, lastHandOn: 'transient errors' as const };
    const predictor = new ScriptedPredictor(goodAnswer);
    const h = await started(harness(predictor, clock, 300_000, { validation }));
    await h.deliver();
    const run = await h.stored();
    expect(run).toMatchObject({ state: 'rolling-back', rollbackOutcome: 'failed' });
    expect(run.reason).toMatch(/Predict kept failing transiently, 900 times \(last: 14 UNAVAILABLE\)/);
    expect(h.endpoint.splits).toEqual([{ '111': 100 }]);
    expect(predictor.calls).toBe(0);
  });

  it('samples until both models sent MIN_LATENCY_SAMPLES requests under a latency gate: one stalled request does not reject', async () => {
    const timed = flowersWith('{maxErrorRate: 0, maxP95LatencyRatio: 3}');
    const clock = fixedClock();
    let calls = 0;
    // One request in ten reaches the candidate, as at a 10 % canary; the candidate's first one stalls 300 ms.
    const predictor = new ScriptedPredictor((instances) => {
      calls += 1;
      const candidate = calls % 10 === 1;
      clock.advance(candidate && calls === 1 ? 300 : 3);
      return { ...goodAnswer(instances), deployedModelId: candidate ? CANDIDATE : '111' };
    });
    const h = await started(harness(predictor, clock, 300_000, {}, timed));
    await h.deliver(1);
    const run = await h.stored();
    const first = run.decisions?.[0];
    expect(first).toMatchObject({ passed: true, trafficPercent: 10 });
    expect(first?.candidate.requests).toBe(MIN_LATENCY_SAMPLES);
    expect(first?.incumbent?.requests).toBeGreaterThanOrEqual(MIN_LATENCY_SAMPLES);
    expect(first?.candidate.answers).toBeGreaterThan(20);
  });
});
