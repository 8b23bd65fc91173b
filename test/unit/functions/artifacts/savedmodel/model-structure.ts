import type { SavedModel } from '../../../../../functions/artifacts/savedmodel';

/**
 * A SavedModel's structure as one string: every MetaGraph's tags, signatures, graph nodes and
 * function library (names, ops, inputs, devices, attrs), collections, saver, assets and object
 * graph. Left out: tensor contents (the constants' values) and the MetaInfoDef apart from its tags
 * (versions, the stripped op list's documentation: nothing a loader acts on). Two models with
 * the same structure load into the same graph and differ at most in constant values, which is a
 * loadable model (a flipped bit in a float constant is a legitimately different model).
 */
export function structureOf(model: SavedModel): string {
  return JSON.stringify(model, (key, value: unknown) => {
    if (value instanceof Uint8Array) return `bytes(${value.length})`;
    if (
      key === 'floatVal' ||
      key === 'doubleVal' ||
      key === 'intVal' ||
      key === 'int64Val' ||
      key === 'halfVal' ||
      key === 'boolVal' ||
      key === 'stringVal'
    )
      return `values(${(value as unknown[]).length})`;
    if (key === 'savedModelSchemaVersion' || key === 'objectGraphDef') return undefined;
    if (key === 'metaInfoDef') {
      return { tags: (value as { tags: string[] }).tags };
    }
    return value;
  });
}
