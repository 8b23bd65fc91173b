/**
 * In-memory Vertex ports (Endpoints, ModelRegistry) with long-running operations, for unit tests of the
 * stages. They keep the one rule the stages must respect: an endpoint runs one mutation at a time,
 * refusing another meanwhile as `busy`; refusals are PortErrors; an alias moves off the version that
 * held it. `calls` records each mutation with its arguments. See memory-vertex.ts for endpoints that
 * check splits instead, and memory-endpoint.ts for fakes that record what they were given. Google's
 * clients are never faked (see memory-ports.ts).
 */
import { PortError } from '../../functions/core/errors';
import type { TrafficSplit } from '../../functions/core/traffic-split';
import type {
  DeployedModelInfo,
  DeployRequest,
  EndpointInfo,
  Endpoints,
  ModelRegistry,
  ModelVersionRef,
  OperationStatus,
  PendingOperation,
  UploadRequest,
  CopyRequest,
} from '../../functions/pipeline/ports';

interface MemoryOperation {
  endpoint?: string;
  /** Polls left before it is done. */
  polls: number;
  apply: () => void;
  error?: OperationStatus['error'];
  done: boolean;
}

export class MemoryEndpoints implements Endpoints {
  readonly endpoints = new Map<string, EndpointInfo>();
  readonly operations = new Map<string, MemoryOperation>();
  /** Every mutation in order, e.g. `undeploy 111`, for assertions. */
  readonly calls: string[] = [];
  /** How many polls an operation takes; 0 = done when started. */
  operationPolls = 1;
  /** Undeploys of these deployed-model ids end with this error. */
  failUndeploy = new Map<string, OperationStatus['error']>();
  /** UndeployModel calls for these deployed-model ids are refused with this error. */
  refuseUndeploy = new Map<string, Error>();
  private counter = 0;

  constructor(readonly parent = 'projects/p/locations/l') {}

  add(endpoint: EndpointInfo): void {
    this.endpoints.set(endpoint.name, structuredClone(endpoint));
  }

  async find(_displayName: string, workflow: string): Promise<EndpointInfo | undefined> {
    const found = this.endpoints.get(`${this.parent}/endpoints/ferry-${workflow}`);
    return found && structuredClone(found);
  }

  async getOrCreate(_displayName: string, workflow: string): Promise<EndpointInfo> {
    const name = `${this.parent}/endpoints/ferry-${workflow}`;
    if (!this.endpoints.has(name)) this.add({ name, trafficSplit: {}, deployedModels: [] });
    return this.get(name);
  }

  async get(endpoint: string): Promise<EndpointInfo> {
    return structuredClone(this.entry(endpoint));
  }

  async deploy(request: DeployRequest): Promise<string> {
    const entry = this.idle(request.endpoint);
    this.calls.push(`deploy ${request.deployedModelId}`);
    const [name, versionId] = request.model.split('@');
    const deployed: DeployedModelInfo = {
      id: request.deployedModelId,
      model: name,
      modelVersionId: versionId,
      displayName: request.displayName,
    };
    return this.start(request.endpoint, () => {
      entry.deployedModels.push(deployed);
      const split = { ...request.trafficSplit, [deployed.id]: request.trafficSplit['0'] ?? 0 };
      delete split['0'];
      entry.trafficSplit = split;
    });
  }

  async undeploy(endpoint: string, deployedModelId: string, trafficSplit: TrafficSplit): Promise<string> {
    const entry = this.idle(endpoint);
    const refusal = this.refuseUndeploy.get(deployedModelId);
    if (refusal) throw refusal;
    if (!entry.deployedModels.some((d) => d.id === deployedModelId))
      throw new PortError('not-found', `${endpoint} (deployed model ${deployedModelId}): not deployed`);
    if ((trafficSplit[deployedModelId] ?? 0) > 0)
      throw new PortError('invalid', `${endpoint}: the model being undeployed must get 0 traffic`);
    this.calls.push(`undeploy ${deployedModelId}`);
    const error = this.failUndeploy.get(deployedModelId);
    return this.start(
      endpoint,
      () => {
        entry.deployedModels = entry.deployedModels.filter((d) => d.id !== deployedModelId);
        entry.trafficSplit = Object.fromEntries(Object.entries(trafficSplit).filter(([id]) => id !== deployedModelId));
      },
      error,
    );
  }

  async setSplit(endpoint: string, trafficSplit: TrafficSplit): Promise<void> {
    const entry = this.idle(endpoint);
    this.calls.push(`setSplit ${JSON.stringify(trafficSplit)}`);
    entry.trafficSplit = { ...trafficSplit };
  }

