import { classifyError, errorMessage } from '../../core/errors';
import { candidateModelName } from '../../core/mobile/firebase-ml-names';
import { versionObject } from '../../core/mobile/manifest-paths';
import {
  applyRolloutStep,
  firstStepBaseline,
  restoreRollout,
  RolloutTemplateError,
  rolloutSeed,
  type TemplateRollout,
} from '../../core/mobile/rollout-template';
import type { MobileRolloutRecord, RunRecord } from '../../core/run/run-record';
import { advance, endRun } from '../../core/run/transitions';
import type { Workflow } from '../../core/workflow/types';
import type { Clock, MobileChannel, MobileRelease, RemoteConfigTemplates, RolloutManifest } from '../ports';
import type { Stage } from '../run-stage';
import { changeTemplate } from './remote-config-change';

/** What a staged mobile rollout talks to besides the run store. */
export interface MobileRolloutDeps {
  templates: RemoteConfigTemplates;
  /** Cloud Storage for Firebase's manifest; absent when no Firebase bucket is configured. */
  manifest?: RolloutManifest;
  clock: Clock;
}

type Mobile = NonNullable<Workflow['mobile']>;
type Rollout = NonNullable<Mobile['rollout']>;

/**
 * The first step of a staged rollout, after validation passed (publishMobile): the candidate is
 * published under its own Firebase ML name `<modelName>_v<version>` and as a versioned object
 * with a manifest rollout entry (the manifest's current version stays), then Remote Config points
 * the first step's share of app instances at it. What restore needs is read from the template in
 * the same pass that publishes the first step. Idempotent: a retry republishes nothing new.
 */
export async function startMobileRollout(
  deps: MobileRolloutDeps & { channels: MobileChannel[] },
  run: RunRecord,
  mobile: Mobile & { rollout: Rollout },
  release: MobileRelease,
  validated: Pick<NonNullable<RunRecord['mobile']>, 'sha256' | 'sizeBytes' | 'validation'>,
): Promise<RunRecord> {
  const { rollout } = mobile;
  const channels: Record<string, { status: 'published' | 'skipped'; detail: string }> = {};
  const firebaseMlModel = mobile.channels.firebaseMl ? candidateModelName(mobile.modelName, run.version) : undefined;
  const object = versionObject(mobile.modelName, run.version);
  const useStorage = mobile.channels.firebaseStorage && deps.manifest !== undefined;
  const seed = rolloutSeed(run.runId);
  const candidateValue = firebaseMlModel ?? object;
  const first = rollout.steps[0];
  const plan = { parameter: rollout.parameter, seed, candidateValue };
  // A parameter that is missing (or in a group) fails the run before anything is published, so
  // it leaves no candidate model in Firebase ML that nothing points at.
  firstStepBaseline(await deps.templates.get(), plan, first);
  const ml = deps.channels.find((c) => c.name === 'firebaseMl');
  if (firebaseMlModel && ml)
    channels.firebaseMl = { status: 'published', detail: await ml.publish({ ...release, modelName: firebaseMlModel }) };
  let before: TemplateRollout['before'] | undefined;
  const change = await changeTemplate(
    deps.templates,
    (template) => {
      before = firstStepBaseline(template, plan, first);
      return applyRolloutStep(template, { ...plan, before }, undefined, first);
    },
    `ferry ${run.runId}: ${rollout.parameter} → ${candidateValue} for ${first} %`,
  );
  if (useStorage) {
    const manifestRollout = {
      runId: run.runId,
      parameter: rollout.parameter,
      seed,
      percent: first,
      candidate: {
        version: run.version,
        object,
        sha256: release.sha256,
        sizeBytes: release.bytes.byteLength,
        tags: release.tags,
        ...(firebaseMlModel ? { firebaseMlModel } : {}),
      },
    };
    channels.firebaseStorage = { status: 'published', detail: await deps.manifest!.stage(release, manifestRollout) };
    if (first === 100) await deps.manifest!.complete(mobile.modelName, run.runId);
  }
  const now = deps.clock.now();
  const record: MobileRolloutRecord = {
    modelName: mobile.modelName,
    parameter: rollout.parameter,
    seed,
    candidate: {
      version: run.version,
      sha256: release.sha256,
      ...(useStorage ? { object } : {}),
      ...(firebaseMlModel ? { firebaseMlModel } : {}),
    },
    candidateValue,
    before: before!,
    steps: rollout.steps,
    everyMs: rollout.everyMs,
    percent: first,
    ...(first < 100 ? { nextStepAt: new Date(now.getTime() + rollout.everyMs).toISOString() } : {}),
    templateVersions: change.publishedVersion ? [change.publishedVersion] : [],
  };
  const patched = { ...run, step: 0, mobile: { ...validated, channels, rollout: record } };
  const where = `Remote Config "${rollout.parameter}" → ${candidateValue} for ${first} % of app instances`;
  return first === 100
    ? advance(patched, 'published', now, `validated; ${where} (its default value)`)
    : advance(
        patched,
        'rolling-out',
        now,
        `validated; ${where}; next step ${rollout.steps[1]} % at ${record.nextStepAt}`,
      );
}

