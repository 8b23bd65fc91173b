/** What one deployed model did during validation. */
export interface ModelTally {
  requests: number;
  /** Golden examples answered. */
  answers: number;
  /** Answers within tolerance of the expected output. */
  matches: number;
  latenciesMs: number[];
  firstMismatch?: string;
  /** The first few mismatches with the instance that drew them (for a person: ferry ui's run page). */
  mismatches?: Mismatch[];
}

/** One wrong answer: what was wrong (expected, got) and the instance, its JSON cut short. */
export interface Mismatch {
  detail: string;
  instance: string;
}

/** Mismatches kept per model: enough to see a pattern, few enough to keep the run record small. */
export const KEPT_MISMATCHES = 5;
/** An instance can be an image's worth of numbers: only its beginning is kept. */
const INSTANCE_CHARS = 200;

/**
 * Everything a validation saw. Failed requests carry no deployedModelId, so they are counted apart:
 * `failedRequests` are refusals of the model (an error about its input or output), counted against
 * the candidate; `transportErrors` are the weather (429, 503, deadlines: retried), never counted.
 * Plain JSON: it is saved on the run record between invocations.
 */
export interface ValidationTally {
  candidateId: string;
  byModel: Record<string, ModelTally>;
  failedRequests: number;
  lastError?: string;
  transportErrors: number;
  lastTransportError?: string;
}

export function newTally(candidateId: string): ValidationTally {
  return { candidateId, byModel: {}, failedRequests: 0, transportErrors: 0 };
}

export function recordResponse(
  tally: ValidationTally,
  deployedModelId: string,
  latencyMs: number,
  mismatches: Array<string | undefined>,
  /** The instances the answers were for, in the same order. */
  instances: unknown[] = [],
): void {
  const model = (tally.byModel[deployedModelId] ??= { requests: 0, answers: 0, matches: 0, latenciesMs: [] });
  model.requests += 1;
  model.latenciesMs.push(latencyMs);
  mismatches.forEach((found, k) => {
    model.answers += 1;
    if (found === undefined) {
      model.matches += 1;
      return;
    }
    model.firstMismatch ??= found;
    const kept = (model.mismatches ??= []);
    if (kept.length < KEPT_MISMATCHES && !kept.some((m) => m.detail === found))
      kept.push({ detail: found, instance: shortJson(instances[k]) });
  });
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > INSTANCE_CHARS ? `${text.slice(0, INSTANCE_CHARS)}…` : text;
}

export function recordFailure(tally: ValidationTally, message: string): void {
  tally.failedRequests += 1;
  tally.lastError = message;
}

/** A transient failure (retried): reported, but no evidence about the model. */
export function recordTransportError(tally: ValidationTally, message: string): void {
  tally.transportErrors += 1;
  tally.lastTransportError = message;
}

export function candidateAnswers(tally: ValidationTally): number {
  return tally.byModel[tally.candidateId]?.answers ?? 0;
}

/** Requests the models answered or refused; transport errors are not requests of the sample. */
export function totalRequests(tally: ValidationTally): number {
  return Object.values(tally.byModel).reduce((sum, m) => sum + m.requests, 0) + tally.failedRequests;
}

/** Nearest-rank percentile; 0 for no samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
