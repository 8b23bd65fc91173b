import type { VertexContext } from './vertex-context';

/** A read-only picture of the emulator for assertions. */
export interface VertexState {
  models: Array<{
    name: string;
    versions: Array<{
      versionId: string;
      versionAliases: string[];
      artifactUri?: string;
      labels: Record<string, string>;
      deployedModels: Array<{ endpoint: string; deployedModelId: string }>;
    }>;
  }>;
  endpoints: Array<{
    name: string;
    displayName: string;
    trafficSplit: Record<string, number>;
    deployedModels: Array<{ id: string; model: string; modelVersionId: string }>;
  }>;
  operations: Array<{ name: string; done: boolean; error?: { code: number; message: string } }>;
  /** RPC name → number of calls received (GetOperation counts show client polling). */
  calls: Record<string, number>;
}

/** Deep copy of the emulator's state, so tests cannot change it by accident. */
export function snapshot(ctx: VertexContext, calls: Map<string, number>): VertexState {
  return structuredClone({
    models: [...ctx.models.models.values()].map((m) => ({
      name: m.name,
      versions: [...m.versions.values()].map((v) => ({
        versionId: v.versionId,
        versionAliases: v.versionAliases,
        artifactUri: v.artifactUri,
        labels: v.labels,
        deployedModels: v.deployedModels,
      })),
    })),
    endpoints: [...ctx.endpoints.endpoints.values()].map((e) => ({
      name: e.name,
      displayName: e.displayName,
      trafficSplit: e.trafficSplit,
      deployedModels: e.deployed.map((d) => ({ id: d.id, model: d.model, modelVersionId: d.modelVersionId })),
    })),
    operations: ctx.operations
      .list('projects')
      .map((op) => ({ name: op.name, done: op.done, ...(op.error ? { error: op.error } : {}) })),
    calls: Object.fromEntries(calls),
  });
}
