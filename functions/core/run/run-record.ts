import type { RcParameter } from '../mobile/remote-config-template';
import type { GateDecision } from '../validation/gates';
import type { ValidationProgress } from '../validation/progress';
import type { TrafficSplit } from '../traffic-split';

/**
 * Where a run stands. A SavedModel goes checked → registered → deploying → deployed → (validated
 * at each traffic step) → promoting → promoted, or → rolling-back → rejected; a workflow with an
 * `approval` waits in awaiting-approval (canary serving) between a passed validation and the step
 * a person must approve. A TFLite model goes checked → published or rejected; with
 * `mobile.rollout` it goes checked → rolling-out (one step per `every`, through Remote Config) →
 * published, or → aborted / failed with ferry's part of the template restored. A run of kind
 * `rollback` (ferry rollback) goes registered → (deploying →) rolled-back. Any stage may end in
 * failed; an operator's `ferry abort` ends a run aborted.
 */
export type RunState =
  | 'checked'
  | 'registered'
  | 'deploying'
  | 'deployed'
  | 'awaiting-approval'
  | 'promoting'
  | 'rolling-back'
  | 'rolling-out'
  | 'promoted'
  | 'published'
  | 'rejected'
  | 'failed'
  | 'aborted'
  | 'rolled-back';

export type Outcome = 'promoted' | 'published' | 'rejected' | 'failed' | 'aborted' | 'rolled-back';

/** Every outcome: terraform/monitoring.tf counts each with a log-based metric (a test checks they agree). */
export const OUTCOMES: readonly Outcome[] = ['promoted', 'published', 'rejected', 'failed', 'aborted', 'rolled-back'];

export const TERMINAL_STATES: ReadonlySet<RunState> = new Set(OUTCOMES);

/** Who did what to a run by hand (or the reconciler for them, on an approval's timeout). */
export interface OperatorAction {
  verb: 'approve' | 'reject' | 'abort' | 'retry' | 'rollback' | 'replay';
  /** `$FERRY_OPERATOR`, else user@host of the machine the CLI ran on; `ferry reconciler` on a timeout. */
  by: string;
  at: string;
  reason?: string;
  /** The traffic step the run stood at. */
  step?: number;
}

/** A passed validation waiting for a person (workflow `approval`). */
export interface PendingApproval {
  /** What approving does: promote (at 100 % or the last step) or step up to the next traffic step. */
  action: 'promote' | 'step-up';
  /** The validation summary the approval is about (it becomes the next timeline entry's detail). */
  summary: string;
  requestedAt: string;
  /** After this the reconciler applies `onTimeout`. */
  deadline: string;
  onTimeout: 'approve' | 'reject';
  /** When the reconciler logged the approval-overdue alert (half the timeout), once. */
  overdueLoggedAt?: string;
}

export interface TimelineEntry {
  state: RunState;
  at: string;
  /** One line a person can read: what happened, with numbers. */
  detail?: string;
  step?: number;
}

