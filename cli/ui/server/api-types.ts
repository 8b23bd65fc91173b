import type { RunRecord, RunState, Outcome } from '../../../functions/core/run/run-record';
import type { PendingArtifact } from '../../stack/pending-artifacts';

/**
 * The JSON the `ferry ui` page reads (the contract between the server and cli/ui/public): one
 * place, so a change of shape shows up in both the builders and their tests.
 */
export interface RunSummary {
  runId: string;
  workflow: string;
  /** The workflow environment (staging, production) of a workflow with `environments`. */
  environment?: string;
  kind: RunRecord['kind'];
  version: string;
  state: RunState;
  outcome?: Outcome;
  createdAt: string;
  updatedAt: string;
  attempt?: number;
  awaitingApproval?: { action: 'promote' | 'step-up'; deadline: string; onTimeout: 'approve' | 'reject' };
}

export interface SplitEntry {
  deployedModelId: string;
  percent: number;
  version?: string;
  runId?: string;
}

export interface WorkflowRow {
  name: string;
  artifact: 'savedmodel' | 'tflite';
  endpoint: null | { name: string; displayName: string; split: SplitEntry[] };
  defaultVersion?: string;
  current?: RunSummary;
  last?: RunSummary;
  pendingApprovals: RunSummary[];
}

export interface Overview {
  generatedAt: string;
  source: 'local' | `project:${string}`;
  workflows: WorkflowRow[];
  runs: RunSummary[];
  deadLetters: number;
  waitingForFiles: PendingArtifact[];
}

export interface HistoryPoint {
  at: string;
  /** Version label (`v3`, or the deployed-model id when no run names it) → percent. */
  split: Record<string, number>;
}

export interface MobileReleaseView {
  workflow: string;
  version: string;
  runId: string;
  state: RunState;
  sizeBytes?: number;
  sha256?: string;
  channels: Record<string, { status: string; detail: string }>;
  live: boolean;
  /** A staged rollout through Remote Config: the share of app instances it reaches, the next step. */
  rollout?: { parameter: string; percent: number; nextStepAt?: string };
}
