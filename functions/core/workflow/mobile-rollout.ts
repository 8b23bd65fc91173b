import { candidateModelNameProblem } from '../mobile/firebase-ml-names';
import { durationMs } from '../text/duration';
import type { MobileRollout, Workflow } from './types';

/** `mobile.rollout` as written in the file (the schema has checked the field types). */
export interface RawMobileRollout {
  parameter: string;
  steps: number[];
  every: string;
}

type Problem = (field: string, problem: string) => Error;

/**
 * Checks what the schema cannot: steps rising to 100, a real duration, a channel to carry the
 * candidate, and room in the Firebase ML name for the candidate's own model (`<modelName>_v<version>`).
 */
export function mobileRolloutOf(
  raw: RawMobileRollout,
  mobile: Pick<NonNullable<Workflow['mobile']>, 'modelName' | 'channels'>,
  problem: Problem,
): MobileRollout {
  raw.steps.forEach((step, i) => {
    if (i > 0 && step <= raw.steps[i - 1])
      throw problem(
        `mobile.rollout.steps[${i}]`,
        `is ${step}, not above the step before (${raw.steps[i - 1]}); steps rise strictly, e.g. [5, 25, 100]`,
      );
  });
  const last = raw.steps[raw.steps.length - 1];
  if (last !== 100)
    throw problem(
      'mobile.rollout.steps',
      `ends at ${last}; the last step must be 100 (the candidate becomes the parameter's default value there)`,
    );
  const everyMs = durationMs(raw.every);
  if (!everyMs)
    throw problem('mobile.rollout.every', `"${raw.every}" is not a duration above zero; write e.g. 30m, 24h or 2d`);
  if (!mobile.channels.firebaseMl && !mobile.channels.firebaseStorage)
    throw problem(
      'mobile.rollout',
      'needs a channel to carry the candidate, but mobile.channels switches both off; enable firebaseMl or firebaseStorage',
    );
  // The shortest version ("1") must fit; longer versions are checked when the artifact lands.
  const nameProblem = mobile.channels.firebaseMl ? candidateModelNameProblem(mobile.modelName, '1') : undefined;
  if (nameProblem) throw problem('mobile.modelName', nameProblem);
  return { parameter: raw.parameter, steps: raw.steps, everyMs };
}
