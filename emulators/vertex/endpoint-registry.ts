import { timestamp } from './clock';
import { parseFilter, type Filterable } from './list-filter';
import type { Msg } from './protos';
import { type LocationName, endpointPath, locationPath, parseEndpointName } from './resource-names';
import { RpcError, badField, Code, failedPrecondition, notFound } from './rpc-error';
import type { TrafficSplit } from './traffic-split';
import { checkLabels, checkText } from './validation';

/** A model answering predictions for one deployed model; the emulator's port to a runtime. */
export interface LoadedModel {
  predict(instances: unknown[]): Promise<unknown[]>;
  dispose?(): void;
}

/** A model deployed on an endpoint, with the runtime that answers for it. */
export interface DeployedModelRecord {
  id: string;
  model: string;
  modelVersionId: string;
  modelDisplayName: string;
  displayName?: string;
  createTime: number;
  dedicatedResources?: Msg;
  automaticResources?: Msg;
  loaded: LoadedModel;
}

/** One endpoint as the emulator keeps it. */
export interface EndpointEntry extends Filterable {
  name: string;
  displayName: string;
  description?: string;
  labels: Record<string, string>;
  createTime: number;
  updateTime: number;
  etag: string;
  deployed: DeployedModelRecord[];
  trafficSplit: TrafficSplit;
  /** A DeployModel/UndeployModel in flight; other mutations wait for it. */
  pendingOperation?: string;
}

const NUMERIC_ID_RE = /^[1-9][0-9]{0,9}$/;
const NAMED_ID_RE = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DEPLOYED_ID_RE = /^[0-9]{1,10}$/;

/**
 * Endpoint state: creation, lookup, lists and the resource checks of DeployModel.
 * https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints
 */
export class EndpointRegistry {
  readonly endpoints = new Map<string, EndpointEntry>();
  /** Saved and restored with the emulator's state (dataDir). */
  etagCount = 0;

  constructor(private readonly newId: () => string) {}

  touch(entry: EndpointEntry): void {
    this.etagCount += 1;
    entry.updateTime = Date.now();
    entry.etag = `AMEw9z${this.etagCount.toString(36)}`;
  }

  get(name: unknown, field = 'name'): EndpointEntry {
    const path = endpointPath(parseEndpointName(name, field));
    const entry = this.endpoints.get(path);
    if (!entry) throw notFound(`Endpoint ${path} not found.`);
    return entry;
  }

  /** Checks CreateEndpoint; the closure creates it when the operation completes. */
  planCreate(parent: LocationName, req: Msg): { name: string; ids: string[]; commit: () => Msg } {
    const ep = req.endpoint as Msg | undefined;
    if (!ep || typeof ep !== 'object') throw badField('endpoint', 'is required.');
    const displayName = checkText(ep.displayName, 'endpoint.display_name');
    const labels = checkLabels(ep.labels, 'endpoint.labels');
    const wanted = req.endpointId as string | undefined;
    if (wanted && !NUMERIC_ID_RE.test(wanted) && !NAMED_ID_RE.test(wanted)) {
      throw badField(
        'endpoint_id',
        'must be up to 10 digits without a leading zero, or up to 63 of [a-z0-9-] starting with a letter.',
      );
    }
    const ids = wanted ? [] : [this.newId()];
    const name = `${locationPath(parent)}/endpoints/${wanted || ids[0]}`;
    const exists = (): void => {
      if (this.endpoints.has(name)) throw new RpcError(Code.ALREADY_EXISTS, `Endpoint ${name} already exists.`);
    };
    exists();
    const commit = (): Msg => {
      exists();
      const now = Date.now();
      const entry: EndpointEntry = {
        name,
        displayName,
        description: ep.description,
        labels,
        createTime: now,
        updateTime: now,
        etag: '',
        deployed: [],
        trafficSplit: {},
      };
      this.touch(entry);
      this.endpoints.set(name, entry);
      return this.toProto(entry);
    };
    return { name, ids, commit };
  }

  list(parent: LocationName, filter: unknown): Msg[] {
    const match = parseFilter(filter);
    const prefix = `${locationPath(parent)}/endpoints/`;
    return [...this.endpoints.values()]
      .filter((e) => e.name.startsWith(prefix) && match(e))
      .map((e) => this.toProto(e));
  }

  /** Refuses a second mutation while a deploy/undeploy of this endpoint is in flight. */
  checkIdle(entry: EndpointEntry): void {
    if (entry.pendingOperation) {
      throw failedPrecondition(
        `Endpoint ${entry.name} has an operation in progress (${entry.pendingOperation}); retry when it is done.`,
      );
    }
  }

  /** Deployed-model id: the requested one (1–10 digits, unused) or a fresh one. */
  deployedModelId(entry: EndpointEntry, requested: unknown): string {
    if (requested === undefined || requested === '') return this.newId();
    if (typeof requested !== 'string' || !DEPLOYED_ID_RE.test(requested))
      throw badField('deployed_model.id', 'must be 1-10 digits.');
    if (entry.deployed.some((d) => d.id === requested)) {
      throw new RpcError(Code.ALREADY_EXISTS, `Deployed model ${requested} already exists on ${entry.name}.`);
    }
    return requested;
  }

  toProto(entry: EndpointEntry): Msg {
    return {
      name: entry.name,
      displayName: entry.displayName,
      description: entry.description,
      labels: entry.labels,
      createTime: timestamp(entry.createTime),
      updateTime: timestamp(entry.updateTime),
      etag: entry.etag,
      trafficSplit: entry.trafficSplit,
      deployedModels: entry.deployed.map(deployedModelProto),
    };
  }
}

/** Dedicated resources need a machine type and at least one replica; automatic resources are accepted as given. */
export function checkResources(dm: Msg): void {
  const dedicated = dm.dedicatedResources as Msg | undefined;
  if (dedicated) {
    if (!dedicated.machineSpec?.machineType)
      throw badField('deployed_model.dedicated_resources.machine_spec.machine_type', 'is required.');
    const min = Number(dedicated.minReplicaCount ?? 0);
    if (min < 1)
      throw badField('deployed_model.dedicated_resources.min_replica_count', `must be at least 1, got ${min}.`);
    const max = Number(dedicated.maxReplicaCount ?? 0);
    if (max !== 0 && max < min)
      throw badField(
        'deployed_model.dedicated_resources.max_replica_count',
        `must be at least min_replica_count (${min}), got ${max}.`,
      );
    return;
  }
  if (!dm.automaticResources) {
    throw badField(
      'deployed_model.dedicated_resources',
      'is required: set dedicated_resources (machine_spec, min_replica_count >= 1) or automatic_resources.',
    );
  }
}

/** The `google.cloud.aiplatform.v1.DeployedModel` message. */
export function deployedModelProto(d: DeployedModelRecord): Msg {
  return {
    id: d.id,
    model: d.model,
    modelVersionId: d.modelVersionId,
    displayName: d.displayName ?? d.modelDisplayName,
    createTime: timestamp(d.createTime),
    dedicatedResources: d.dedicatedResources,
    automaticResources: d.automaticResources,
  };
}
