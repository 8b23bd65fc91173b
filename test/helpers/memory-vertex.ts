/**
 * In-memory Endpoints (ferry's own port) for unit tests of rollbacks. It keeps Vertex's rules that
 * matter to a rollback: a split names only deployed models and sums to 100 (empty only when nothing
 * is deployed), and a model with traffic cannot be undeployed. Operations end at once; a test can
 * fail the next call of a method (`failures`). `calls` records method names only.
 *
 * The other in-memory Vertex ports: memory-vertex-ops.ts (operations that take polls, the busy
 * rule, and the ModelRegistry these tests use too) and memory-endpoint.ts (one endpoint that
 * records the splits it was given, for validation). Google's clients are never faked: the
 * adapters are tested against the emulator.
 */
import type { TrafficSplit } from '../../functions/core/traffic-split';
import type { DeployedModelInfo, EndpointInfo, Endpoints, OperationStatus } from '../../functions/pipeline/ports';

const fault = (code: number, message: string) => Object.assign(new Error(message), { code });

export class MemoryEndpoints implements Endpoints {
  readonly endpoints = new Map<string, { trafficSplit: TrafficSplit; deployedModels: DeployedModelInfo[] }>();
  readonly operations = new Map<string, OperationStatus>();
  readonly calls: string[] = [];
  /** Calls that fail next, by method: the gRPC code to fail with. */
  readonly failures: Array<{ method: string; code: number }> = [];
  private counter = 0;

  add(name: string, deployed: string[], trafficSplit: TrafficSplit): void {
    const deployedModels = deployed.map((id) => ({ id, model: `m/${id}`, modelVersionId: id, displayName: `d${id}` }));
    this.endpoints.set(name, { trafficSplit: { ...trafficSplit }, deployedModels });
  }

  private call(method: string, name: string) {
    this.calls.push(method);
    const i = this.failures.findIndex((f) => f.method === method);
    if (i >= 0) throw fault(this.failures.splice(i, 1)[0].code, `${method}: injected`);
    const endpoint = this.endpoints.get(name);
    if (!endpoint) throw fault(5, `${name} not found`);
    return endpoint;
  }

  async find(): Promise<EndpointInfo | undefined> {
    throw new Error('not used');
  }
  async getOrCreate(): Promise<EndpointInfo> {
    throw new Error('not used');
  }
  async deploy(): Promise<string> {
    throw new Error('not used');
  }

  async get(name: string): Promise<EndpointInfo> {
    const e = this.call('get', name);
    return JSON.parse(JSON.stringify({ name, ...e })) as EndpointInfo;
  }

  async setSplit(name: string, split: TrafficSplit): Promise<void> {
    const e = this.call('setSplit', name);
    check(split, e.deployedModels);
    e.trafficSplit = { ...split };
  }

  async undeploy(name: string, id: string, split: TrafficSplit): Promise<string> {
    const e = this.call('undeploy', name);
    if (!e.deployedModels.some((d) => d.id === id)) throw fault(5, `${id} is not deployed`);
    const remaining = e.deployedModels.filter((d) => d.id !== id);
    check(split, remaining);
    e.deployedModels = remaining;
    e.trafficSplit = { ...split };
    const op = `${name}/operations/${++this.counter}`;
    this.operations.set(op, { done: true });
    return op;
  }

  async operation(name: string): Promise<OperationStatus> {
    this.calls.push('operation');
    return this.operations.get(name) ?? { done: true, error: { code: 5, message: 'no such operation' } };
  }
}

function check(split: TrafficSplit, deployed: DeployedModelInfo[]): void {
  const ids = new Set(deployed.map((d) => d.id));
  const entries = Object.entries(split).filter(([, percent]) => percent > 0);
  if (entries.some(([id]) => !ids.has(id))) throw fault(3, `split ${JSON.stringify(split)} names a model not deployed`);
  const sum = entries.reduce((total, [, percent]) => total + percent, 0);
  if (deployed.length > 0 ? sum !== 100 : sum !== 0) throw fault(3, `split ${JSON.stringify(split)} must sum to 100`);
}
