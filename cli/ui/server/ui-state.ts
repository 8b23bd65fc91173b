import type { RunRecord } from '../../../functions/core/run/run-record';
import type { EndpointInfo, ModelRegistry } from '../../../functions/pipeline/ports';
import { peekDeadLetters } from '../../stack/dead-letters';
import { readPendingArtifacts } from '../../stack/pending-artifacts';
import { resolveTarget } from '../../stack/target';
import { openVertexPorts } from '../../stack/vertex-ports';
import type { Gates } from '../../../functions/core/workflow/types';
import { endpointKey, environmentOf } from '../../../functions/core/workflow/environment-of';
import { loadCliWorkflows } from '../../workflows-dir';
import type { Overview } from './api-types';
import { buildOverview, defaultCandidates, type WorkflowInfo } from './overview';

/** What the UI's routes read: the same state `ferry status` reads, plus the endpoints' live splits. */
export interface UiState {
  /** `local`, or `project:<id>` for a real project (`--project`). */
  source: Overview['source'];
  /** The real project's id (console links); undefined on the local stack. */
  project?: string;
  runs(): Promise<RunRecord[]>;
  run(runId: string): Promise<RunRecord | undefined>;
  /**
   * The endpoint of the workflow's `environment` (default: its last, where `default` serves) as
   * Vertex has it now; undefined when it has none (yet).
   */
  endpoint(workflow: string, environment?: string): Promise<EndpointInfo | undefined>;
  /** The workflow's environment names, in order (empty without `environments`); undefined if unknown. */
  environments?(workflow: string): string[] | undefined;
  /** The thresholds a run's gates judge with (its environment's, the run page draws them); undefined if unknown. */
  gates?(workflow: string, environment?: string): Gates | undefined;
  overview(): Promise<Overview>;
  close(): Promise<void>;
}

/** At most this many GetModel calls per workflow to find the version holding `default`. */
const DEFAULT_LOOKUPS = 5;

/**
 * Opens the local stack (`.ferry/stack.json`, FERRY_STACK_FILE) or a real project (`project`:
 * Application Default Credentials, FERRY_STATE_BUCKET), with Vertex clients of its own
 * (cli/stack/vertex-ports.ts).
 */
export async function openUiState(project?: string): Promise<UiState> {
  const target = await resolveTarget(project);
  const { GcsDocuments } = await import('../../../functions/adapters/gcs/gcs-documents');
  const vertex = await openVertexPorts();
  const { endpoints, registry } = vertex;
  const documents = new GcsDocuments(() => target.storage, target.stateBucket);
  const workflows = () => loadCliWorkflows().workflows;
  const runs = () => documents.list<RunRecord>('runs/');
  const endpoint = async (workflow: string, loaded = workflows(), environment?: string) => {
    const known = loaded.find((w) => w.name === workflow);
    if (known && known.artifact !== 'savedmodel') return undefined;
    // A workflow with environments: the named one's endpoint, by default the last one's
    // (production), where `default` serves.
    const chosen = known?.environments?.find((e) => e.name === environment) ?? known?.environments?.at(-1);
    if (chosen) return endpoints.find(chosen.endpoint.displayName, endpointKey(workflow, chosen.name));
    return endpoints.find(known?.endpoint?.displayName ?? workflow, workflow);
  };
  return {
    source: project ? `project:${project}` : 'local',
    ...(project ? { project } : {}),
    runs,
    run: async (runId) => (await documents.get<RunRecord>(`runs/${runId}.json`))?.value,
    endpoint: (workflow, environment) => endpoint(workflow, undefined, environment),
    environments: (workflow) => {
      const known = workflows().find((w) => w.name === workflow);
      return known ? (known.environments ?? []).map((e) => e.name) : undefined;
    },
    overview: async () => {
      const loaded = workflows();
      const [all, deadLetters, waitingForFiles] = await Promise.all([
        runs(),
        peekDeadLetters(),
        readPendingArtifacts(target.storage, target.stateBucket),
      ]);
      const infos: WorkflowInfo[] = loaded.map((w) => ({
        name: w.name,
        artifact: w.artifact,
        ...(w.endpoint ? { endpoint: { displayName: w.endpoint.displayName } } : {}),
      }));
      const savedModels = infos.filter((w) => w.artifact === 'savedmodel').map((w) => w.name);
      const found = await Promise.all(
        savedModels.map(async (name) => {
          const own = all.filter((run) => run.workflow === name);
          return [name, await endpoint(name, loaded), await defaultHolder(registry, own)] as const;
        }),
      );
      return buildOverview({
        source: project ? `project:${project}` : 'local',
        now: new Date(),
        workflows: infos,
        runs: all,
        endpoints: Object.fromEntries(found.map(([name, info]) => [name, info])),
        defaultHolders: Object.fromEntries(found.map(([name, , holder]) => [name, holder])),
        deadLetters: deadLetters.length,
        waitingForFiles,
      });
    },
    gates: (workflow, environment) => {
      const known = workflows().find((w) => w.name === workflow);
      try {
        return known ? environmentOf(known, environment).gates : undefined;
      } catch {
        return undefined; // the workflow file no longer lists the run's environment
      }
    },
    close: () => vertex.close(),
  };
}

/** The Model Registry version holding `default`, asking about the likeliest first. */
async function defaultHolder(registry: Pick<ModelRegistry, 'aliasesOf'>, runs: RunRecord[]) {
  for (const versionName of defaultCandidates(runs).slice(0, DEFAULT_LOOKUPS)) {
    try {
      if ((await registry.aliasesOf(versionName)).includes('default')) return versionName;
    } catch {
      // A version deleted by hand: the next candidate may still hold it.
    }
  }
  return undefined;
}