  async operation(name: string): Promise<OperationStatus> {
    const op = this.operations.get(name);
    if (!op) throw new PortError('not-found', `${name}: no such operation`);
    if (!op.done && --op.polls <= 0) this.finish(op);
    return { done: op.done, ...(op.done && op.error ? { error: op.error } : {}) };
  }

  /** Operations not done yet. */
  running(): string[] {
    return [...this.operations].filter(([, op]) => !op.done).map(([name]) => name);
  }

  private start(endpoint: string | undefined, apply: () => void, error?: OperationStatus['error']): string {
    const name = `${endpoint ?? this.parent}/operations/${++this.counter}`;
    const op: MemoryOperation = { endpoint, polls: this.operationPolls, apply, error, done: false };
    this.operations.set(name, op);
    if (op.polls <= 0) this.finish(op);
    return name;
  }

  private finish(op: MemoryOperation): void {
    op.done = true;
    if (!op.error) op.apply();
  }

  private entry(endpoint: string): EndpointInfo {
    const entry = this.endpoints.get(endpoint);
    if (!entry) throw new PortError('not-found', `${endpoint}: no such endpoint`);
    return entry;
  }

  /** The endpoint, refusing as Vertex does while one of its operations runs. */
  private idle(endpoint: string): EndpointInfo {
    const entry = this.entry(endpoint);
    const running = [...this.operations].find(([, op]) => op.endpoint === endpoint && !op.done);
    if (running)
      throw new PortError('busy', `${endpoint}: has an operation in progress (${running[0]}); retry when it is done`);
    return entry;
  }
}

export class MemoryRegistry implements ModelRegistry {
  /** Version name → aliases. */
  readonly aliases = new Map<string, string[]>();
  readonly versions: Array<ModelVersionRef & { labels: Record<string, string> }> = [];
  /** UploadModel calls, including those still running. */
  uploads = 0;
  /** How many polls an upload takes; 0 = done when started (the version visible at once). */
  uploadPolls = 0;
  private readonly operations = new Map<string, { polls: number; commit: () => void; done: boolean }>();

  async findModel(): Promise<string | undefined> {
    return this.versions[0]?.name;
  }

  async findVersionByRun(parentModel: string, runId: string): Promise<ModelVersionRef | undefined> {
    return this.versions.find((v) => v.name === parentModel && Object.values(v.labels).includes(runId));
  }

  async upload(request: UploadRequest): Promise<ModelVersionRef | PendingOperation> {
    this.uploads += 1;
    const name = request.parentModel ?? 'projects/p/locations/l/models/1';
    const commit = () => {
      const versionId = String(this.versions.filter((v) => v.name === name).length + 1);
      const version = { name, versionId, versionName: `${name}@${versionId}`, aliases: [], labels: request.labels };
      this.versions.push(version);
      void this.mergeAliases(version.versionName, request.aliases);
      return version;
    };
    if (this.uploadPolls <= 0) return commit();
    const operation = `${name}/operations/${this.uploads}`;
    this.operations.set(operation, { polls: this.uploadPolls, commit, done: false });
    return { operation };
  }

  /** CopyModel: a new version under `parentModel`, or a new model in the destination; done at once. */
  async copy(request: CopyRequest): Promise<ModelVersionRef> {
    const source = this.versions.find((v) => v.versionName === request.sourceVersionName);
    if (!source) throw new PortError('not-found', `${request.sourceVersionName}: no such model version`);
    const name = request.parentModel ?? `${request.parent}/models/${this.versions.length + 1}`;
    const versionId = String(this.versions.filter((v) => v.name === name).length + 1);
    const version = { name, versionId, versionName: `${name}@${versionId}`, aliases: [], labels: { ...source.labels } };
    this.versions.push(version);
    return version;
  }

  async operation(name: string): Promise<OperationStatus> {
    const op = this.operations.get(name);
    if (!op) throw new PortError('not-found', `${name}: no such operation`);
    if (!op.done && --op.polls <= 0) {
      op.done = true;
      op.commit();
    }
    return { done: op.done };
  }

  async mergeAliases(versionName: string, aliases: string[]): Promise<void> {
    for (const alias of aliases) {
      if (alias.startsWith('-')) {
        this.aliases.set(
          versionName,
          (this.aliases.get(versionName) ?? []).filter((a) => a !== alias.slice(1)),
        );
        continue;
      }
      for (const [other, list] of this.aliases)
        this.aliases.set(
          other,
          list.filter((a) => a !== alias),
        );
      this.aliases.set(versionName, [...(this.aliases.get(versionName) ?? []), alias]);
    }
  }

  async aliasesOf(versionName: string): Promise<string[]> {
    return [...(this.aliases.get(versionName) ?? [])];
  }

  /** The version holding `alias`, if any. */
  holder(alias: string): string | undefined {
    return [...this.aliases].find(([, list]) => list.includes(alias))?.[0];
  }
}
