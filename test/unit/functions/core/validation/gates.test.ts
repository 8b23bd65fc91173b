import { evaluateGates, MIN_LATENCY_SAMPLES, sampleComplete } from '../../../../../functions/core/validation/gates';
import { newTally, percentile, recordFailure, recordResponse } from '../../../../../functions/core/validation/tally';

const gates = { minMatchRate: 0.99, maxErrorRate: 0.01, maxP95LatencyRatio: 2 };

function tallyOf(
  candidate: { answers: number; wrong?: number; latency?: number },
  incumbent?: { answers: number; latency?: number },
  failures = 0,
) {
  const tally = newTally('222');
  for (let i = 0; i < candidate.answers; i += 1)
    recordResponse(tally, '222', candidate.latency ?? 10, [
      i < (candidate.wrong ?? 0) ? 'prediction[0]: expected 1, got 2' : undefined,
    ]);
  for (let i = 0; i < (incumbent?.answers ?? 0); i += 1)
    recordResponse(tally, '111', incumbent?.latency ?? 10, [undefined]);
  for (let i = 0; i < failures; i += 1) recordFailure(tally, 'UNAVAILABLE');
  return tally;
}

describe('evaluateGates', () => {
  it('passes a candidate that matches, is fast enough and had enough answers', () => {
    const decision = evaluateGates(gates, tallyOf({ answers: 30 }, { answers: 270 }), 20);
    expect(decision.passed).toBe(true);
    expect(decision.candidate).toMatchObject({ answers: 30, matchRate: 1 });
    expect(decision.incumbent?.deployedModelId).toBe('111');
  });

  it.each([
    [
      'wrong answers',
      tallyOf({ answers: 30, wrong: 30 }, { answers: 100 }),
      /match rate 0\.0 % is below 99\.0 % \(first mismatch: prediction\[0\]/,
    ],
    [
      'too few answers',
      tallyOf({ answers: 5 }, { answers: 100 }),
      /answered 5 golden examples, fewer than the 20 needed/,
    ],
    [
      'errors',
      tallyOf({ answers: 30 }, { answers: 60 }, 10),
      /error rate 10\.0 % is above 1\.0 % \(last error: UNAVAILABLE\)/,
    ],
    [
      'slowness against the incumbent',
      tallyOf({ answers: 30, latency: 50 }, { answers: 100, latency: 10 }),
      /p95 latency is 5\.00× the incumbent's \(40\.0 ms slower\)/,
    ],
  ])('rejects %s with the reason and numbers', (_name, tally, reason) => {
    const decision = evaluateGates(gates, tally, 20);
    expect(decision.passed).toBe(false);
    expect(decision.reasons.join('; ')).toMatch(reason);
  });

  it('ignores latency ratios within the slack, and incumbents with too few samples', () => {
    expect(
      evaluateGates(
        { ...gates, latencySlackMs: 20 },
        tallyOf({ answers: 30, latency: 15 }, { answers: 100, latency: 2 }),
        20,
      ).passed,
    ).toBe(true);
    expect(
      evaluateGates(
        { ...gates, latencySlackMs: 20 },
        tallyOf({ answers: 30, latency: 50 }, { answers: 100, latency: 2 }),
        20,
      ).passed,
    ).toBe(false);
    expect(evaluateGates(gates, tallyOf({ answers: 30, latency: 50 }, { answers: 5, latency: 2 }), 20).passed).toBe(
      true,
    );
  });

  it('does not let one stalled request of the candidate decide the ratio, but two do', () => {
    const stalled = (n: number) => {
      const tally = tallyOf({ answers: MIN_LATENCY_SAMPLES - n, latency: 3 }, { answers: 200, latency: 3 });
      for (let i = 0; i < n; i += 1) recordResponse(tally, '222', 300, [undefined]);
      return evaluateGates({ ...gates, latencySlackMs: 20 }, tally, 20);
    };
    expect(stalled(1).passed).toBe(true);
    expect(stalled(2).reasons).toEqual([expect.stringMatching(/p95 latency is 100\.00× the incumbent's/)]);
  });

  it('judges no ratio on fewer than MIN_LATENCY_SAMPLES requests of the candidate', () => {
    const few = tallyOf({ answers: MIN_LATENCY_SAMPLES - 1, latency: 300 }, { answers: 200, latency: 3 });
    expect(evaluateGates({ ...gates, latencySlackMs: 20 }, few, 19).passed).toBe(true);
  });

  it('applies an absolute latency gate when there is no incumbent', () => {
    const decision = evaluateGates(
      { minMatchRate: 1, maxErrorRate: 0, maxP95LatencyMs: 20 },
      tallyOf({ answers: 20, latency: 30 }),
      20,
    );
    expect(decision.reasons).toEqual(['p95 latency 30.0 ms is above 20 ms']);
    expect(decision.incumbent).toBeUndefined();
  });
});

describe('sampleComplete', () => {
  const noLatency = { minMatchRate: 1, maxErrorRate: 0 };
  /** The candidate answering 4 golden examples a request, the incumbent `incumbent` requests. */
  function sample(candidateRequests: number, incumbentRequests = 0) {
    const tally = newTally('222');
    for (let i = 0; i < candidateRequests; i += 1)
      recordResponse(tally, '222', 5, [undefined, undefined, undefined, undefined]);
    for (let i = 0; i < incumbentRequests; i += 1) recordResponse(tally, '111', 5, [undefined]);
    return tally;
  }

  it('needs only the answers without a latency gate', () => {
    expect(sampleComplete(noLatency, sample(4), 20)).toBe(false);
    expect(sampleComplete(noLatency, sample(5), 20)).toBe(true);
  });

  it('needs MIN_LATENCY_SAMPLES requests of the candidate for an absolute latency gate', () => {
    const absolute = { ...noLatency, maxP95LatencyMs: 100 };
    expect(sampleComplete(absolute, sample(MIN_LATENCY_SAMPLES - 1, 500), 20)).toBe(false);
    expect(sampleComplete(absolute, sample(MIN_LATENCY_SAMPLES, 1), 20)).toBe(true);
  });

  it('needs MIN_LATENCY_SAMPLES requests of both models for a ratio gate, of the candidate alone when no incumbent answers', () => {
    const ratio = { ...noLatency, maxP95LatencyRatio: 2 };
    expect(sampleComplete(ratio, sample(MIN_LATENCY_SAMPLES, MIN_LATENCY_SAMPLES - 1), 20)).toBe(false);
    expect(sampleComplete(ratio, sample(MIN_LATENCY_SAMPLES, MIN_LATENCY_SAMPLES), 20)).toBe(true);
    expect(sampleComplete(ratio, sample(MIN_LATENCY_SAMPLES), 20)).toBe(true);
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    expect(percentile([], 95)).toBe(0);
    expect(percentile([5], 95)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
    ).toBe(95);
  });
});

describe('mismatches kept for a person', () => {
  it('keeps the first five distinct ones with their instance, cut short, and the decision carries them', () => {
    const tally = newTally('222');
    const big = { x: Array.from({ length: 500 }, (_, i) => i) };
    recordResponse(
      tally,
      '222',
      5,
      ['line 1: expected 1, got 2', undefined, 'line 3: expected 3, got 4', 'line 1: expected 1, got 2'],
      [{ x: [1] }, { x: [2] }, big, { x: [1] }],
    );
    for (let line = 4; line <= 9; line += 1)
      recordResponse(tally, '222', 5, [`line ${line}: expected 0, got 1`], [{ x: [line] }]);
    const kept = tally.byModel['222'].mismatches!;
    expect(kept.map((m) => m.detail)).toEqual([
      'line 1: expected 1, got 2',
      'line 3: expected 3, got 4',
      'line 4: expected 0, got 1',
      'line 5: expected 0, got 1',
      'line 6: expected 0, got 1',
    ]);
    expect(kept[0].instance).toBe('{"x":[1]}');
    expect(kept[1].instance).toHaveLength(201);
    expect(kept[1].instance.endsWith('…')).toBe(true);
    expect(tally.byModel['222'].firstMismatch).toBe('line 1: expected 1, got 2');
    const decision = evaluateGates({ minMatchRate: 1, maxErrorRate: 0 }, tally, 1);
    expect(decision.mismatches).toBe(kept);
    expect(evaluateGates(gates, tallyOf({ answers: 30 }), 20)).not.toHaveProperty('mismatches');
  });
});