/**
 * Widens a rolling-out run from step `step` to the next, once its `every` has passed: Remote Config
 * (condition at the next percent, or at 100 % the default moved and the condition gone) and the
 * manifest's rollout entry (at 100 % the candidate becomes current). Driven by the reconciler
 * through runStage; a duplicate or late call finds the run at another step, or not yet due, and
 * changes nothing.
 */
export function mobileRolloutStepStage(deps: MobileRolloutDeps, step: number): Stage {
  return {
    name: 'mobileRolloutStep',
    expects: { state: 'rolling-out', step },
    produces: [{ state: 'rolling-out', step: step + 1 }, { state: 'published' }],
    next: () => [],
    async work(run) {
      const rollout = run.mobile?.rollout;
      if (!run.mobile || !rollout) throw new Error(`run ${run.runId} is rolling out without a rollout record`);
      const now = deps.clock.now();
      if (!isStepDue(run, now)) return run;
      const to = rollout.steps[step + 1];
      let change;
      try {
        change = await changeTemplate(
          deps.templates,
          (template) => applyRolloutStep(template, templateRollout(rollout), rollout.percent, to),
          `ferry ${run.runId}: ${rollout.parameter} → ${rollout.candidateValue} for ${to} %`,
        );
      } catch (error) {
        // A hand edit of ferry's part stops the run as it is (never overwritten); a transient error
        // is retried by the next pass; anything else (the service refusing the template) would leave
        // the candidate at a share nobody widens: ferry's part is restored and the run ends failed.
        if (error instanceof RolloutTemplateError || classifyError(error) === 'transient') throw error;
        const reason = `Remote Config refused the ${to} % step: ${errorMessage(error)}`;
        return endRun(run, 'failed', `${reason}; ${await restoreMobileRollout(deps, run, reason)}`, now);
      }
      if (rollout.candidate.object && deps.manifest) {
        if (to === 100) await deps.manifest.complete(rollout.modelName, run.runId);
        else await deps.manifest.widen(rollout.modelName, run.runId, to);
      }
      const { nextStepAt: _done, ...rest } = rollout;
      const record: MobileRolloutRecord = {
        ...rest,
        percent: to,
        ...(to < 100 ? { nextStepAt: new Date(now.getTime() + rollout.everyMs).toISOString() } : {}),
        templateVersions: [...rollout.templateVersions, ...(change.publishedVersion ? [change.publishedVersion] : [])],
      };
      const patched = {
        ...run,
        step: step + 1,
        mobile: { ...run.mobile, channels: widenedChannels(run.mobile.channels, rollout, to), rollout: record },
      };
      const where = `Remote Config "${rollout.parameter}" → ${rollout.candidateValue}`;
      return to === 100
        ? advance(
            patched,
            'published',
            now,
            `${where} for every app instance (the parameter's default); the condition is gone`,
          )
        : advance(
            patched,
            'rolling-out',
            now,
            `${where} for ${to} % of app instances; next step at ${record.nextStepAt}`,
          );
    },
  };
}

/** The Storage channel's line follows the manifest (it said the first step's share when it was staged). */
function widenedChannels(
  channels: NonNullable<RunRecord['mobile']>['channels'],
  rollout: MobileRolloutRecord,
  to: number,
): NonNullable<RunRecord['mobile']>['channels'] {
  const object = rollout.candidate.object;
  if (!object || !channels.firebaseStorage) return channels;
  const detail =
    to === 100
      ? `${object} is the manifest's current version (the rollout reached 100 %)`
      : `${object}: the manifest's rollout entry offers it to ${to} % of app instances`;
  return { ...channels, firebaseStorage: { status: 'published', detail } };
}

/** Whether a rolling-out run's next step is due. */
export function isStepDue(run: RunRecord, now: Date): boolean {
  const next = run.mobile?.rollout?.nextStepAt;
  return run.state === 'rolling-out' && next !== undefined && Date.parse(next) <= now.getTime();
}

/**
 * Puts ferry's part of the template back as it was before the rollout (the parameter exactly as
 * recorded, the condition gone; every other parameter and condition as they are now) and takes
 * the manifest's rollout entry away. Remote Config's own rollback to an earlier template version
 * would also undo everything published since, console edits included; hence this.
 */
export async function restoreMobileRollout(deps: MobileRolloutDeps, run: RunRecord, why: string): Promise<string> {
  const rollout = run.mobile?.rollout;
  if (!rollout) return 'no rollout to restore';
  const change = await changeTemplate(
    deps.templates,
    (template) => restoreRollout(template, templateRollout(rollout)),
    `ferry ${run.runId}: restore ${rollout.parameter} (${why})`.slice(0, 256),
  );
  if (rollout.candidate.object && deps.manifest) await deps.manifest.clear(rollout.modelName, run.runId);
  return change.publishedVersion
    ? `Remote Config "${rollout.parameter}" restored as before the rollout (template version ${change.publishedVersion})`
    : `Remote Config "${rollout.parameter}" already as before the rollout`;
}

function templateRollout(rollout: MobileRolloutRecord): TemplateRollout {
  return {
    parameter: rollout.parameter,
    seed: rollout.seed,
    candidateValue: rollout.candidateValue,
    before: rollout.before,
  };
}
