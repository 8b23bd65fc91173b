import type { Gates } from '../workflow/types';
import {
  candidateAnswers,
  percentile,
  totalRequests,
  type Mismatch,
  type ModelTally,
  type ValidationTally,
} from './tally';

/** Incumbent requests needed before its p95 is compared with the candidate's. */
export const MIN_LATENCY_SAMPLES = 10;

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
  // The ratio needs enough samples of the incumbent to mean anything, and a few milliseconds of
  // jitter on a fast model is not a regression: both must hold to reject.
  if (
    gates.maxP95LatencyRatio !== undefined &&
    incumbent &&
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
