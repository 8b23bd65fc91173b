/**
 * One endpoint in memory behind ferry's OWN Vertex ports (functions/pipeline/ports.ts: Endpoints,
 * ModelRegistry, Predictor) for unit tests of validation and rollout: they record what they were
 * given (splits, undeploys, merged aliases) and check no Vertex rule (memory-vertex.ts and
 * memory-vertex-ops.ts do). Google's clients are never faked; their adapters are tested against
 * the emulator (test/contract/functions/adapters/vertex).
 */
import type { TrafficSplit } from '../../functions/core/traffic-split';
import type {
  DeployedModelInfo,
  EndpointInfo,
  Endpoints,
  ModelRegistry,
  Predictor,
  PredictResult,
} from '../../functions/pipeline/ports';

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};

/** One endpoint whose split and deployments the test reads back; undeploys finish at once (no operation). */
export class MemoryEndpoint implements Endpoints {
  readonly splits: TrafficSplit[] = [];
  readonly undeployed: string[] = [];
  constructor(
    readonly name: string,
    public trafficSplit: TrafficSplit,
    public deployedModels: DeployedModelInfo[],
  ) {}

  find = unused;
  getOrCreate = unused;
  deploy = unused;
  operation = unused;

  async get(): Promise<EndpointInfo> {
    return { name: this.name, trafficSplit: { ...this.trafficSplit }, deployedModels: [...this.deployedModels] };
  }

  async setSplit(_endpoint: string, split: TrafficSplit): Promise<void> {
    this.splits.push(split);
    this.trafficSplit = split;
  }

  async undeploy(_endpoint: string, deployedModelId: string, split: TrafficSplit): Promise<string> {
    this.undeployed.push(deployedModelId);
    this.deployedModels = this.deployedModels.filter((d) => d.id !== deployedModelId);
    this.trafficSplit = split;
    return `${this.name}/operations/undeploy-${deployedModelId}`;
  }
}

/** Records the aliases merged onto each version. */
export class MemoryRegistry implements ModelRegistry {
  readonly merged: Array<{ versionName: string; aliases: string[] }> = [];
  findModel = unused;
  findVersionByRun = unused;
  aliasesOf = unused;
  upload = unused;
  copy = unused;
  operation = unused;
  async mergeAliases(versionName: string, aliases: string[]): Promise<void> {
    this.merged.push({ versionName, aliases });
  }
}

/**
 * A Predictor that answers from a script: each call takes the next step (a result, or an error to
 * throw); past the end of the script it answers with `answer`. Counts calls.
 */
export class ScriptedPredictor implements Predictor {
  calls = 0;
  constructor(
    private readonly answer: (instances: unknown[]) => PredictResult,
    private readonly script: Array<'answer' | Error> = [],
    private readonly onCall: () => void = () => {},
  ) {}

  async predict(_endpoint: string, instances: unknown[]): Promise<PredictResult> {
    const step = this.script[this.calls] ?? 'answer';
    this.calls += 1;
    this.onCall();
    if (step instanceof Error) throw step;
    return this.answer(instances);
  }
}
