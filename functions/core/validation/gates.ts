import type { Gates } from '../workflow/types';
import {
  candidateAnswers,
  percentile,
  totalRequests,
  type Mismatch,
  type ModelTally,
  type ValidationTally,
} from './tally';

/**
 * Requests each model must have answered before their p95 latencies are compared. A nearest-rank
 * p95 of fewer than 20 requests is their slowest one, so one stalled request (a pause of the
 * machine, not of the model) decided the gate; with 20 it takes two.
 */
export const MIN_LATENCY_SAMPLES = 20;

export interface ModelSummary {
  deployedModelId: string;
  requests: number;
  answers: number;
  matchRate: number;
  p95LatencyMs: number;
}

/** The decision and the numbers behind it; stored in the run record as they are. */
export interface GateDecision {
  passed: boolean;
  reasons: string[];
  candidate: ModelSummary;
  incumbent?: ModelSummary;
  requests: number;
  /** Refusals by a model: counted in `errorRate`. */
  failedRequests: number;
  errorRate: number;
  /** Transient failures (429, 503, ...) retried on the way: reported, never counted against the candidate. */
  transportErrors: number;
  /** The candidate's first few mismatches, with their instances (absent when it had none). */
  mismatches?: Mismatch[];
}

function summarise(deployedModelId: string, tally: ModelTally | undefined): ModelSummary {
  const answers = tally?.answers ?? 0;
  return {
    deployedModelId,
    requests: tally?.requests ?? 0,
    answers,
    matchRate: answers === 0 ? 0 : (tally?.matches ?? 0) / answers,
    p95LatencyMs: percentile(tally?.latenciesMs ?? [], 95),
  };
}

/**
 * Whether the sample so far can be judged: the candidate answered enough golden examples and, when
 * a latency gate is set, both it and the incumbent (if one answered at all: at 100 % none does)
 * sent MIN_LATENCY_SAMPLES requests. The caller also stops at the workflow's request budget.
 */
export function sampleComplete(gates: Gates, tally: ValidationTally, minCandidateAnswers: number): boolean {
  if (candidateAnswers(tally) < minCandidateAnswers) return false;
  if (gates.maxP95LatencyMs === undefined && gates.maxP95LatencyRatio === undefined) return true;
  const requests = (id: string | undefined) => (id === undefined ? 0 : (tally.byModel[id]?.requests ?? 0));
  if (requests(tally.candidateId) < MIN_LATENCY_SAMPLES) return false;
  const incumbent = incumbentOf(tally);
  return (
    gates.maxP95LatencyRatio === undefined || incumbent === undefined || requests(incumbent) >= MIN_LATENCY_SAMPLES
  );
}

/** The incumbent to compare with: the other model that answered most. */
function incumbentOf(tally: ValidationTally): string | undefined {
  return Object.entries(tally.byModel)
    .filter(([id]) => id !== tally.candidateId)
    .sort((a, b) => b[1].requests - a[1].requests)[0]?.[0];
}

export function evaluateGates(gates: Gates, tally: ValidationTally, minCandidateAnswers: number): GateDecision {
  const candidate = summarise(tally.candidateId, tally.byModel[tally.candidateId]);
  const incumbentId = incumbentOf(tally);
  const incumbent = incumbentId ? summarise(incumbentId, tally.byModel[incumbentId]) : undefined;
  const requests = totalRequests(tally);
  const errorRate = requests === 0 ? 0 : tally.failedRequests / requests;
  const reasons: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

  if (candidateAnswers(tally) < minCandidateAnswers) {
    reasons.push(
      `the candidate answered ${candidate.answers} golden examples, fewer than the ${minCandidateAnswers} needed, in ${requests} requests${tally.lastError ? ` (last error: ${tally.lastError})` : ''}`,
    );
  }
  if (candidate.answers > 0 && candidate.matchRate < gates.minMatchRate) {
    const first = tally.byModel[tally.candidateId]?.firstMismatch;
    reasons.push(
      `match rate ${pct(candidate.matchRate)} is below ${pct(gates.minMatchRate)}${first ? ` (first mismatch: ${first})` : ''}`,
    );
  }
  if (errorRate > gates.maxErrorRate)
    reasons.push(
      `error rate ${pct(errorRate)} is above ${pct(gates.maxErrorRate)}${tally.lastError ? ` (last error: ${tally.lastError})` : ''}`,
    );
  if (gates.maxP95LatencyMs !== undefined && candidate.p95LatencyMs > gates.maxP95LatencyMs) {
    reasons.push(`p95 latency ${candidate.p95LatencyMs.toFixed(1)} ms is above ${gates.maxP95LatencyMs} ms`);
  }
  // The ratio needs enough samples of both models to mean anything (sampleComplete asks for them), and a few milliseconds of
  // jitter on a fast model is not a regression: both must hold to reject.
  if (
    gates.maxP95LatencyRatio !== undefined &&
    incumbent &&
    candidate.requests >= MIN_LATENCY_SAMPLES &&
    incumbent.requests >= MIN_LATENCY_SAMPLES &&
    incumbent.p95LatencyMs > 0
  ) {
    const ratio = candidate.p95LatencyMs / incumbent.p95LatencyMs;
    const slower = candidate.p95LatencyMs - incumbent.p95LatencyMs;
    if (ratio > gates.maxP95LatencyRatio && slower > (gates.latencySlackMs ?? 0)) {
      reasons.push(
        `p95 latency is ${ratio.toFixed(2)}× the incumbent's (${slower.toFixed(1)} ms slower), above ${gates.maxP95LatencyRatio}× and ${gates.latencySlackMs} ms`,
      );
    }
  }
  const mismatches = tally.byModel[tally.candidateId]?.mismatches;
  return {
    passed: reasons.length === 0,
    reasons,
    candidate,
    incumbent,
    requests,
    failedRequests: tally.failedRequests,
    errorRate,
    transportErrors: tally.transportErrors ?? 0,
    ...(mismatches?.length ? { mismatches } : {}),
  };
}
