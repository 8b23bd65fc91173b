/** A promotion workflow with every default applied (see ./workflow.schema.json). */
export interface Workflow {
  name: string;
  description?: string;
  /** Where it was loaded from, for error messages. */
  file: string;
  match: string;
  artifact: 'savedmodel' | 'tflite';
  model?: {
    displayName: string;
    description?: string;
    /** 'auto' = the prebuilt TensorFlow image for the SavedModel's TensorFlow version. */
    servingImage: string;
    labels: Record<string, string>;
  };
  endpoint?: {
    displayName: string;
    machineType: string;
    minReplicas: number;
    maxReplicas: number;
  };
  rollout: {
    canaryPercent: number;
    /** Traffic percentages after the canary, ascending, always ending at 100. */
    steps: number[];
    /** Previous versions left deployed (with no traffic) after a promotion. */
    keepPrevious: number;
  };
  /** A person's approval between a passed validation and the next step (absent: ferry decides alone). */
  approval?: Approval;
  validation: {
    goldenSet: string;
    /** Golden answers the candidate must give before the gates are evaluated. */
    minCandidateAnswers: number;
    /** Upper bound on prediction requests per validation, so a stuck canary cannot loop forever. */
    maxRequests: number;
    gates: Gates;
  };
  /**
   * Where a promoted version goes next, in order (staging, then production): each its own
   * endpoint and, where set, its own rollout, gates and approval. Absent: one implicit
   * environment made of `endpoint`, `rollout`, `validation.gates` and `approval`
   * (read them through environment-of.ts, never directly).
   */
  environments?: Environment[];
  mobile?: {
    modelName: string;
    tags: string[];
    channels: { firebaseMl: boolean; firebaseStorage: boolean };
    maxSizeBytes: number;
    /** A staged rollout through a Remote Config percent condition (absent: every app gets it at once). */
    rollout?: MobileRollout;
  };
}

/** `mobile.rollout`: the share of app instances a candidate reaches, widened step by step. */
export interface MobileRollout {
  /** The Remote Config parameter apps read to pick their model. */
  parameter: string;
  /** Percent of app instances per step, strictly ascending, ending at 100. */
  steps: number[];
  /** Time between steps. */
  everyMs: number;
}

/** One environment with the workflow's defaults applied (top-level rollout, gates, approval). */
export interface Environment {
  /** Lowercase, also the Vertex alias its promotion moves (e.g. `staging`). */
  name: string;
  endpoint: NonNullable<Workflow['endpoint']>;
  /** Another Vertex region (e.g. europe-west4); absent: the functions' own. */
  region?: string;
  /** Another Google Cloud project id; absent: the functions' own. */
  project?: string;
  rollout: Workflow['rollout'];
  gates: Gates;
  approval?: Approval;
}

export interface Approval {
  before: 'promote' | 'each-step';
  timeoutMs: number;
  onTimeout: 'reject' | 'approve';
}

export interface Gates {
  minMatchRate: number;
  maxErrorRate: number;
  maxP95LatencyMs?: number;
  maxP95LatencyRatio?: number;
  /** The ratio gate fails only when the candidate is also this much slower in milliseconds. */
  latencySlackMs?: number;
}

export const WORKFLOW_DEFAULTS = {
  machineType: 'n1-standard-2',
  minReplicas: 1,
  canaryPercent: 10,
  keepPrevious: 1,
  minCandidateAnswers: 20,
  maxRequests: 2000,
  minMatchRate: 1,
  latencySlackMs: 20,
  maxErrorRate: 0,
  mobileMaxSizeBytes: 100 * 1024 * 1024,
  approvalTimeout: '24h',
  approvalOnTimeout: 'reject',
} as const;