export interface RunRecord {
  runId: string;
  workflow: string;
  /** `rollback`: a run of `ferry rollback`, putting an earlier promoted version back. */
  kind: 'savedmodel' | 'tflite' | 'rollback';
  /** 1 for a drop; `ferry retry` makes attempt 2, 3… of the same artifact version. */
  attempt?: number;
  /** The attempt this one retries (`ferry retry`), whose Model Registry version it reuses. */
  retryOf?: string;
  /**
   * The workflow environment this run rolls out in (absent: a workflow without `environments`).
   * `parent` (`projects/P/locations/L`) is set when the environment is in another region or
   * project than the functions; absent: their own.
   */
  environment?: { name: string; parent?: string };
  /** The run of the previous environment whose promotion started this one. */
  promotedFrom?: string;
  /**
   * A run in another region of the same project: the Model Registry version to copy there
   * (CopyModel) instead of uploading the artifact again.
   */
  copyFrom?: string;
  bucket: string;
  /** `models/flowers/7/` or `mobile/flowers/7/model.tflite`. */
  root: string;
  version: string;
  state: RunState;
  /** Index into the workflow's traffic steps (-1 = the canary) while deploying and validating. */
  step: number;
  outcome?: Outcome;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
  /** Static facts found by the inspector (signatures, TF version, sizes). */
  inspection?: Record<string, unknown>;
  model?: { name: string; versionId: string; versionName: string; servingImage: string };
  endpoint?: { name: string };
  deployment?: {
    deployedModelId: string;
    /** The split before the candidate arrived: what a rollback restores exactly. */
    previousSplit: TrafficSplit;
    split?: TrafficSplit;
    operation?: string;
  };
  /** How a rollback ends: `rejected` when validation (or a person) said no, `failed` when it could not run, `aborted` by `ferry abort`. */
  rollbackOutcome?: 'rejected' | 'failed' | 'aborted';
  /** Set while the run is `awaiting-approval`. */
  approval?: PendingApproval;
  /** approve / reject / abort / retry …: who, when, why, in order. */
  operatorActions?: OperatorAction[];
  /**
   * An UploadModel (`registering`) or CreateEndpoint (`creating-endpoint`) that outlasted its stage:
   * awaitOperation follows it and a retry of the stage follows it too, never starting another.
   */
  pendingOperation?: { kind: 'registering' | 'creating-endpoint'; name: string; startedAt: string };
  /** Undeploy operations still running (rollback or retiring old versions). */
  pendingOperations?: string[];
  /**
   * The promotion under way (state `promoting`): whether `default` has moved to the candidate
   * (from then on the run can only end promoted), the deployments still to retire in order (the
   * head is being undeployed while `pendingOperations` holds its operation), those retired, and
   * those left deployed with why.
   */
  promotion?: {
    defaultMoved: boolean;
    retiring?: string[];
    retired?: string[];
    leftovers?: Record<string, string>;
  };
  decisions?: Array<GateDecision & { step: number; trafficPercent: number }>;
  /**
   * When the reconciler republished the message the run waits for, because it had made no progress
   * within its state's budget (core/run/stall-budgets.ts). Applies to the current state only: any
   * later state change (`updatedAt`) makes it stale.
   */
  nudgedAt?: string;
  /** The Pub/Sub dead letter that ended the run (its message id), so `ferry status` can tie the two. */
  deadLetterId?: string;
  /** A validation handed on before deciding (time budget, transient errors): the next invocation resumes it. */
  validation?: ValidationProgress;
  /** Held while one delivery works on the run; other deliveries retry until it is gone or expired. */
  claim?: { by: string; stage: string; until: string };
  mobile?: {
    sha256: string;
    sizeBytes: number;
    validation?: { examples: number; matches: number; firstMismatch?: string };
    channels: Record<string, { status: 'published' | 'skipped'; detail: string }>;
    /** A staged rollout through Remote Config (workflow `mobile.rollout`), while and after it runs. */
    rollout?: MobileRolloutRecord;
  };
}

/**
 * A mobile rollout as the run records it. `run.step` is the index into the workflow's
 * `mobile.rollout.steps` ferry last set in Remote Config.
 */
export interface MobileRolloutRecord {
  /** The workflow's `mobile.modelName`: the manifest's name. */
  modelName: string;
  parameter: string;
  /** The percent condition's seed (from the run id): apps applying the manifest rule use it too. */
  seed: string;
  candidate: { version: string; sha256: string; object?: string; firebaseMlModel?: string };
  /** The parameter value that selects the candidate. */
  candidateValue: string;
  /** The parameter exactly as it was before the first step: what abort and rollback restore. */
  before: RcParameter;
  /** The workflow's steps and interval when the rollout started (a workflow edited meanwhile does not change it). */
  steps: number[];
  everyMs: number;
  /** The percent ferry last set. */
  percent: number;
  /** When the next step is due (absent at 100 %). */
  nextStepAt?: string;
  /** Remote Config template versions ferry published, in order (what to look for in the history). */
  templateVersions: string[];
}

export function isTerminal(run: RunRecord): boolean {
  return TERMINAL_STATES.has(run.state);
}
