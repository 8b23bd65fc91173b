import { createHash } from 'node:crypto';
import { errorMessage, isPortError } from '../../core/errors';
import { releaseNameProblem } from '../../core/mobile/firebase-ml-names';
import { versionAlias } from '../../core/run/run-id';
import type { RunRecord } from '../../core/run/run-record';
import { advance } from '../../core/run/transitions';
import { evaluateGates } from '../../core/validation/gates';
import { mismatch, type GoldenExample } from '../../core/validation/golden-set';
import { newTally, recordFailure, recordResponse, type ValidationTally } from '../../core/validation/tally';
import type { Workflow } from '../../core/workflow/types';
import type { WorkflowSet } from '../../core/workflow/workflow-set';
import type { Clock, MobileChannel, ObjectReader, TfliteRunner } from '../ports';
import type { Stage } from '../run-stage';
import { loadGoldenSet } from './sample-golden-set';
import { startMobileRollout, type MobileRolloutDeps } from './mobile-rollout';
import { workflowOf } from './workflow-of';
import { environmentOf } from '../../core/workflow/environment-of';

export interface PublishMobileDeps {
  objects: ObjectReader;
  runner: TfliteRunner;
  channels: MobileChannel[];
  workflows: WorkflowSet;
  clock: Clock;
  elapsedMs: () => number;
  /** Remote Config and the manifest, for workflows with `mobile.rollout`. */
  mobileRollout?: MobileRolloutDeps;
}

/** The candidate's own id in the tally: there is no endpoint, the runtime answers for it. */
const CANDIDATE = 'tflite';

/**
 * Runs the TFLite candidate on its golden set with Google's TFLite runtime, and only if every
 * gate passes publishes it on each enabled channel. A model that fails reaches no channel.
 */
export function publishMobileStage(deps: PublishMobileDeps): Stage {
  return {
    name: 'publishMobile',
    expects: { state: 'checked' },
    produces: [{ state: 'published' }, { state: 'rejected' }, { state: 'rolling-out' }],
    next: () => [],
    async work(run: RunRecord) {
      const workflow = workflowOf(deps.workflows, run);
      const mobile = workflow.mobile;
      if (!mobile) throw new Error(`${workflow.file}: mobile: is required for TFLite workflows`);
      const bytes = await deps.objects.read(run.bucket, run.root);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const reject = (reason: string, validation?: NonNullable<RunRecord['mobile']>['validation']) =>
        advance(
          { ...run, mobile: { sha256, sizeBytes: bytes.byteLength, validation, channels: {} } },
          'rejected',
          deps.clock.now(),
          reason,
        );
      // onArtifact refuses these already; a run started before that check existed still stops here.
      const badTag = releaseNameProblem(mobile, run.version);
      if (badTag) return reject(badTag);
      if (bytes.byteLength > mobile.maxSizeBytes)
        return reject(`the model is ${bytes.byteLength} bytes, above mobile.maxSizeBytes ${mobile.maxSizeBytes}`);
      const golden = await loadGoldenSet(deps.objects, workflow, run);
      let tally: ValidationTally;
      try {
        tally = await runGoldenSet(deps, bytes, golden);
      } catch (error) {
        if (isPortError(error, 'not-runnable')) return reject(error.message);
        throw error;
      }
      const decision = evaluateGates(environmentOf(workflow).gates, tally, golden.length);
      const answered = tally.byModel[CANDIDATE];
      const validation = {
        examples: golden.length,
        matches: answered?.matches ?? 0,
        ...(answered?.firstMismatch ? { firstMismatch: answered.firstMismatch } : {}),
      };
      if (!decision.passed) return reject(`TFLite validation failed: ${decision.reasons.join('; ')}`, validation);
      const release = {
        runId: run.runId,
        modelName: mobile.modelName,
        version: run.version,
        tags: [...mobile.tags, versionAlias(run.version)],
        bytes,
        sha256,
        gcsUri: `gs://${run.bucket}/${run.root}`,
      };
      if (mobile.rollout) {
        if (!deps.mobileRollout)
          throw new Error(
            `${workflow.file}: mobile.rollout needs Remote Config, which this function was not given (see the README's mobile rollout section)`,
          );
        const validated = { sha256, sizeBytes: bytes.byteLength, validation };
        const rollout = { ...mobile, rollout: mobile.rollout };
        return startMobileRollout({ ...deps.mobileRollout, channels: deps.channels }, run, rollout, release, validated);
      }
      const channels: Record<string, { status: 'published' | 'skipped'; detail: string }> = {};
      for (const channel of enabledChannels(deps.channels, workflow))
        channels[channel.name] = { status: 'published', detail: await channel.publish(release) };
      const where = Object.keys(channels).join(' and ') || 'no channel (all switched off)';
      return advance(
        { ...run, mobile: { sha256, sizeBytes: bytes.byteLength, validation, channels } },
        'published',
        deps.clock.now(),
        `validated on ${golden.length} golden examples; published on ${where}`,
      );
    },
  };
}

function enabledChannels(channels: MobileChannel[], workflow: Workflow): MobileChannel[] {
  const enabled = workflow.mobile?.channels;
  return channels.filter((channel) => enabled?.[channel.name]);
}

async function runGoldenSet(
  deps: PublishMobileDeps,
  bytes: Uint8Array,
  golden: GoldenExample[],
): Promise<ValidationTally> {
  const tally = newTally(CANDIDATE);
  for (const example of golden) {
    const started = deps.elapsedMs();
    try {
      const [prediction] = await deps.runner.predict(bytes, [example.instance]);
      recordResponse(tally, CANDIDATE, deps.elapsedMs() - started, [
        mismatch(example.expected, prediction, example.tolerance, `golden line ${example.line}: prediction`),
      ]);
    } catch (error) {
      if (isPortError(error, 'not-runnable')) throw error;
      recordFailure(tally, `golden line ${example.line}: ${errorMessage(error)}`);
    }
  }
  return tally;
}
