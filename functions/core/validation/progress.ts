import { newTally, type ValidationTally } from './tally';

/**
 * A validation in progress, kept on the run record between invocations: one invocation samples
 * until its time budget or the weather stops it, saves the tally (compare-and-set, with the run)
 * and hands on; the next resumes it. So a long sample or a Predict outage costs about one sample's
 * worth of Predict calls plus retries, not one sample per delivery.
 */
export interface ValidationProgress {
  /** The traffic step sampled: a tally never carries over to another split. */
  step: number;
  tally: ValidationTally;
  /** When sampling at this step began. */
  startedAt: string;
  handOns: number;
  /** Why the last invocation handed on. */
  lastHandOn: 'time budget' | 'transient errors';
}

/** The saved tally for this step and candidate, or a fresh one. Returns a copy: the caller adds to it. */
export function resumeTally(
  progress: ValidationProgress | undefined,
  step: number,
  candidateId: string,
): ValidationTally {
  const saved = progressAt(progress, step, candidateId);
  return saved ? structuredClone(saved.tally) : newTally(candidateId);
}

/** The progress saved for this step and candidate, if any. */
export function progressAt(
  progress: ValidationProgress | undefined,
  step: number,
  candidateId: string,
): ValidationProgress | undefined {
  return progress && progress.step === step && progress.tally.candidateId === candidateId ? progress : undefined;
}
