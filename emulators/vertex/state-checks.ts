import type { SavedVertexState } from './persistence';

/**
 * What the schema cannot say about a saved state: names are unique, every deployment points at a
 * version in the file, and the id counters are past every id in use (a counter set back would
 * hand out an id twice). Returns the first problem, or undefined.
 */
export function stateProblem(state: SavedVertexState): string | undefined {
  const duplicate = (values: string[]): string | undefined => values.find((v, i) => values.indexOf(v) !== i);
  const models = state.models.map((m) => m.name);
  const twice =
    duplicate(models) ??
    duplicate(state.endpoints.map((e) => e.name)) ??
    duplicate(state.operations.map((o) => o.name));
  if (twice) return `${twice} appears twice`;
  for (const model of state.models) {
    const version = duplicate(model.versions.map((v) => v.versionId));
    if (version) return `model ${model.name} has version ${version} twice`;
    const highest = Math.max(0, ...model.versions.map((v) => Number(v.versionId)));
    if (!(model.nextVersion > highest))
      return `model ${model.name} would number its next version ${model.nextVersion}, which is already in use`;
  }
  for (const endpoint of state.endpoints) {
    const deployed = duplicate(endpoint.deployed.map((d) => d.id));
    if (deployed) return `endpoint ${endpoint.name} has deployed model ${deployed} twice`;
    for (const [i, d] of endpoint.deployed.entries()) {
      const model = state.models.find((m) => m.name === d.model);
      if (!model?.versions.some((v) => v.versionId === d.modelVersionId)) {
        return `endpoint ${endpoint.name} deployed model ${i} names ${d.model}@${d.modelVersionId}, which is not in the file`;
      }
    }
  }
  const lastId = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
  const modelIds = models.map(lastId);
  const endpointIds = [
    ...state.endpoints.map((e) => lastId(e.name)),
    ...state.endpoints.flatMap((e) => e.deployed.map((d) => d.id)),
  ];
  for (const [kind, counter, used] of [
    ['models', state.ids.models, modelIds],
    ['endpoints', state.ids.endpoints, endpointIds],
  ] as const) {
    const behind = used.find(
      (id) => /^[0-9]+$/.test(id) && id.length === counter.length && BigInt(id) > BigInt(counter),
    );
    if (behind) return `ids.${kind} (${counter}) is behind id ${behind}, which is in use`;
  }
  return undefined;
}
