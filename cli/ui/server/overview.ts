import type { RunRecord } from '../../../functions/core/run/run-record';
import type { EndpointInfo } from '../../../functions/pipeline/ports';
import type { PendingArtifact } from '../../stack/pending-artifacts';
import type { Overview, SplitEntry, WorkflowRow } from './api-types';
import { currentRun, lastEnded, newestFirst, summarize } from './run-summary';

/** What the overview needs of a workflow file. */
export interface WorkflowInfo {
  name: string;
  artifact: 'savedmodel' | 'tflite';
  endpoint?: { displayName: string };
}

/** Everything read for one overview; the builders below only arrange it. */
export interface OverviewInput {
  source: Overview['source'];
  now: Date;
  workflows: WorkflowInfo[];
  runs: RunRecord[];
  /** Each workflow's endpoint as Vertex has it now (absent: none yet). */
  endpoints: Record<string, EndpointInfo | undefined>;
  /** Each workflow's Model Registry version (`…/models/M@V`) holding the alias `default`, when found. */
  defaultHolders: Record<string, string | undefined>;
  deadLetters: number;
  waitingForFiles: PendingArtifact[];
}

/** The deployed-model display name deploy-model.ts gives a run's deployment: `ferry-<runId>`. */
const DEPLOYED_NAME_PREFIX = 'ferry-';

export function buildOverview(input: OverviewInput): Overview {
  const runs = newestFirst(input.runs);
  return {
    generatedAt: input.now.toISOString(),
    source: input.source,
    workflows: workflowNames(input.workflows, runs).map((info) =>
      workflowRow(
        info,
        runs.filter((run) => run.workflow === info.name),
        runs,
        input,
      ),
    ),
    runs: runs.map(summarize),
    deadLetters: input.deadLetters,
    waitingForFiles: input.waitingForFiles,
  };
}

/** The loaded workflows and any that only runs still name (a workflow file since removed), by name. */
function workflowNames(workflows: WorkflowInfo[], runs: RunRecord[]): WorkflowInfo[] {
  const known = new Set(workflows.map((w) => w.name));
  const extra = new Map<string, WorkflowInfo>();
  for (const run of runs)
    if (!known.has(run.workflow) && !extra.has(run.workflow))
      extra.set(run.workflow, { name: run.workflow, artifact: run.kind === 'tflite' ? 'tflite' : 'savedmodel' });
  return [...workflows, ...extra.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function workflowRow(info: WorkflowInfo, own: RunRecord[], all: RunRecord[], input: OverviewInput): WorkflowRow {
  const endpoint = input.endpoints[info.name];
  const current = currentRun(own);
  const last = lastEnded(own);
  const row: WorkflowRow = {
    name: info.name,
    artifact: info.artifact,
    endpoint: endpoint
      ? {
          name: endpoint.name,
          displayName: info.endpoint?.displayName ?? info.name,
          split: labelSplit(endpoint, all),
        }
      : null,
    pendingApprovals: own.filter((run) => run.state === 'awaiting-approval').map(summarize),
  };
  const defaultVersion = versionHolding(own, input.defaultHolders[info.name]);
  if (defaultVersion !== undefined) row.defaultVersion = defaultVersion;
  if (current) row.current = summarize(current);
  if (last) row.last = summarize(last);
  return row;
}

/**
 * The endpoint's live split, each share named by the run that deployed it: the run whose
 * `deployment.deployedModelId` it is (the newest, should a retry reuse one), else the run named by
 * the deployed model's display name. Largest share first.
 */
export function labelSplit(endpoint: EndpointInfo, runs: RunRecord[]): SplitEntry[] {
  const byRunId = new Map(runs.map((run) => [run.runId, run]));
  const byDeployment = new Map<string, RunRecord>();
  for (const run of newestFirst(runs).reverse())
    if (run.deployment) byDeployment.set(run.deployment.deployedModelId, run);
  return Object.entries(endpoint.trafficSplit)
    .filter(([, percent]) => percent > 0)
    .map(([deployedModelId, percent]) => {
      const displayName = endpoint.deployedModels.find((d) => d.id === deployedModelId)?.displayName ?? '';
      const run =
        byDeployment.get(deployedModelId) ??
        (displayName.startsWith(DEPLOYED_NAME_PREFIX)
          ? byRunId.get(displayName.slice(DEPLOYED_NAME_PREFIX.length))
          : undefined);
      const entry: SplitEntry = { deployedModelId, percent };
      if (run) {
        entry.version = run.version;
        entry.runId = run.runId;
      }
      return entry;
    })
    .sort((a, b) => b.percent - a.percent || a.deployedModelId.localeCompare(b.deployedModelId));
}

/**
 * The Model Registry versions that may hold `default`, most likely first: those of runs that ended
 * promoted or rolled back, the latest to end first. The reader asks Vertex about them in this order
 * and stops at the first holding it, so a steady workflow costs one GetModel.
 */
export function defaultCandidates(runs: RunRecord[]): string[] {
  const ended = runs
    .filter((run) => run.model && (run.outcome === 'promoted' || run.outcome === 'rolled-back'))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return [...new Set(ended.map((run) => run.model!.versionName))];
}

/** The version of the newest run whose Model Registry version is `holder`. */
export function versionHolding(runs: RunRecord[], holder: string | undefined): string | undefined {
  if (!holder) return undefined;
  return newestFirst(runs).find((run) => run.model?.versionName === holder)?.version;
}
